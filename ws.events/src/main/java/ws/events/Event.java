package ws.events;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An event a socket received: its name, its arguments, and, when the client asked for one, the
 * acknowledgement to answer with {@link #ack}.
 */
public final class Event {
    private final EventSocket socket;
    private final String name;
    private final Arguments args;
    private final long ackId;
    private final AtomicBoolean acked = new AtomicBoolean();

    Event(EventSocket socket, String name, Arguments args, long ackId) {
        this.socket = socket;
        this.name = name;
        this.args = args;
        this.ackId = ackId;
    }

    /** The socket that received it. */
    public EventSocket socket() {
        return socket;
    }

    /** The event name. */
    public String name() {
        return name;
    }

    /** Its arguments. */
    public Arguments args() {
        return args;
    }

    /** Whether the client waits for an acknowledgement. */
    public boolean hasAck() {
        return ackId >= 0;
    }

    /**
     * Answers the client's acknowledgement with these arguments (its callback's arguments): values
     * Jackson can write, {@code byte[]}/{@code ByteBuffer} anywhere for binary. Only the first call
     * sends.
     *
     * @return whether this call sent the answer (false: no ack was asked, or it was already answered)
     */
    public boolean ack(Object... arguments) {
        Objects.requireNonNull(arguments, "arguments");
        if (!hasAck() || !acked.compareAndSet(false, true)) {
            return false;
        }
        socket.sendAck(ackId, arguments);
        return true;
    }

    @Override
    public String toString() {
        return "Event[" + name + " " + args + (hasAck() ? " ack " + ackId : "") + "]";
    }
}
