package ws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.transport.tls.DevCertificate;
import ws.transport.tls.TlsClientConfig;
import ws.transport.tls.TlsTransport;

/**
 * wss:// with Node's ws package, both ways, on every transport (the event loops' SSLEngine too): Node as a client of our TLS server
 * (every scenario of the ws:// suite, plus a TLS check: TLS 1.3, certificate verified by Node against
 * the CA file with host name checking), and Node's https + ws server for our TLS client.
 */
class NodeTlsInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    /** A development certificate for localhost, trusted by both sides through its PEM file. */
    private static final DevCertificate CERTIFICATE = DevCertificate.create();

    @TempDir
    static Path dir;

    @BeforeEach
    void requireNode() {
        PeerAssumptions.requirePeer("node ws", Peers::nodeMissing);
    }

    private static Path certificateFile() throws Exception {
        Path cert = dir.resolve("cert.pem");
        if (!Files.exists(cert)) {
            CERTIFICATE.writePem(cert, dir.resolve("key.pem"));
        }
        return cert;
    }

    static Stream<Arguments> transportsAndScenarios() {
        List<String> scenarios = new ArrayList<>(ScriptedClientTest.SCENARIOS);
        if (ScenarioServer.installedExtensions().isEmpty()) {
            scenarios.remove("deflate"); // permessage-deflate is not on this module path: nothing to negotiate
        }
        scenarios.add("tls");
        return Stream.of("blocking", "virtual", "eventloop").flatMap(transport -> scenarios.stream()
                .map(scenario -> Arguments.of(transport, scenario)));
    }

    @ParameterizedTest(name = "node client, {1} over wss on {0}")
    @MethodSource("transportsAndScenarios")
    void nodeClientOfOurTlsServer(String transport, String scenario) throws Exception {
        Path cert = certificateFile();
        try (ScenarioServer server = ScenarioServer.startTls(transport, CERTIFICATE.serverConfig())) {
            assertTrue(server.baseUrl().startsWith("wss://localhost:"), server.baseUrl());
            PeerProcess client = PeerProcess.start(Peers.nodeDirectory(),
                    List.of("node", "client.mjs", scenario, server.baseUrl(), cert.toString()));
            try (client) {
                int status = client.waitFor(TIMEOUT);
                String output = client.output();
                assertFalse(output.contains("FAIL"), "node reported a failure\n" + client.describe());
                assertTrue(output.contains("PASS"), "node checked nothing\n" + client.describe());
                assertEquals(0, status, "exit status\n" + client.describe());
            }
            switch (scenario) {
                case "client-close" -> assertEquals("/echo 4000 node-bye", server.nextClose(TIMEOUT));
                case "server-close" -> assertTrue(server.nextClose(TIMEOUT).startsWith("/close 4001 "));
                case "ping" -> assertEquals("/ping 1000 done", server.nextClose(TIMEOUT));
                default -> assertEquals("/echo 1000 done", server.nextClose(TIMEOUT));
            }
        }
    }

    @ParameterizedTest(name = "our client over wss to a node server on {0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void ourTlsClientOfANodeServer(String transport) throws Exception {
        Path cert = certificateFile();
        try (PeerProcess node = PeerProcess.start(Peers.nodeDirectory(),
                List.of("node", "server.mjs", cert.toString(), dir.resolve("key.pem").toString()))) {
            String line = node.nextLine(TIMEOUT);
            assertTrue(line.startsWith("listening "), "unexpected first line from the node server: " + line + "\n"
                    + node.describe());
            URI uri = URI.create("wss://localhost:" + line.substring("listening ".length()).strip() + "/echo");
            try (WebSocketClient client = WebSocketClient.builder()
                    .transport(TlsTransport.client(TlsClientConfig.trusting(cert)).over(Transport.named(transport)))
                    .build()) {
                Inbox inbox = new Inbox();
                WebSocket webSocket = client.connect(uri, inbox).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals("TLSv1.3", webSocket.tlsSession().orElseThrow().getProtocol());
                assertEquals(CERTIFICATE.certificate(), TlsTransport.peerCertificates(webSocket).get(0));
                webSocket.sendText("hello node over TLS ✓");
                Inbox.Event text = inbox.next(TIMEOUT);
                assertEquals("text", text.kind());
                assertEquals("hello node over TLS ✓", text.text());
                byte[] bytes = new byte[1 << 20];
                new Random(3).nextBytes(bytes);
                webSocket.sendBinary(ByteBuffer.wrap(bytes));
                Inbox.Event binary = inbox.next(TIMEOUT);
                assertEquals("binary", binary.kind());
                assertArrayEquals(bytes, binary.bytes());
                assertEquals(1000, webSocket.close(1000, "done").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).code());
            }
            assertEquals("closed /echo 1000 done", node.nextLine(TIMEOUT));
        }
    }
}
