package ws.transport.blocking.layer;

import java.util.List;
import ws.protocol.api.Transport;

/**
 * A transport over TCP sockets whose connect path and accepted sockets take layers: what
 * {@link ws.transport.blocking.BlockingTransport} and the virtual-thread transport are. A layered transport is a new
 * value; the original is unchanged.
 *
 * <pre>{@code
 * // a proxy that only an inner proxy can reach: TCP to outer, CONNECT inner, CONNECT origin, then TLS
 * Transport viaInner = new BlockingTransport()
 *         .withClientLayers(HttpConnectTunnel.through(HttpProxy.of("http://inner.corp:3128")));
 * WebSocketClient client = WebSocketClient.builder().transport(viaInner)
 *         .proxy(HttpProxy.of("http://outer.corp:8080")).build();
 * client.connect(URI.create("wss://chat.example.com/chat"), listener);
 * }</pre>
 *
 * <p>One proxy is configured on the client options ({@code ClientOptions.Builder.proxy}), which the
 * socket transports honour with an {@link HttpConnectTunnel} ahead of these layers.
 */
public interface LayeredTransport extends Transport {

    /**
     * This transport with clients that connect through {@code layers}: TCP, then these layers in
     * order (the first one nearest the network), then the TLS layer of a {@code wss://} URI.
     * Replaces the client layers given before.
     */
    LayeredTransport withClientLayers(List<ClientLayer> layers);

    /** {@link #withClientLayers(List)} with these layers. */
    default LayeredTransport withClientLayers(ClientLayer... layers) {
        return withClientLayers(List.of(layers));
    }

    /** The client layers of this transport (empty: TCP, then TLS for {@code wss://}). */
    List<ClientLayer> clientLayers();

    /**
     * This transport speaking TLS, named {@code name} ({@code "blocking+tls"}): its servers wrap every
     * accepted socket with {@code server} (null for a client-only transport), and its clients use
     * {@code client} as the last layer of a {@code wss://} connection. For ws.transport.tls, which
     * makes both layers; a transport over TLS is itself a layered transport value, not a name.
     */
    LayeredTransport withTls(String name, AcceptLayer server, ClientLayer client);
}
