package ws.events.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** What an {@link Adapter} sees of its namespace on this server. Thread-safe. */
public interface LocalNamespace {

    /** The namespace's name ({@code "/"}, {@code "/chat"}). */
    String name();

    /**
     * Sends an event to these sockets of this server, encoding it once; unknown ids are skipped. A
     * {@code dropIfBusy} event is dropped for a socket that cannot take it at once.
     */
    void deliver(BroadcastPacket packet, Collection<String> socketIds, boolean dropIfBusy);

    /**
     * Sends an event with an acknowledgement to these sockets of this server (each with an ack id
     * of its own); each answer goes to {@code reply} as the client callback's arguments. Sockets
     * that do not answer within {@code timeout} are given up.
     *
     * @return how many sockets it was sent to
     */
    int deliverWithAck(BroadcastPacket packet, Collection<String> socketIds, boolean dropIfBusy, Duration timeout,
                       java.util.function.Consumer<com.fasterxml.jackson.databind.node.ArrayNode> reply);

    /** A socket of this server, as {@code fetchSockets} reports it. */
    Optional<SocketInfo> socketInfo(String socketId);

    /** Disconnects a socket of this server ("server namespace disconnect"); {@code close} also closes its connection. */
    void disconnect(String socketId, boolean close);

    /** How long a disconnected socket's session stays recoverable; {@link Duration#ZERO} when recovery is off. */
    Duration recoveryWindow();

    /** The server's monotonic clock in nanoseconds (its scheduler's), for the recovery window. */
    long nanoTime();
}
