package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;

/** Certificate files are reloaded without a restart: new connections get the new certificate. */
class ReloadTest {
    private static final DevCertificate FIRST = DevCertificate.create();
    private static final DevCertificate SECOND = DevCertificate.create();

    @TempDir
    Path dir;

    private void write(DevCertificate certificate, Path cert, Path key, int secondsAhead) throws IOException {
        certificate.writePem(cert, key);
        // a distinct modification time, whatever the file system's granularity
        FileTime time = FileTime.from(Instant.now().plusSeconds(secondsAhead));
        Files.setLastModifiedTime(cert, time);
        Files.setLastModifiedTime(key, time);
    }

    private static WebSocketClient trustingBoth(Transport base) {
        return TlsSupport.client(base, TlsClientConfig.builder()
                .trustedCertificates(List.of(FIRST.certificate(), SECOND.certificate())).build());
    }

    private static WebSocket connect(WebSocketClient client, WebSocketServer server) throws Exception {
        return await(client.connect(TlsSupport.wss(server), new TlsSupport.Inbox()));
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void changedFilesAreUsedForNewConnections(Transport base) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        write(FIRST, cert, key, 0);
        TlsServerConfig config = TlsServerConfig.builder().certificate(cert, key).reloadCheckInterval(Duration.ZERO).build();
        assertEquals(List.of(cert, key), config.watchedFiles());
        try (WebSocketServer server = TlsSupport.echoServer(base, config);
             WebSocketClient client = trustingBoth(base)) {
            WebSocket before = connect(client, server);
            assertEquals(FIRST.certificate(), TlsTransport.peerCertificates(before).get(0));

            write(SECOND, cert, key, 5);
            WebSocket after = connect(client, server);
            assertEquals(SECOND.certificate(), TlsTransport.peerCertificates(after).get(0));
            // the connection made before goes on with its certificate
            assertEquals(FIRST.certificate(), TlsTransport.peerCertificates(before).get(0));
            assertEquals(2, server.connectionCount());

            // a half-written key keeps the previous certificate in use
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n");
            Files.setLastModifiedTime(key, FileTime.from(Instant.now().plusSeconds(10)));
            WebSocket broken = connect(client, server);
            assertEquals(SECOND.certificate(), TlsTransport.peerCertificates(broken).get(0));
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void reloadOnRequest(Transport base) throws Exception {
        Path store = dir.resolve("server.p12");
        char[] password = "changeit".toCharArray();
        saveKeyStore(FIRST, store, password);
        TlsTransport transport = TlsTransport.server(TlsServerConfig.builder().keyStore(store, password)
                .reloadCheckInterval(Duration.ofHours(1)).build()).over(base);
        try (WebSocketServer server = WebSocketServer.builder().route("/echo", new TlsSupport.Echo())
                .connection(TlsSupport.fast()).transport(transport).start();
             WebSocketClient client = trustingBoth(base)) {
            assertEquals(FIRST.certificate(), TlsTransport.peerCertificates(connect(client, server)).get(0));
            saveKeyStore(SECOND, store, password);
            // not checked again for an hour: still the first
            assertEquals(FIRST.certificate(), TlsTransport.peerCertificates(connect(client, server)).get(0));
            transport.reloadCertificates();
            assertEquals(SECOND.certificate(), TlsTransport.peerCertificates(connect(client, server)).get(0));

            Files.writeString(store, "not a key store");
            IOException e = assertThrows(IOException.class, transport::reloadCertificates);
            assertTrue(e.getMessage().contains(store.toString()), e.getMessage());
            assertEquals(SECOND.certificate(), TlsTransport.peerCertificates(connect(client, server)).get(0));
        }
    }

    private static void saveKeyStore(DevCertificate certificate, Path file, char[] password) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            certificate.keyStore(password).store(out, password);
        }
    }
}
