package ws.protocol.api;

import java.util.Map;

/**
 * A server's {@link ServerMetrics} as a platform MXBean, registered while the server runs when
 * {@link ServerOptions.Builder#jmx(boolean)} is on, under
 * {@code dev.ws:type=WebSocketServer,transport=<transport>,address=<bound address>}. Each attribute
 * reads the live counter (JConsole, VisualVM, a JMX exporter); the maps appear as tabular data.
 */
public interface WebSocketServerMXBean {

    /** See {@link ServerMetrics#openConnections()}. */
    long getOpenConnections();

    /** See {@link ServerMetrics#connectionsOpened()}. */
    long getConnectionsOpened();

    /** See {@link ServerMetrics#connectionsClosed()}. */
    long getConnectionsClosed();

    /** See {@link ServerMetrics#messagesReceived()}. */
    long getMessagesReceived();

    /** See {@link ServerMetrics#messagesSent()}. */
    long getMessagesSent();

    /** See {@link ServerMetrics#bytesReceived()}. */
    long getBytesReceived();

    /** See {@link ServerMetrics#bytesSent()}. */
    long getBytesSent();

    /** See {@link ServerMetrics#handshakeRejections()}. */
    Map<Integer, Long> getHandshakeRejections();

    /** See {@link ServerMetrics#protocolViolations()}. */
    Map<Integer, Long> getProtocolViolations();

    /** See {@link ServerMetrics#backpressureEvents()}, keyed by the policy's name. */
    Map<String, Long> getBackpressureEvents();
}
