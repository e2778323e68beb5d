package ws.cli;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;

/**
 * What {@code ws connect} tells of a connection, in one of two forms: lines for a person
 * ({@link HumanReport}) or one JSON object a line for a script ({@link JsonReport}, {@code --json}).
 * Called from the connection's listener thread and from the command; never concurrently for one
 * connection's messages.
 */
interface Report {
    /** The handshake succeeded; {@code mode} says what the client does now, for a person. */
    void connected(URI uri, WebSocket webSocket, String mode);

    /** The connection could not be opened. */
    void cannotConnect(URI uri, String why);

    void text(String text);

    void binary(ByteBuffer data);

    void ping(ByteBuffer payload);

    void pong(ByteBuffer payload);

    /** Something failed on an open connection (a send, the connection itself). */
    void error(String message);

    void closed(CloseStatus status);

    /** {@code --reconnect}: the connection was lost; attempt {@code attempt} starts after {@code delay}. */
    void reconnecting(int attempt, Duration delay, String cause);

    /** {@code --reconnect}: connected again after {@code attempts} attempts. */
    void reconnected(URI uri, int attempts);

    /** {@code --reconnect}: no more attempts (the policy's maximum, or a loss that does not reconnect). */
    void gaveUp(int attempts);
}
