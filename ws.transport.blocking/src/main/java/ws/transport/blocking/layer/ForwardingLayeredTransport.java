package ws.transport.blocking.layer;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/**
 * A layered transport that does everything through another one: the base of the named socket
 * transports ({@code BlockingTransport}, {@code VirtualThreadTransport}), which differ only in the
 * transport they are made with and their name in {@code toString}.
 */
public abstract class ForwardingLayeredTransport implements LayeredTransport {
    private final LayeredTransport delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingLayeredTransport(LayeredTransport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public WebSocketServer startServer(ServerOptions options) throws IOException {
        return delegate.startServer(options);
    }

    @Override
    public WebSocketClient newClient(ClientOptions options) {
        return delegate.newClient(options);
    }

    @Override
    public LayeredTransport withClientLayers(List<ClientLayer> layers) {
        return delegate.withClientLayers(layers);
    }

    @Override
    public List<ClientLayer> clientLayers() {
        return delegate.clientLayers();
    }

    @Override
    public LayeredTransport withTls(String name, AcceptLayer server, ClientLayer client) {
        return delegate.withTls(name, server, client);
    }
}
