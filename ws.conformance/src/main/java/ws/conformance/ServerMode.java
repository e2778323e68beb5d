package ws.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import ws.conformance.cases.CaseResult;
import ws.conformance.cases.ConformanceCase;
import ws.conformance.cases.Timing;
import ws.conformance.wire.Http;
import ws.conformance.wire.Pmd;

/**
 * Server mode: the suite listens (Autobahn's fuzzing server); for each case it launches the client
 * under test with a URL whose path names the case ({@code ws://127.0.0.1:P/case/6.4.1?agent=A}),
 * accepts its connection, and runs the case as the server.
 */
public final class ServerMode implements Mode {
    private final ServerSocket listener;
    private final ClientLauncher launcher;
    private final Timing timing;
    private final String agent;
    private final long connectTimeoutMs;
    private final ScheduledExecutorService timers = Suite.newTimers();

    /**
     * Listens on {@code port} (0: any free port) on the loopback address.
     *
     * @param connectTimeoutMs how long a launched client may take to connect (process start included)
     */
    public ServerMode(int port, ClientLauncher launcher, Timing timing, String agent, long connectTimeoutMs)
            throws IOException {
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.launcher = launcher;
        this.timing = timing;
        this.agent = agent;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** The port listened on. */
    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public String describe() {
        return "server mode on port " + port() + " with client: " + launcher.describe();
    }

    /** The URL a client connects to for case {@code id}. */
    public URI urlFor(String id) {
        return URI.create("ws://127.0.0.1:" + port() + "/case/" + id + "?agent="
                + URLEncoder.encode(agent, StandardCharsets.UTF_8));
    }

    @Override
    public CaseResult run(ConformanceCase testCase) throws InterruptedException {
        long start = System.nanoTime();
        ClientLauncher.Handle handle;
        try {
            handle = launcher.launch(urlFor(testCase.id()));
        } catch (IOException e) {
            return CaseResult.notRun(testCase.id(), testCase.description(), testCase.extra(),
                    "could not launch the client: " + e, Suite.millisSince(start));
        }
        CaseResult result;
        Socket socket = null;
        Pmd.Agreement deflate = null;
        try {
            long deadline = System.currentTimeMillis() + connectTimeoutMs;
            InputStream in = null;
            while (socket == null) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new SocketTimeoutException("the client did not connect within " + connectTimeoutMs + " ms"
                            + (handle.outcome() == null ? "" : " (it ended: " + handle.outcome() + ")"));
                }
                listener.setSoTimeout((int) Math.min(left, 250));
                Socket s;
                try {
                    s = listener.accept();
                } catch (SocketTimeoutException e) {
                    if (handle.outcome() != null) {
                        throw new SocketTimeoutException("the client ended without connecting: " + handle.outcome());
                    }
                    continue;
                }
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                in = new BufferedInputStream(s.getInputStream(), 1 << 16);
                Http.Head request;
                try {
                    request = Http.readHead(in, 16 << 10);
                } catch (IOException e) {
                    ClientMode.closeQuietly(s);
                    continue;
                }
                String target = Http.requestTarget(request);
                String problem = Http.checkClientRequest(request);
                if (!target.startsWith("/case/" + testCase.id() + "?") && !target.equals("/case/" + testCase.id())) {
                    s.getOutputStream().write(Http.errorResponse(404, "Not Found", "not the current case: " + target
                            + "\n"));
                    ClientMode.closeQuietly(s);
                    continue;
                }
                if (problem != null) {
                    s.getOutputStream().write(Http.errorResponse(400, "Bad Request", problem + "\n"));
                    ClientMode.closeQuietly(s);
                    return CaseResult.notRun(testCase.id(), testCase.description(), testCase.extra(),
                            "opening handshake from the client: " + problem, Suite.millisSince(start));
                }
                // Offers are fine; only the permessage-deflate cases (groups 12, 13) accept one.
                List<String[]> extra = List.of();
                if (testCase.deflate() != null) {
                    List<Pmd.Element> offers = Pmd.parse(request.headerList("Sec-WebSocket-Extensions"));
                    String answer = testCase.deflate().accept().apply(offers);
                    if (answer != null) {
                        deflate = Pmd.Agreement.of(Pmd.parse(answer).get(0));
                        extra = List.<String[]>of(new String[] {"Sec-WebSocket-Extensions", answer});
                    }
                }
                s.getOutputStream().write(Http.serverResponse(request.header("Sec-WebSocket-Key"), extra));
                s.setSoTimeout(0);
                socket = s;
            }
            result = Suite.runOver(testCase, socket, in, true, timing, timers, deflate);
        } catch (IOException e) {
            if (socket != null) {
                ClientMode.closeQuietly(socket);
            }
            handle.stop();
            return CaseResult.notRun(testCase.id(), testCase.description(), testCase.extra(), e.getMessage(),
                    Suite.millisSince(start));
        }
        if (!handle.awaitExit(5_000)) {
            handle.stop();
            result = result.withNote("the client did not end within 5 s after the connection closed (stopped)");
        }
        return result;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        launcher.close();
    }
}
