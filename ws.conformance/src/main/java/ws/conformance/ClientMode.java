package ws.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import ws.conformance.cases.CaseResult;
import ws.conformance.cases.ConformanceCase;
import ws.conformance.cases.Timing;
import ws.conformance.wire.Http;
import ws.conformance.wire.Pmd;

/** Client mode: each case opens a fresh connection to a server URL (Autobahn's fuzzing client). */
public final class ClientMode implements Mode {
    private final URI target;
    private final Timing timing;
    private final ScheduledExecutorService timers = Suite.newTimers();

    /** A runner against {@code target} ({@code ws://host:port/path}). */
    public ClientMode(URI target, Timing timing) {
        if (!"ws".equals(target.getScheme())) {
            throw new IllegalArgumentException("target must be a ws:// URL: " + target);
        }
        this.target = target;
        this.timing = timing;
    }

    @Override
    public String describe() {
        return "client mode against " + target;
    }

    @Override
    public CaseResult run(ConformanceCase testCase) throws InterruptedException {
        long start = System.nanoTime();
        int port = target.getPort() < 0 ? 80 : target.getPort();
        Socket socket = new Socket();
        InputStream in;
        Pmd.Agreement deflate = null;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.getHost(), port), 10_000);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            byte[] keyBytes = new byte[16];
            ThreadLocalRandom.current().nextBytes(keyBytes);
            String key = Base64.getEncoder().encodeToString(keyBytes);
            String path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            socket.getOutputStream().write(Http.clientRequest(target.getHost() + ":" + port, path, key,
                    testCase.requestHeaders()));
            Http.Head response = Http.readHead(in, 16 << 10);
            String problem = Http.checkServerResponse(response, key, testCase.deflate() != null);
            if (problem == null && testCase.deflate() != null) {
                List<Pmd.Element> answer = Pmd.parse(response.headerList("Sec-WebSocket-Extensions"));
                if (!answer.isEmpty()) {
                    problem = Pmd.checkResponse(Pmd.parse(String.join(", ", testCase.deflate().offers())), answer);
                    if (problem == null) {
                        deflate = Pmd.Agreement.of(answer.get(0));
                    }
                }
            }
            if (problem != null) {
                closeQuietly(socket);
                return CaseResult.notRun(testCase.id(), testCase.description(), testCase.extra(),
                        "opening handshake: " + problem, Suite.millisSince(start));
            }
            socket.setSoTimeout(0);
        } catch (IOException e) {
            closeQuietly(socket);
            return CaseResult.notRun(testCase.id(), testCase.description(), testCase.extra(),
                    "could not open a connection to " + target + ": " + e, Suite.millisSince(start));
        }
        return Suite.runOver(testCase, socket, in, false, timing, timers, deflate);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
