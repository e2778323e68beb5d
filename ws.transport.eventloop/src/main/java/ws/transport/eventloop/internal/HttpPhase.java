package ws.transport.eventloop.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
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
 * A server connection before it is a WebSocket, on its loop: plain HTTP exchanges kept alive between
 * them, until the client leaves, the server stops, or an upgrade request hands the connection (with
 * the parsed request and the bytes after it) to a WebSocket driver. The same rules as the socket transports' HTTP phase
 * (docs/architecture.md, "Plain HTTP exchanges on the WebSocket port"), without a thread.
 *
 * <p>Input is kept only while a request is incomplete or waits behind a held exchange (then up to
 * the head limit plus one read, after which reading pauses until the exchange is done); between
 * requests the phase holds no buffer. The handler runs on the loop (it must not block); a response
 * sent from another thread is written by the loop, and what the socket does not take at once by a
 * hand-off thread. A request whose head arrives whole in one read with nothing before it (nearly
 * every one) is parsed in the loop's read buffer, with no input buffer of the phase's own. Every field
 * is the loop thread's.
 */
final class HttpPhase implements LoopChannel.Input {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPhase.class);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final LoopServer server;
    private final LoopChannel channel;
    private final int maxHead;
    /** Input received and not yet consumed by a finished request, in {@code [0, position)}; null when none. */
    private ByteBuffer in;
    /** Bytes of {@link #in} already fed to the current request's parser or body reader. */
    private int fed;
    private HttpHeadParser parser;
    /** The request whose body is being read, or null. */
    private HandshakeRequest request;
    private HttpBodyReader body;
    /** The exchange dispatched and not yet done (held, or its response being written). */
    private LoopExchange current;
    private boolean lastResponse;
    private boolean stopped;
    private boolean inputEnded;
    /** After the last response: input is read and dropped until the client's FIN or the idle bound. */
    private boolean lingering;
    private boolean done;
    private Future<?> idleTimer = LoopServer.NO_TIMER;

    HttpPhase(LoopServer server, LoopChannel channel) {
        this.server = server;
        this.channel = channel;
        this.maxHead = server.connectionOptions().limits().maxHandshakeHeaderBytes();
        this.parser = HttpHeadParser.requests(maxHead);
    }

    /** The connection is registered: the idle bound runs from now. */
    void start() {
        armIdleTimer();
    }

    @Override
    public void received(LoopChannel from, ByteBuffer data) {
        if (lingering || done) {
            return;
        }
        if (in == null && request == null && current == null && !lastResponse && !stopped && servedAtOnce(data)) {
            return;
        }
        append(data);
        process();
    }

    /**
     * The common case: nothing buffered (so the parser is fresh) and a whole request head in this read,
     * parsed where the loop read it, once. An upgrade is handed over; a plain request's body is read
     * from the same bytes, and a request that came whole is dispatched: no input buffer is made and
     * nothing is copied but the bytes after an upgrade's head (and pipelined requests after a plain
     * one, kept in an input buffer for when its response is written). False, with {@code data} as it
     * was and a fresh parser, when it holds no whole head (a head cut short, a malformed one, which the
     * usual path parses again and answers).
     */
    private boolean servedAtOnce(ByteBuffer data) {
        int start = data.position();
        HandshakeRequest head;
        try {
            head = parser.parseRequest(data);
        } catch (HandshakeException malformed) {
            head = null;
        }
        if (head == null) {
            data.position(start);
            parser = HttpHeadParser.requests(maxHead);
            return false;
        }
        if (ServerHandshake.isUpgradeRequest(head)) {
            int headBytes = data.position() - start;
            ByteBuffer rest = data.hasRemaining() ? ByteBuffer.allocate(data.remaining()).put(data).flip() : null;
            handOver(head, headBytes, rest);
            return true;
        }
        if (!begin(head, !data.hasRemaining())) {
            return true;
        }
        byte[] bytes;
        try {
            bytes = body.read(data); // a body cut short is kept by its reader: nothing left in data
        } catch (HandshakeException refused) {
            answerError(refused);
            return true;
        }
        if (bytes != null) {
            if (data.hasRemaining()) {
                append(data); // pipelined requests, served once this one's response is written
            }
            dispatchRequest(bytes);
        }
        return true;
    }

    private void append(ByteBuffer data) {
        if (in == null) {
            in = ByteBuffer.allocate(Math.max(1024, data.remaining()));
            server.inputBufferMade();
        } else if (in.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.position() + data.remaining(), 2 * in.capacity()));
            in = bigger.put(in.flip());
        }
        in.put(data);
        if (current != null && in.position() > maxHead + 16 * 1024) {
            channel.reading(false); // behind a held exchange: enough read ahead
        }
    }

    /** Serves what {@link #in} holds, as far as it goes. */
    private void process() {
        while (!done && current == null && !lastResponse && !stopped && in != null && fed < in.position()) {
            if (request == null) {
                HandshakeRequest head;
                ByteBuffer unfed = in.duplicate().flip().position(fed);
                try {
                    head = parser.parseRequest(unfed);
                } catch (HandshakeException malformed) {
                    answerError(malformed);
                    return;
                }
                fed = unfed.position();
                if (head == null) {
                    return;
                }
                if (ServerHandshake.isUpgradeRequest(head)) {
                    upgrade(head);
                    return;
                }
                if (!begin(head, fed == in.position())) {
                    return;
                }
            }
            ByteBuffer unfed = in.duplicate().flip().position(fed);
            byte[] bytes;
            try {
                bytes = body.read(unfed);
            } catch (HandshakeException refused) {
                answerError(refused);
                return;
            }
            fed = unfed.position();
            consumeFed();
            if (bytes == null) {
                return;
            }
            dispatchRequest(bytes);
        }
        if (inputEnded && current == null) {
            end();
        }
    }

    /**
     * A plain request's head was parsed: its body is to be read next ({@code nothingAfter}: none of it
     * has come yet). False when the request is refused (answered, the connection ending).
     */
    private boolean begin(HandshakeRequest head, boolean nothingAfter) {
        try {
            body = HttpBodyReader.forRequest(head, server.options().maxHttpBodySize());
        } catch (HandshakeException refused) {
            answerError(refused);
            return false;
        }
        request = head;
        if (!body.isDone() && nothingAfter && !head.version().equals("HTTP/1.0")
                && head.headers().containsToken("Expect", "100-continue")) {
            // RFC 9110 section 10.1.1: the client waits for this before sending the body
            write(CONTINUE, null);
        }
        return true;
    }

    /** The current request came whole (its body is {@code bytes}): handed to its handler. */
    private void dispatchRequest(byte[] bytes) {
        HandshakeRequest complete = request;
        request = null;
        body = null;
        parser = HttpHeadParser.requests(maxHead);
        dispatch(new LoopExchange(this, complete, bytes, channel.remoteAddress()));
    }

    /** Drops the bytes fed so far; an empty input buffer is let go. */
    private void consumeFed() {
        in.flip().position(fed);
        in.compact();
        fed = 0;
        if (in.position() == 0) {
            in = null;
        }
    }

    /** The driver takes the parsed head (not parsed again) and what followed it (frames sent early). */
    private void upgrade(HandshakeRequest head) {
        int headBytes = fed;
        ByteBuffer rest = null;
        if (in.position() > fed) {
            rest = ByteBuffer.allocate(in.position() - fed).put(in.flip().position(fed)).flip();
        }
        in = null;
        handOver(head, headBytes, rest);
    }

    /** The phase is over: the driver takes {@code head} ({@code headBytes} long) and {@code rest} (or null). */
    private void handOver(HandshakeRequest head, int headBytes, ByteBuffer rest) {
        idleTimer.cancel(false);
        idleTimer = LoopServer.NO_TIMER;
        done = true;
        server.upgrade(this, channel, head, headBytes, rest);
    }

    private void dispatch(LoopExchange exchange) {
        HttpHandler handler = server.core().httpHandler(exchange.request());
        current = exchange;
        idleTimer.cancel(false);
        idleTimer = LoopServer.NO_TIMER;
        try {
            handler.handle(exchange);
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.warn("the HTTP handler failed on {} {}", exchange.request().method(), exchange.request().target(), e);
            exchange.respond(HandshakeResponse.text(500, "the HTTP handler failed"));
        }
    }

    /** Answers a request the phase refuses (malformed, too large), then ends the connection. */
    private void answerError(HandshakeException error) {
        LOG.debug("refusing a request from {} with {}: {}", channel.remoteAddress(), error.status(), error.getMessage());
        server.observer().handshakeRejected(channel.remoteAddress(), null, error.status(), error.getMessage());
        lastResponse = true;
        HandshakeResponse response = ServerHandshake.errorResponse(error);
        response = new HandshakeResponse(response.status(), response.reason(),
                response.headers().toBuilder().set("Connection", "close").build(), response.body());
        write(ServerHandshake.encode(response), failure -> {
            if (failure != null) {
                end();
            } else {
                linger();
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // Responses

    /** Writes a response of {@code exchange}, from any thread: the loop writes it. */
    void send(LoopExchange exchange, byte[] bytes, boolean persists) {
        channel.loop.execute(() -> write(bytes, failure -> written(exchange, failure, persists)));
    }

    /**
     * Writes {@code bytes} on the loop: what the socket takes now, the rest on a hand-off thread; then
     * {@code after} on the loop with the failure or null.
     */
    private void write(byte[] bytes, java.util.function.Consumer<IOException> after) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            channel.tryWrite(buffer);
        } catch (IOException e) {
            if (after != null) {
                after.accept(e);
            }
            return;
        }
        if (!buffer.hasRemaining()) {
            if (after != null) {
                after.accept(null);
            }
            return;
        }
        server.writers().execute(() -> {
            IOException failure = null;
            try {
                channel.write(new ByteBuffer[] {buffer}, 0, 1);
            } catch (IOException e) {
                failure = e;
            }
            IOException result = failure;
            if (after != null) {
                channel.loop.execute(() -> after.accept(result));
            }
        });
    }

    /** The response of {@code exchange} was written (or failed): the next request may be served. */
    private void written(LoopExchange exchange, IOException failure, boolean persists) {
        if (current == exchange) {
            current = null;
        }
        boolean end = failure != null || !persists || stopped;
        lastResponse |= end;
        if (failure != null || stopped || done) {
            if (failure != null) {
                LOG.debug("writing the response to {} failed: {}", exchange, failure.toString());
            }
            end();
        } else if (end) {
            linger();
        } else {
            armIdleTimer();
            channel.reading(true);
            process();
        }
    }

    /** After the last response: FIN, then input dropped until the client's FIN, within the idle bound. */
    private void linger() {
        if (done) {
            return;
        }
        lingering = true;
        in = null;
        armIdleTimer();
        channel.reading(true);
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            end();
            return;
        }
        if (inputEnded) {
            end();
        }
    }

    /** An abandon action failed: logged, not propagated. */
    static void abandonActionFailed(Throwable failure) {
        LOG.warn("an onAbandon action failed", failure);
    }

    // ------------------------------------------------------------------------------------------
    // Ending

    @Override
    public void endOfInput(LoopChannel from) {
        inputEnded = true;
        if (done) {
            return;
        }
        LoopExchange held = current;
        if (held != null && !held.answered()) {
            LOG.debug("the client left while {} was held", held);
            held.abandon();
            end();
        } else if (held == null || lingering) {
            end();
        }
        // else: a response is being written; written() ends the connection after it
    }

    @Override
    public void failed(LoopChannel from, IOException error) {
        if (done) {
            return;
        }
        LOG.debug("HTTP connection from {} ended: {}", channel.remoteAddress(), error.toString());
        LoopExchange held = current;
        if (held != null) {
            held.abandon();
        }
        end();
    }

    /** The server stops: a held exchange is abandoned, and the connection closed (after a response being written). */
    void stop() {
        channel.loop.execute(() -> {
            if (done) {
                return;
            }
            stopped = true;
            LoopExchange held = current;
            if (held == null || held.abandon()) {
                end();
            }
        });
    }

    private void armIdleTimer() {
        idleTimer.cancel(false);
        // every phase of the server has this one delay: the loop's lane of equal timers, O(1) to arm and cancel
        idleTimer = channel.loop.scheduleInLane(server.connectionOptions().handshakeTimeout().toNanos(), this::idleTimeout);
    }

    private void idleTimeout() {
        if (done || (current != null && !lastResponse)) {
            return; // an exchange is held: its handler owns its timing
        }
        LOG.debug("no request from {} within {}, closing", channel.remoteAddress(),
                server.connectionOptions().handshakeTimeout());
        end();
    }

    private void end() {
        if (done) {
            return;
        }
        done = true;
        in = null;
        idleTimer.cancel(false);
        idleTimer = LoopServer.NO_TIMER;
        channel.close();
        server.sessionEnded(this);
    }
}
