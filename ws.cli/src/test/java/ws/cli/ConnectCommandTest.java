package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/** {@code ws connect} in process, against a scripted server of ours. */
class ConnectCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final BlockingQueue<String> serverSaw = new LinkedBlockingQueue<>();
    private WebSocketServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private int connect(String stdin, String... args) throws Exception {
        return ConnectCommand.parse(List.of(args)).run(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, false);
    }

    /** Standard input that gives these lines, then stays open (until the test ends): only the server closes. */
    private final java.io.PipedOutputStream inputEnd = new java.io.PipedOutputStream();

    @AfterEach
    void endInput() throws java.io.IOException {
        inputEnd.close();
    }

    private int connectUntilTheServerCloses(String lines, String... args) throws Exception {
        java.io.InputStream stdin = new java.io.SequenceInputStream(
                new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), new java.io.PipedInputStream(inputEnd));
        return ConnectCommand.parse(List.of(args)).run(stdin,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, false);
    }

    private String url() {
        return "ws://127.0.0.1:" + server.port() + "/chat";
    }

    /** A server that greets with a text and a binary message, records what arrives, and closes on "bye CODE". */
    private void startServer(String transport) throws Exception {
        server = WebSocketServer.builder().port(0).transport(Transport.named(transport))
                .route("/chat", List.of("chat.v2", "chat.v1"), new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        serverSaw.add("open subprotocol=" + webSocket.subprotocol() + " x-test="
                                + webSocket.request().header("X-Test").orElse("-"));
                        webSocket.sendText("welcome");
                        webSocket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    }

                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        serverSaw.add("text:" + text);
                        if (text.startsWith("bye ")) {
                            webSocket.close(Integer.parseInt(text.substring(4)), "");
                        }
                    }

                    @Override
                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                        serverSaw.add("binary:" + data.remaining());
                    }

                    @Override
                    public void onClose(WebSocket webSocket, ws.protocol.CloseStatus status) {
                        serverSaw.add("close:" + status.code());
                    }
                })
                .start();
    }

    private String nextServerEvent() throws InterruptedException {
        String event = serverSaw.poll(20, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("the server saw nothing in 20 s");
        }
        return event;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void sendsEachLineAndClosesWith1000AtEndOfInput(String transport) throws Exception {
        startServer(transport);
        int status = connect("first line\nsecond ✓\n", url(), "--transport", transport,
                "--subprotocol", "chat.v1", "--header", "X-Test: yes");
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("open subprotocol=chat.v1 x-test=yes", nextServerEvent());
        assertEquals("text:first line", nextServerEvent());
        assertEquals("text:second ✓", nextServerEvent());
        assertEquals("close:1000", nextServerEvent());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("< welcome\n"), printed);
        assertTrue(printed.contains("< [binary 3 bytes] 01 02 03\n"), printed);
        String info = err.toString(StandardCharsets.UTF_8);
        assertTrue(info.contains("connected to " + url() + ", subprotocol chat.v1"), info);
        assertTrue(info.contains("closed: 1000"), info);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void echoModeSendsEverythingBackAndSucceedsOnANormalClose(String transport) throws Exception {
        // the server sends a text and a binary message and closes with 1001 once both came back
        server = WebSocketServer.builder().port(0).transport(Transport.named(transport))
                .route("/chat", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        webSocket.sendText("one");
                        webSocket.sendBinary(ByteBuffer.wrap(new byte[] {9, 8}));
                    }

                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        serverSaw.add("text:" + text);
                    }

                    @Override
                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                        serverSaw.add("binary:" + data.remaining());
                        webSocket.close(1001, "done");
                    }
                })
                .start();
        int status = connect("ignored\n", url(), "--echo", "--transport", transport);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("text:one", nextServerEvent());
        assertEquals("binary:2", nextServerEvent());
        assertEquals("", out.toString(StandardCharsets.UTF_8), "echo mode prints no messages");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void echoModeFailsOnAnAbnormalClose(String transport) throws Exception {
        server = WebSocketServer.builder().port(0).transport(Transport.named(transport))
                .route("/chat", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        webSocket.close(4000, "go away");
                    }
                })
                .start();
        assertEquals(1, connect("", url(), "--echo", "--transport", transport));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("4000"), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void refusedConnectionExitsWith1(String transport) throws Exception {
        startServer(transport);
        String wrongPath = "ws://127.0.0.1:" + server.port() + "/nowhere";
        assertEquals(1, connect("", wrongPath, "--transport", transport));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot connect to " + wrongPath),
                err.toString(StandardCharsets.UTF_8));
    }

    /** --proxy: the connect goes to the proxy as CONNECT, and its refusal is what the user reads. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void proxyOptionTunnelsThroughTheProxyAndReportsItsRefusal(String transport) throws Exception {
        try (java.net.ServerSocket proxy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            BlockingQueue<String> requestLines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket client = proxy.accept()) {
                    java.io.BufferedReader in = new java.io.BufferedReader(
                            new java.io.InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                    requestLines.add(in.readLine());
                    while (!in.readLine().isEmpty()) {
                        // the rest of the head
                    }
                    client.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException | RuntimeException e) {
                    requestLines.add("proxy failed: " + e);
                }
            });
            String target = "ws://origin.example:8080/chat";
            assertEquals(1, connect("", target, "--proxy", "http://127.0.0.1:" + proxy.getLocalPort(), "--transport", transport));
            assertEquals("CONNECT origin.example:8080 HTTP/1.1", requestLines.poll(20, TimeUnit.SECONDS));
            String shown = err.toString(StandardCharsets.UTF_8);
            assertTrue(shown.contains("cannot connect to " + target) && shown.contains("refused CONNECT origin.example:8080: 403"),
                    shown);
        }
    }

    @org.junit.jupiter.api.Test
    void proxyChoicesExcludeEachOtherAndOnlyHttpProxiesAreTaken() {
        UsageException both = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> ConnectCommand.parse(List.of("ws://h/", "--proxy", "http://p:3128", "--no-proxy")));
        assertTrue(both.getMessage().contains("exclude each other"), both.getMessage());
        UsageException socks = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> ConnectCommand.parse(List.of("ws://h/", "--proxy", "socks5://p:1080")));
        assertTrue(socks.getMessage().startsWith("--proxy: "), socks.getMessage());
    }

    /** A server on /json that greets with a JSON text and a binary message, echoes texts, and closes with 1000 on "bye". */
    private String startJsonServer() throws Exception {
        server = WebSocketServer.builder().port(0)
                .route("/json", List.of("chat.v1"), new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        webSocket.sendText("{\"a\":[1,2]}");
                        webSocket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    }

                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        if (text.equals("bye")) {
                            webSocket.close(1000, "bye");
                        } else {
                            webSocket.sendText(text);
                        }
                    }
                })
                .start();
        return "ws://127.0.0.1:" + server.port() + "/json";
    }

    /** Outside a terminal (a pipe, a script, CI's smoke test) nothing changed: JSON is not indented, nothing is coloured. */
    @org.junit.jupiter.api.Test
    void outsideATerminalMessagesArePlainLinesAsBefore() throws Exception {
        String url = startJsonServer();
        assertEquals(0, connectUntilTheServerCloses("hello\nbye\n", url, "--subprotocol", "chat.v1"), err.toString(StandardCharsets.UTF_8));
        assertEquals("< {\"a\":[1,2]}\n< [binary 3 bytes] 01 02 03\n< hello\n", out.toString(StandardCharsets.UTF_8));
        String info = err.toString(StandardCharsets.UTF_8);
        assertTrue(info.startsWith("* connected to " + url + ", subprotocol chat.v1 (type messages; end input to close)\n"), info);
        assertTrue(info.contains("* closed: 1000 normal closure \"bye\""), info);
        assertTrue(!info.contains("\u001b") && !out.toString(StandardCharsets.UTF_8).contains("\u001b"), "no colour: " + info);
    }

    @org.junit.jupiter.api.Test
    void jsonOptionPrintsEveryEventAsOneJsonObjectALine() throws Exception {
        String url = startJsonServer();
        assertEquals(0, connectUntilTheServerCloses("{\"b\":true}\nbye\n", url, "--json", "--subprotocol", "chat.v1"));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"event\":\"open\",\"url\":\"" + url + "\",\"subprotocol\":\"chat.v1\",\"extensions\":[")
                && lines.get(0).endsWith("]}"), lines.get(0));
        assertEquals("{\"event\":\"message\",\"type\":\"text\",\"data\":\"{\\\"a\\\":[1,2]}\"}", lines.get(1));
        assertEquals("{\"event\":\"message\",\"type\":\"binary\",\"data\":\"AQID\"}", lines.get(2));
        assertEquals("{\"event\":\"message\",\"type\":\"text\",\"data\":\"{\\\"b\\\":true}\"}", lines.get(3));
        assertEquals("{\"event\":\"close\",\"code\":1000,\"reason\":\"bye\",\"error\":null}", lines.get(4));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void jsonOptionReportsAFailedConnectAsAnErrorLine() throws Exception {
        String url = startJsonServer().replace("/json", "/nowhere");
        assertEquals(1, connect("", url, "--json"));
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("{\"event\":\"error\",\"message\":\"cannot connect to " + url + ": handshake refused with HTTP 404")
                && line.endsWith("\"}\n") && line.lines().count() == 1, line);
    }
}
