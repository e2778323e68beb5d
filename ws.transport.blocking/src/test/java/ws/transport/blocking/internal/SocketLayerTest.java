package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.layer.AcceptLayer;
import ws.transport.blocking.layer.ClientLayer;

/**
 * The hook a TLS transport plugs into: a layer's handshake runs on the connection's thread, within
 * the handshake timeout, and decides the URI scheme. Tested with a toy layer whose "handshake" is a
 * greeting line.
 */
class SocketLayerTest {

    /** A layer whose handshake is a line: the client sends "HELLO", the server reads it. */
    static final class GreetingLayer implements AcceptLayer, ClientLayer {
        static SocketLayer scheme(String scheme) {
            GreetingLayer layer = new GreetingLayer();
            return new SocketLayer(scheme, scheme.equals("wss") ? 443 : 80, layer, layer);
        }

        @Override
        public Socket wrap(Socket accepted) throws IOException {
            byte[] hello = accepted.getInputStream().readNBytes(6);
            if (!new String(hello, StandardCharsets.US_ASCII).equals("HELLO\n")) {
                throw new IOException("no greeting: " + new String(hello, StandardCharsets.US_ASCII));
            }
            return accepted;
        }

        @Override
        public Socket open(Socket connected, java.net.InetSocketAddress target) throws IOException {
            connected.getOutputStream().write("HELLO\n".getBytes(StandardCharsets.US_ASCII));
            return connected;
        }
    }

    static java.util.stream.Stream<Transport> layered() {
        return Support.socketTransports().map(t -> (Transport) new SocketTransport(
                ((SocketTransport) t).settings().withLayer(t.name() + "-greeting", GreetingLayer.scheme("ws"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layered")
    void bothSidesRunTheLayerBeforeTheWebSocketBytes(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/", Recorder.echo()).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder recorder = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/"), recorder).get(30, TimeUnit.SECONDS);
            ws.sendText("through the layer");
            assertEquals("through the layer", recorder.nextOf(Recorder.Text.class).text());
        }
    }

    /** A peer that never finishes the layer's handshake is cut at the handshake timeout (TLS slowloris). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layered")
    void theHandshakeTimeoutCoversTheLayersHandshake(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withHandshakeTimeout(Duration.ofMillis(400)))
                .route("/", new Recorder()).start();
             RawClient raw = new RawClient(server.port())) {
            raw.send("HEL"); // and nothing more
            assertTrue(raw.closedWithin(Duration.ofSeconds(5)));
        }
        try (RawServer silent = new RawServer();
             WebSocketClient client = Support.client(transport)
                     .connection(Support.fast().withHandshakeTimeout(Duration.ofMillis(400))).build()) {
            Recorder recorder = new Recorder();
            var future = client.connect(silent.uri("/"), recorder);
            ExecutionException error = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, error.getCause());
            assertInstanceOf(TimeoutException.class, recorder.next(Recorder.Error.class).error());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void theLayerDecidesTheScheme(Transport plain) throws Exception {
        Transport secure = new SocketTransport(((SocketTransport) plain).settings().withLayer("secure", GreetingLayer.scheme("wss")));
        try (WebSocketClient client = Support.client(secure).build()) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> client.connect(URI.create("ws://127.0.0.1:1/"), new Recorder()));
            assertTrue(error.getMessage().contains("is not wss"), error.getMessage());
            // accepted, then fails to connect: port 1 on loopback refuses
            var future = client.connect(URI.create("wss://127.0.0.1:1/"), new Recorder());
            assertInstanceOf(java.net.ConnectException.class,
                    assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS)).getCause());
        }
    }
}
