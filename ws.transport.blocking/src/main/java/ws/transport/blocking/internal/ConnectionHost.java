package ws.transport.blocking.internal;

import java.net.SocketAddress;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.server.UpgradeDecision;

/** What a connection needs from the server or client that owns it. */
interface ConnectionHost {

    /** The shared timers. */
    Timers timers();

    /** The transport's settings. */
    TransportSettings settings();

    /** The options every connection of this owner runs with. */
    ConnectionOptions connectionOptions();

    /** The opening handshake succeeded: the connection joins the registry of open connections. */
    void opened(SocketConnection connection);

    /** The connection is over and its socket closed: it leaves every registry. */
    void ended(SocketConnection connection);

    /** Server only: what to do with a valid upgrade request (route, interceptors). */
    default UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
        throw new IllegalStateException("only a server decides upgrade requests");
    }
}
