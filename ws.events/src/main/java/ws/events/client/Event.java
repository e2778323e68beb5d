package ws.events.client;

import java.util.Objects;
import ws.events.Arguments;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An event received from the server: its name, its arguments and, when the server asked for one, the
 * means to acknowledge it.
 *
 * <p>With connection state recovery on, the server appends the packet's offset to the arguments of
 * what it broadcasts (as Socket.IO does): extra trailing arguments are normal, bind by position.
 */
public final class Event {
    private final String name;
    private final Arguments args;
    private final Consumer<Object[]> acknowledgement;
    private final AtomicBoolean acknowledged = new AtomicBoolean();

    Event(String name, Arguments args, Consumer<Object[]> acknowledgement) {
        this.name = name;
        this.args = args;
        this.acknowledgement = acknowledgement;
    }

    /** The event's name. */
    public String name() {
        return name;
    }

    /** Its arguments. */
    public Arguments args() {
        return args;
    }

    /** Argument {@code index} as a {@code type}: {@code args().get(index, type)}. */
    public <T> T arg(int index, Class<T> type) {
        return args.get(index, type);
    }

    /** Whether the server waits for an acknowledgement ({@link #ack}). */
    public boolean hasAck() {
        return acknowledgement != null;
    }

    /**
     * Answers the server's acknowledgement with these values (bound by the client's mapper; byte arrays
     * go as binary attachments). Only the first call sends; any thread may call it, later too.
     *
     * @return whether this call sent the answer (false: no ack was asked, or it was already answered)
     */
    public boolean ack(Object... reply) {
        Objects.requireNonNull(reply, "reply");
        if (acknowledgement == null || !acknowledged.compareAndSet(false, true)) {
            return false;
        }
        acknowledgement.accept(reply);
        return true;
    }

    @Override
    public String toString() {
        return "Event[" + name + " " + args + (hasAck() ? " ack" : "") + "]";
    }
}
