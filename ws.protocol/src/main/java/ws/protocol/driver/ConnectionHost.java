package ws.protocol.driver;

import java.net.SocketAddress;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.engine.ProtocolConfig;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.server.UpgradeDecision;

/**
 * What a {@link ConnectionDriver} needs from the server or client that owns it. A driver asks for
 * these each time it needs them rather than keeping copies (connections are many): each method returns
 * the same object every time, at the cost of reading a field.
 */
public interface ConnectionHost {

    /** The clock and timers of this owner's connections. */
    Scheduler scheduler();

    /** The options every connection of this owner runs with. */
    ConnectionOptions connectionOptions();

    /**
     * The engine configuration made from {@link #connectionOptions()}, which every connection of this
     * owner shares: an owner with many connections makes it once, when its options are fixed, and
     * returns that one object every time (a server, a client), so that a handshake does not rebuild it
     * and an idle connection does not hold a copy. By default a new one per call: for a test's host of
     * a connection or two.
     */
    default ProtocolConfig protocolConfig() {
        return connectionOptions().protocolConfig();
    }

    /** Where the driver logs; nothing by default. */
    default DriverLogger logger() {
        return DriverLogger.NONE;
    }

    /**
     * Where the driver reports opens, closes, refused handshakes, protocol violations, backpressure
     * and traffic (metrics, JFR events); nothing by default.
     */
    default ConnectionObserver observer() {
        return ConnectionObserver.NONE;
    }

    /**
     * Runs the hand-off writer of a connection: a task that writes with blocking writes until the
     * connection's output is empty, so that neither the reading thread nor a sender blocks on the
     * network. A thread per task (a virtual thread is cheap), or a test's inline executor.
     */
    java.util.concurrent.Executor writers();

    /**
     * Runs application work of a connection that must not run on its reading thread, because the
     * reading thread feeds it: a streamed message's handler, which reads while the frames arrive. A
     * thread per task (the stream runtime: a virtual thread); {@link #writers()} by default.
     */
    default java.util.concurrent.Executor tasks() {
        return writers();
    }

    /** The opening handshake succeeded: the connection joins the registry of open connections. */
    void opened(ConnectionDriver connection);

    /** The connection is over and its transport closed: it leaves every registry. */
    void ended(ConnectionDriver connection);

    /**
     * Server only: what to do with a valid upgrade request (route, interceptors), as the server core
     * ({@link ws.protocol.server}) decides it.
     */
    default UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
        throw new IllegalStateException("only a server decides upgrade requests");
    }
}
