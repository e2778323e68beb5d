package ws.transport.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.api.HttpHandler;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpBodyReader;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.ServerHandshake;

/**
 * A server connection before it is a WebSocket: plain HTTP exchanges on one socket, kept alive
 * between them, until the client leaves, the server stops, or an upgrade request hands the socket
 * (with the parsed request and the bytes after it) to a {@link StreamConnection} on the same thread.
 *
 * <p><b>The session thread</b> (the connection's thread) opens the wire (a layer's handshake: TLS),
 * reads a request head and its body, asks the server core for the handler and calls it. While the
 * exchange is held, the thread goes on reading: the client's end of input abandons the held exchange,
 * and a pipelined next request waits until the held one is answered (responses keep the requests'
 * order). A response sent during the handler is written inline; one sent later, from another thread,
 * is written by a virtual thread of its own, so the responder never blocks on the network.
 *
 * <p><b>Time.</b> A held exchange is never timed out here (its handler owns its timing). Otherwise the
 * connection is bounded by the handshake timeout: from accept to the first request's end, from each
 * response to the next request's end, and for the lingering close after a last response.
 */
final class HttpSession {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSession.class);
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * The input buffer's first size: an upgrade request of a browser is 400-700 bytes, and this buffer
     * is garbage once the connection is a WebSocket (its own read buffer takes over); fill() grows it
     * for a longer head.
     */
    private static final int INITIAL_BUFFER = 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final String id = "http-" + IDS.incrementAndGet();
    private final StreamServer server;
    private final java.io.Closeable raw;
    private final StreamServer.WireOpener opener;
    private final int maxHead;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when {@link #current} becomes null. */
    private final Condition idle = lock.newCondition();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile Wire wire;
    private volatile Thread thread;
    /** The exchange dispatched and not yet done (held, or its response being written). Guarded by lock. */
    private SocketExchange current;
    /** The last response said the connection ends after it. Guarded by lock. */
    private boolean lastResponse;
    /** The server stops: no more exchanges, no hand-off. Guarded by lock. */
    private boolean stopped;
    /** The socket went to a WebSocket connection. Guarded by lock. */
    private boolean handedOff;
    /** The WebSocket connection this session became, run on its thread once the session ended. */
    private StreamConnection upgraded;
    /** The idle bound between exchanges (see the class comment). Guarded by lock. */
    private Future<?> idleTimer = Timers.NONE;

    /** Input received and not yet consumed by a finished request, in {@code [0, position)}. */
    private ByteBuffer in;
    /** Bytes of {@link #in} already fed to the current request's parser or body reader. */
    private int fed;

    HttpSession(StreamServer server, java.io.Closeable raw, StreamServer.WireOpener opener, ByteBuffer alreadyRead) {
        this.server = server;
        this.raw = raw;
        this.opener = opener;
        this.maxHead = server.connectionOptions().limits().maxHandshakeHeaderBytes();
        this.in = ByteBuffer.allocate(Math.max(INITIAL_BUFFER, alreadyRead == null ? 0 : alreadyRead.remaining()));
        if (alreadyRead != null) {
            in.put(alreadyRead);
        }
    }

    String id() {
        return id;
    }

    /** Completes when the session's thread no longer serves HTTP (it ended, or handed off). */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    Thread thread() {
        return thread;
    }

    /**
     * A connection's whole life on the calling thread: this session's HTTP phase, then the WebSocket
     * connection it became, if any. The session is forgotten before the WebSocket runs (the holder is
     * emptied), so an idle WebSocket keeps nothing of its HTTP phase.
     */
    static void runThread(java.util.concurrent.atomic.AtomicReference<HttpSession> holder) {
        StreamConnection next = holder.getAndSet(null).run();
        if (next != null) {
            Thread.currentThread().setName("ws-server-" + next.driver().id());
            next.run();
        }
    }

    /** Serves the connection on the calling thread until it ends or becomes a WebSocket, which it returns. */
    StreamConnection run() {
        thread = Thread.currentThread();
        armIdleTimer();
        try {
            wire = opener.open();
            lock.lock();
            try {
                if (stopped) {
                    return null;
                }
            } finally {
                lock.unlock();
            }
            serve();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: ended: {}", id, e.toString());
        } finally {
            boolean gone;
            SocketExchange held;
            lock.lock();
            try {
                gone = !handedOff;
                held = current;
                idleTimer.cancel(false);
            } finally {
                lock.unlock();
            }
            if (gone) {
                if (held != null) {
                    held.abandon(); // not answered yet: it never will be (answered: nothing happens)
                }
                closeWire();
            }
            server.sessionEnded(this);
            terminated.complete(null);
        }
        StreamConnection connection = upgraded;
        upgraded = null;
        return connection;
    }

    /** The request loop; returns when the connection ends or becomes a WebSocket ({@link #upgraded}). */
    private void serve() throws IOException {
        Wire w = wire;
        while (true) {
            HandshakeRequest request;
            HttpHeadParser parser = HttpHeadParser.requests(maxHead);
            try {
                request = readHead(parser);
            } catch (HandshakeException malformed) {
                if (awaitCurrent()) {
                    answerError(malformed);
                }
                return;
            }
            if (request == null) {
                endOfInput();
                return;
            }
            if (!awaitCurrent()) {
                return; // the connection ended with the previous response, or the server stops
            }
            if (ServerHandshake.isUpgradeRequest(request)) {
                // the driver takes the parsed head (not parsed again) and what followed it (frames sent early)
                ByteBuffer rest = null;
                if (in.position() > fed) {
                    rest = ByteBuffer.allocate(in.position() - fed).put(in.flip().position(fed)).flip();
                }
                upgraded = server.upgrade(this, w, raw, request, fed, rest);
                return;
            }
            byte[] body;
            try {
                body = readBody(request);
            } catch (HandshakeException refused) {
                answerError(refused);
                return;
            }
            if (body == null) {
                return; // the client left in the middle of its body
            }
            dispatch(new SocketExchange(this, request, body, w.remoteAddress()));
        }
    }

    /** Reads the next request head into {@link #in}; null at the end of input. */
    private HandshakeRequest readHead(HttpHeadParser parser) throws HandshakeException, IOException {
        while (true) {
            ByteBuffer unfed = in.duplicate().flip().position(fed);
            HandshakeRequest request = parser.parseRequest(unfed);
            fed = unfed.position();
            if (request != null) {
                return request;
            }
            if (!fill()) {
                return null;
            }
        }
    }

    /** The whole body, or null when the input ends first. */
    private byte[] readBody(HandshakeRequest request) throws HandshakeException, IOException {
        HttpBodyReader reader = HttpBodyReader.forRequest(request, server.options().maxHttpBodySize());
        if (!reader.isDone() && fed == in.position() && !request.version().equals("HTTP/1.0")
                && request.headers().containsToken("Expect", "100-continue")) {
            // RFC 9110 section 10.1.1: the client waits for this before sending the body
            write(CONTINUE);
        }
        while (true) {
            ByteBuffer unfed = in.duplicate().flip().position(fed);
            byte[] body = reader.read(unfed);
            fed = unfed.position();
            consumeFed();
            if (body != null) {
                return body;
            }
            if (!fill()) {
                return null;
            }
        }
    }

    /** Drops the bytes fed so far: what stays in {@link #in} is the start of what comes next. */
    private void consumeFed() {
        in.flip().position(fed);
        in.compact();
        fed = 0;
    }

    /** Reads more into {@link #in}, growing it up to the head limit plus one read; false at the end of input. */
    private boolean fill() throws IOException {
        if (!in.hasRemaining()) {
            int bound = maxHead + server.settings().readBufferSize();
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.capacity() + 1, Math.min(bound, 2 * in.capacity())));
            in = bigger.put(in.flip());
        }
        int n = wire.read(in);
        while (n == 0) {
            n = wire.read(in);
        }
        return n > 0;
    }

    private void dispatch(SocketExchange exchange) {
        HttpHandler handler = server.core().httpHandler(exchange.request());
        lock.lock();
        try {
            current = exchange;
            idleTimer.cancel(false);
            idleTimer = Timers.NONE;
        } finally {
            lock.unlock();
        }
        try {
            handler.handle(exchange);
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.warn("{}: the HTTP handler failed on {} {}", id, exchange.request().method(), exchange.request().target(), e);
            exchange.respond(HandshakeResponse.text(500, "the HTTP handler failed"));
        }
    }

    /**
     * Waits until the dispatched exchange is done (answered and written, or abandoned).
     *
     * @return whether the connection serves another request
     */
    private boolean awaitCurrent() {
        lock.lock();
        try {
            while (current != null && !stopped) {
                idle.awaitUninterruptibly();
            }
            return !stopped && !lastResponse;
        } finally {
            lock.unlock();
        }
    }

    /** The client's input ended: a held exchange is abandoned; one being written is finished first. */
    private void endOfInput() {
        SocketExchange held;
        lock.lock();
        try {
            held = current;
        } finally {
            lock.unlock();
        }
        if (held != null && !held.answered()) {
            LOG.debug("{}: the client left while {} was held", id, held);
            held.abandon();
            return;
        }
        awaitCurrent();
    }

    /** Answers a request the session refuses (malformed, too large), then ends the connection. */
    private void answerError(HandshakeException error) {
        LOG.debug("{}: refusing a request with {}: {}", id, error.status(), error.getMessage());
        server.observer().handshakeRejected(wire == null ? null : wire.remoteAddress(), null, error.status(),
                error.getMessage());
        lock.lock();
        try {
            lastResponse = true;
        } finally {
            lock.unlock();
        }
        try {
            write(ServerHandshake.encode(withClose(ServerHandshake.errorResponse(error))));
            linger();
        } catch (IOException e) {
            LOG.debug("{}: could not send the {}: {}", id, error.status(), e.toString());
        }
    }

    private static HandshakeResponse withClose(HandshakeResponse response) {
        return new HandshakeResponse(response.status(), response.reason(),
                response.headers().toBuilder().set("Connection", "close").build(), response.body());
    }

    /** After the last response: FIN, then read and drop until the client's FIN, within the idle bound. */
    private void linger() throws IOException {
        armIdleTimer();
        try {
            wire.shutdownOutput();
        } catch (UnsupportedOperationException noHalfClose) {
            return;
        }
        ByteBuffer discard = ByteBuffer.allocate(1024);
        while (wire.read(discard) >= 0) {
            discard.clear();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Responses, from SocketExchange

    /** Writes a response: inline on the session thread, else on a virtual thread of its own. */
    void send(SocketExchange exchange, byte[] bytes, boolean persists) {
        if (Thread.currentThread() == thread) {
            written(exchange, writeQuietly(bytes), persists);
        } else {
            Thread.ofVirtual().name(id + "-respond").start(() -> written(exchange, writeQuietly(bytes), persists));
        }
    }

    private IOException writeQuietly(byte[] bytes) {
        try {
            write(bytes);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private void write(byte[] bytes) throws IOException {
        wire.write(new ByteBuffer[] {ByteBuffer.wrap(bytes)}, 0, 1);
    }

    /** The response of {@code exchange} was written (or failed): the next request may be served. */
    private void written(SocketExchange exchange, IOException failure, boolean persists) {
        boolean end;
        boolean stopping;
        lock.lock();
        try {
            stopping = stopped;
            if (current == exchange) {
                current = null;
            }
            end = failure != null || !persists || stopped;
            lastResponse |= end;
            armIdleTimer();
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        if (failure != null || stopping) {
            if (failure != null) {
                LOG.debug("{}: writing the response to {} failed: {}", id, exchange, failure.toString());
            }
            closeWire();
        } else if (end) {
            // a lingering close: the session thread, reading ahead, sees the client's FIN (or the idle
            // bound) and closes; closing at once could turn unread input into a reset that loses the response
            try {
                wire.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                closeWire();
            }
        }
    }

    /** An abandon action failed: logged, not propagated. */
    void abandonActionFailed(Throwable failure) {
        LOG.warn("{}: an onAbandon action failed", id, failure);
    }

    // ------------------------------------------------------------------------------------------
    // Ending

    /** Called by the thread taking over: the socket is a WebSocket connection's now, unless stopped. */
    boolean handOff() {
        lock.lock();
        try {
            if (stopped) {
                return false;
            }
            handedOff = true;
            idleTimer.cancel(false);
            idleTimer = Timers.NONE;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The server stops: a held exchange is abandoned, and the connection closed (after the response
     * being written, if one is).
     */
    void stop() {
        SocketExchange held;
        lock.lock();
        try {
            if (stopped || handedOff) {
                stopped = true;
                return;
            }
            stopped = true;
            held = current;
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        if (held == null || held.abandon()) {
            closeWire();
        }
    }

    /** Closes the connection now, whatever it is doing (a shutdown that waited long enough). */
    void abort() {
        lock.lock();
        try {
            if (handedOff) {
                return;
            }
            stopped = true;
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        closeWire();
    }

    private void armIdleTimer() {
        lock.lock();
        try {
            idleTimer.cancel(false);
            // every session of the server has this one delay: the timers' lane, O(1) to arm and cancel
            idleTimer = server.timers().scheduleInLane(server.connectionOptions().handshakeTimeout().toNanos(), id,
                    "idle-timeout", this::idleTimeout);
        } finally {
            lock.unlock();
        }
    }

    private void idleTimeout() {
        lock.lock();
        try {
            if (handedOff || (current != null && !lastResponse)) {
                return; // an exchange is held: its handler owns its timing
            }
        } finally {
            lock.unlock();
        }
        LOG.debug("{}: no request within {}, closing", id, server.connectionOptions().handshakeTimeout());
        closeWire();
    }

    private void closeWire() {
        Wire w = wire;
        if (w != null) {
            w.close();
        }
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    @Override
    public String toString() {
        return "HttpSession[" + id + "]";
    }
}
