package ws.transport.eventloop;

import java.io.IOException;
import java.util.Objects;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.eventloop.internal.LoopClient;
import ws.transport.eventloop.internal.LoopServer;
import ws.transport.eventloop.layer.ChannelLayer;

/**
 * WebSocket over TCP on event loops: a few platform threads, one per core by default, each
 * multiplexing its connections with a NIO selector. An idle connection holds no thread and no read
 * buffer (each loop lends its one read buffer to a connection only while that connection's bytes are
 * handed to the engine, which copies what it keeps), and its timers are entries in its loop's deadline
 * queue, not scheduled tasks. Server connections serve plain HTTP first (keep-alive, held exchanges
 * such as long-polls) on the loop too. The protocol is the shared connection driver's, as on every
 * transport.
 *
 * <p><b>Listeners run on the loop.</b> Callbacks of a connection ({@code onOpen}, {@code onText}, ...)
 * and HTTP handlers run on its loop thread, one at a time, as on every transport; but here one loop
 * serves many connections, so a callback that blocks (a database call, {@code future.get()}) stalls
 * every connection of its loop. This is the default because it is what an event-loop transport is for
 * (Netty, Vert.x and Undertow do the same): no hand-off per message, and a send from a callback is
 * written inline. Handlers that must block either hand their work to an executor of their own, or run
 * on the {@code virtual} transport, where each connection has its thread. Sends from other threads are
 * safe, as everywhere; when the socket is full, a virtual thread writes the rest, so no sender and no
 * loop ever waits for the network. {@code onClose} comes after every other callback: on the loop
 * when the connection's output has ended by then (a close handshake, a peer gone: nearly always), on
 * that writer side when output is still to be written, which its end waits for within the close
 * timeout.
 *
 * <p>Named {@code "eventloop"}, priority 10: below {@code "virtual"} (20), so installing it changes no
 * application's default; choose it with {@code .transport(new EventLoopTransport())} or
 * {@code -Dws.transport=eventloop}.
 *
 * <p><b>TLS.</b> {@code wss://} servers and clients run on the loops too, with the JDK's
 * {@code SSLEngine}: {@code TlsTransport.server(config).over(new EventLoopTransport())} (module
 * {@code ws.transport.tls}), with the same configuration as on the socket transports. The handshake
 * runs on the connection's loop, never blocking it (the engine's delegated tasks run on virtual
 * threads), within the handshake timeout; an idle {@code wss://} connection holds no network buffer
 * (each loop lends its scratch buffers to its connections' TLS for the length of a call).
 */
public final class EventLoopTransport implements Transport {
    /** The size of each loop's one read buffer. */
    static final int READ_BUFFER = 64 << 10;

    private final int loops;
    /** The name, {@code "eventloop"} or, over TLS, {@code "eventloop+tls"}. */
    private final String name;
    /** TLS for the servers' connections, or null. */
    private final ChannelLayer serverTls;
    /** TLS for the clients' {@code wss://} connections, or null. */
    private final ChannelLayer clientTls;

    /** One loop per available processor. */
    public EventLoopTransport() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A transport whose servers and clients each run {@code loops} loop threads.
     *
     * @throws IllegalArgumentException when {@code loops} is less than 1
     */
    public EventLoopTransport(int loops) {
        this(loops, "eventloop", null, null);
    }

    private EventLoopTransport(int loops, String name, ChannelLayer serverTls, ChannelLayer clientTls) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops " + loops + " < 1");
        }
        this.loops = loops;
        this.name = name;
        this.serverTls = serverTls;
        this.clientTls = clientTls;
    }

    /**
     * This transport speaking TLS, named {@code name} ({@code "eventloop+tls"}): its servers run every
     * accepted connection through {@code server} (null for a client-only transport), and its clients
     * run {@code wss://} connections through {@code client}. For ws.transport.tls, which makes both
     * layers ({@code TlsTransport.over(new EventLoopTransport())}); this transport is unchanged.
     */
    public EventLoopTransport withTls(String name, ChannelLayer server, ChannelLayer client) {
        return new EventLoopTransport(loops, Objects.requireNonNull(name, "name"), server, client);
    }

    /** The loop threads of each server and each client of this transport. */
    public int loops() {
        return loops;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public WebSocketServer startServer(ServerOptions options) throws IOException {
        if (serverTls == null && !name.equals("eventloop")) {
            throw new IllegalStateException("this TLS transport has no server layer");
        }
        return LoopServer.start(options, loops, READ_BUFFER, serverTls);
    }

    @Override
    public WebSocketClient newClient(ClientOptions options) {
        return LoopClient.create(options, loops, READ_BUFFER, clientTls);
    }

    @Override
    public String toString() {
        return "EventLoopTransport[" + loops + " loops" + (name.equals("eventloop") ? "" : ", " + name) + "]";
    }
}
