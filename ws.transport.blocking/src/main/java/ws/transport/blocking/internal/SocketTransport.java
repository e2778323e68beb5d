package ws.transport.blocking.internal;

import java.io.IOException;
import java.util.Objects;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** A socket transport with the given settings: what the public transports delegate to. */
public final class SocketTransport implements Transport {
    private final TransportSettings settings;

    /** A transport running connections as {@code settings} say. */
    public SocketTransport(TransportSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        TransportSettings.register(settings);
    }

    /** The settings it runs with. */
    public TransportSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public int priority() {
        return settings.priority();
    }

    @Override
    public WebSocketServer startServer(ServerOptions options) throws IOException {
        return SocketServer.start(options, settings);
    }

    @Override
    public WebSocketClient newClient(ClientOptions options) {
        return new SocketClient(options, settings);
    }

    @Override
    public String toString() {
        return "Transport[" + settings.name() + "]";
    }
}
