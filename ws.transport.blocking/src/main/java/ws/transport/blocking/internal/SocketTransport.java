package ws.transport.blocking.internal;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.layer.AcceptLayer;
import ws.transport.blocking.layer.ClientLayer;
import ws.transport.blocking.layer.LayeredTransport;

/** A socket transport with the given settings: what the public transports delegate to, and their layered values. */
public final class SocketTransport implements LayeredTransport {
    private final TransportSettings settings;

    /** A transport running connections as {@code settings} say. */
    public SocketTransport(TransportSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
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
        return SocketConnector.client(options, settings);
    }

    @Override
    public LayeredTransport withClientLayers(List<ClientLayer> layers) {
        return new SocketTransport(settings.withClientLayers(layers));
    }

    @Override
    public List<ClientLayer> clientLayers() {
        return settings.clientLayers();
    }

    @Override
    public LayeredTransport withTls(String name, AcceptLayer server, ClientLayer client) {
        if (settings.layer() != SocketLayer.PLAIN) {
            throw new IllegalArgumentException("TLS over TLS: " + name() + " speaks TLS already");
        }
        return new SocketTransport(settings.withLayer(name, SocketLayer.tls(server, client)));
    }

    @Override
    public String toString() {
        return "Transport[" + settings.name() + (settings.clientLayers().isEmpty() ? "" : ", " + settings.clientLayers())
                + "]";
    }
}
