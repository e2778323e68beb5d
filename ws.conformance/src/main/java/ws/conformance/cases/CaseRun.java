package ws.conformance.cases;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import ws.conformance.wire.DeflateWalker;
import ws.conformance.wire.FrameReader;
import ws.conformance.wire.Frames;
import ws.conformance.wire.MessageDeflate;
import ws.conformance.wire.Pmd;
import ws.conformance.wire.RawFrame;
import ws.conformance.wire.Utf8;

/**
 * The fuzzing side of one connection for one case, after the opening handshake.
 *
 * <p>A case script (on the caller's thread) sets expectations and sends raw frames; a reader thread
 * parses what the peer sends, checks every frame against RFC 6455, records messages, pings and pongs,
 * answers pings and close frames as a conformant endpoint would, and closes the TCP connection when
 * the server should (we are the server) or waits for the server to (we are the client). When the
 * connection is over, {@link #judge()} compares what happened with what the case expects.
 *
 * <p>Threads: the script thread, the reader thread, a writer thread (all socket writes, in order,
 * so the reader never blocks on a write), and timer callbacks. State is guarded by one lock.
 */
public final class CaseRun {
    /** The largest message the suite accepts from a peer (Autobahn's biggest is 16 MiB). */
    static final long MAX_MESSAGE = 64L << 20;

    private final ConformanceCase testCase;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean weAreServer;
    private final Timing timing;
    private final ScheduledExecutorService timers;
    private final ExecutorService writer;
    private final long started = System.nanoTime();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // guarded by lock
    private final List<Event> received = new ArrayList<>();
    private final Map<Verdict, List<Event>> expected = new LinkedHashMap<>();
    private boolean expectClosedByMe = true;
    private boolean requireClean = true;
    private List<Integer> expectCodes = List.of(1000);
    private boolean suppressClose;
    private boolean informational;
    private String informationalResult = "";
    private Verdict customBehavior;
    private String customResult;
    private Consumer<Event> onMessage;
    private int allowedRsv;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean closedByMe;
    private boolean droppedByMe;
    private boolean tcpClosed;
    private boolean finished;
    private boolean killFired;
    private boolean closeTimedOut;
    private boolean serverDropTimedOut;
    private Integer remoteCloseCode;
    private String remoteCloseReason;
    private int fragmentOpcode = -1;
    private ByteArrayOutputStream fragments;
    private final List<String> violations = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private boolean writeFailed;
    private boolean messageCompressed;
    private boolean recordMessages = true;
    private int messagesReceived;
    private String unimplemented;

    /** permessage-deflate as negotiated for this connection, or {@code null}. */
    private final Pmd.Agreement deflate;
    /** The suite's compressor and the checker of the peer's messages, when deflate was agreed. */
    private final MessageDeflate codec;
    /** Compressing and queueing a message is one step, so that messages go out in compression order. */
    private final ReentrantLock sendLock = new ReentrantLock();

    /**
     * A run over an open connection whose handshake is done.
     *
     * @param in          the connection's input, positioned after the handshake
     * @param weAreServer whether the suite is the server (it then sends unmasked frames)
     */
    public CaseRun(ConformanceCase testCase, Socket socket, InputStream in, boolean weAreServer, Timing timing,
                   ScheduledExecutorService timers) throws IOException {
        this(testCase, socket, in, weAreServer, timing, timers, null);
    }

    /**
     * A run over an open connection whose handshake agreed permessage-deflate as {@code deflate}
     * ({@code null}: no extension). With an agreement, RSV1 is allowed on the first frame of a
     * message, and such messages are decompressed and checked (window, context takeover).
     */
    public CaseRun(ConformanceCase testCase, Socket socket, InputStream in, boolean weAreServer, Timing timing,
                   ScheduledExecutorService timers, Pmd.Agreement deflate) throws IOException {
        this.deflate = deflate;
        this.codec = deflate == null ? null : new MessageDeflate(deflate, weAreServer);
        this.allowedRsv = deflate == null ? 0 : 4;
        this.testCase = testCase;
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.weAreServer = weAreServer;
        this.timing = timing;
        this.timers = timers;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "conformance-writer-" + testCase.id());
            t.setDaemon(true);
            return t;
        });
    }

    // ---------------------------------------------------------------- expectations (the case's onOpen)

    /** Accepts this exact sequence of events with {@code verdict}. The first matching sequence wins. */
    public void expect(Verdict verdict, Event... events) {
        lock.lock();
        try {
            expected.put(verdict, List.of(events));
        } finally {
            lock.unlock();
        }
    }

    /** Accepts this exact sequence of events with {@code verdict}. */
    public void expect(Verdict verdict, List<Event> events) {
        expect(verdict, events.toArray(Event[]::new));
    }

    /**
     * The closing behaviour expected.
     *
     * @param closedByMe   whether the suite must be the one to send the first close frame (else the peer
     *                     must fail the connection: close frame first, or a TCP drop)
     * @param requireClean whether a full close handshake is required
     * @param codes        the acceptable close codes from the peer (an empty close frame is accepted too)
     */
    public void expectClose(boolean closedByMe, boolean requireClean, int... codes) {
        lock.lock();
        try {
            expectClosedByMe = closedByMe;
            this.requireClean = requireClean;
            expectCodes = Arrays.stream(codes).boxed().toList();
        } finally {
            lock.unlock();
        }
    }

    /** Do not start the close handshake automatically when the expected events have arrived. */
    public void suppressClose() {
        lock.lock();
        try {
            suppressClose = true;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the case informational: its verdict is INFORMATIONAL whatever happens; {@code result} says what. */
    public void informational(String result) {
        lock.lock();
        try {
            informational = true;
            informationalResult = result;
        } finally {
            lock.unlock();
        }
    }

    /** Sets the events verdict directly (performance cases judge messages themselves). */
    public void behavior(Verdict verdict, String result) {
        lock.lock();
        try {
            customBehavior = verdict;
            customResult = result;
        } finally {
            lock.unlock();
        }
    }

    /** Calls {@code handler} on the reader thread for every complete message, after recording it. */
    public void onMessage(Consumer<Event> handler) {
        lock.lock();
        try {
            onMessage = handler;
        } finally {
            lock.unlock();
        }
    }

    /** Allows these RSV bits from the peer (an extension was negotiated): 4 = RSV1. */
    public void allowRsv(int mask) {
        lock.lock();
        try {
            allowedRsv = mask;
        } finally {
            lock.unlock();
        }
    }

    /** The permessage-deflate agreement of this connection, or {@code null} when none was negotiated. */
    public Pmd.Agreement deflate() {
        return deflate;
    }

    /** Whether this side (the suite) is the server. */
    public boolean weAreServer() {
        return weAreServer;
    }

    /**
     * Whether to keep every message received for the verdict (default true); cases that move much
     * data (group 12) judge each message in {@link #onMessage} and keep only a count.
     */
    public void recordMessages(boolean value) {
        lock.lock();
        try {
            recordMessages = value;
        } finally {
            lock.unlock();
        }
    }

    /** How many complete messages the peer sent. */
    public int messagesReceived() {
        lock.lock();
        try {
            return messagesReceived;
        } finally {
            lock.unlock();
        }
    }

    /** The case cannot run: the peer did not agree to what it needs. Its verdict is UNIMPLEMENTED. */
    public void unimplemented(String why) {
        lock.lock();
        try {
            unimplemented = why;
        } finally {
            lock.unlock();
        }
    }

    /** The largest back-reference distance checked in the peer's compressed messages (0: none checked). */
    public int largestPeerDistance() {
        return codec == null ? 0 : codec.largestPeerDistance();
    }

    // ---------------------------------------------------------------- actions

    /**
     * Sends a whole message, compressed when permessage-deflate was agreed (RSV1 on the first frame
     * only), split into frames of at most {@code fragmentSize} payload bytes (0: one frame), and
     * waits until it is written. Compression happens before splitting, as Autobahn's auto-fragmentation.
     */
    public void sendMessage(int opcode, byte[] data, int fragmentSize) {
        Future<?> f;
        sendLock.lock();
        try {
            byte[] bytes = encodeMessage(opcode, data, fragmentSize);
            f = writer.submit(() -> write(bytes, 0, false));
        } finally {
            sendLock.unlock();
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** As {@link #sendMessage}, without waiting for the write (for use on the reader thread). */
    public void sendMessageAsync(int opcode, byte[] data, int fragmentSize) {
        sendLock.lock();
        try {
            byte[] bytes = encodeMessage(opcode, data, fragmentSize);
            writer.submit(() -> write(bytes, 0, false));
        } finally {
            sendLock.unlock();
        }
    }

    private byte[] encodeMessage(int opcode, byte[] data, int fragmentSize) {
        sendLock.lock();
        try {
            byte[] payload = codec == null ? data : codec.compress(data);
            int rsv = codec == null ? 0 : 4;
            if (fragmentSize <= 0 || payload.length <= fragmentSize) {
                return Frames.encode(true, rsv, opcode, payload, maskKey());
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream(payload.length + payload.length / fragmentSize * 14 + 14);
            for (int off = 0; off < payload.length; off += fragmentSize) {
                int end = Math.min(payload.length, off + fragmentSize);
                all.writeBytes(Frames.encode(end == payload.length, off == 0 ? rsv : 0,
                        off == 0 ? opcode : RawFrame.CONTINUATION, Arrays.copyOfRange(payload, off, end), maskKey()));
            }
            return all.toByteArray();
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends one frame, masked when we are the client, in chops of {@code chop} bytes (0: whole). */
    public void sendFrame(int opcode, boolean fin, int rsv, byte[] payload, int chop, boolean sync) {
        send(Frames.encode(fin, rsv, opcode, payload, maskKey()), chop, sync);
    }

    /** Sends a final frame with no RSV bits in one write. */
    public void sendFrame(int opcode, byte[] payload) {
        sendFrame(opcode, true, 0, payload, 0, false);
    }

    /** Sends a frame with no RSV bits in one write. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) {
        sendFrame(opcode, fin, 0, payload, 0, false);
    }

    /** Sends a final frame with a UTF-8 payload in one write. */
    public void sendFrame(int opcode, String payload) {
        sendFrame(opcode, Frames.utf8(payload));
    }

    /** Queues a final frame without waiting for it to be written (for use on the reader thread). */
    public void sendFrameAsync(int opcode, byte[] payload) {
        byte[] frame = Frames.encode(true, 0, opcode, payload, maskKey());
        writer.submit(() -> write(frame, 0, false));
    }

    /** The bytes of a frame as this side sends it (masked when we are the client). */
    public byte[] encodeFrame(int opcode, boolean fin, byte[] payload) {
        return Frames.encode(fin, 0, opcode, payload, maskKey());
    }

    /** Writes raw bytes, in chops of {@code chop} bytes (0: whole), pausing between chops when {@code sync}. */
    public void send(byte[] bytes, int chop, boolean sync) {
        Future<?> f = writer.submit(() -> write(bytes, chop, sync));
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Starts the close handshake with {@code code} (and no reason), as Autobahn's {@code sendClose}:
     * the peer then has the close wait to answer.
     */
    public void sendClose(int code) {
        sendCloseFrame(Frames.closePayload(code, new byte[0]));
    }

    /** Sends a close frame with exactly this payload (any code, any reason, any length). */
    public void sendCloseFrame(byte[] payload) {
        sendCloseFrame(payload, new byte[0]);
    }

    /**
     * Sends {@code before} (raw frame bytes) and a close frame with this payload in one write, so both
     * usually arrive in one TCP segment.
     */
    public void sendCloseFrame(byte[] payload, byte[] before) {
        lock.lock();
        try {
            if (!closeSent && !closeReceived) {
                closedByMe = true;
            }
            boolean first = !closeSent;
            closeSent = true;
            if (first && !closeReceived) {
                startCloseWait();
            }
        } finally {
            lock.unlock();
        }
        byte[] close = Frames.encode(true, 0, RawFrame.CLOSE, payload, maskKey());
        byte[] frame = new byte[before.length + close.length];
        System.arraycopy(before, 0, frame, 0, before.length);
        System.arraycopy(close, 0, frame, before.length, close.length);
        writer.submit(() -> write(frame, 0, false));
    }

    /** Whether the connection is still open: no close frame either way, TCP up. */
    public boolean isOpen() {
        lock.lock();
        try {
            return !closeSent && !closeReceived && !tcpClosed;
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps {@code ms} (scaled); returns early when the connection is over. Returns {@link #isOpen()}. */
    public boolean sleep(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timing.ms(ms));
        lock.lock();
        try {
            while (!finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        return isOpen();
    }

    /** Records the marker event {@code tag} (the connection was still open here). */
    public void mark(String tag) {
        lock.lock();
        try {
            received.add(Event.timeout(tag));
            finishWhenDone();
        } finally {
            lock.unlock();
        }
    }

    /** After {@code ms} (scaled), starts the close handshake with 1000 unless a close frame was already sent. */
    public void closeAfter(long ms) {
        schedule(ms, () -> {
            lock.lock();
            boolean send;
            try {
                send = !finished && !closeSent;
            } finally {
                lock.unlock();
            }
            if (send) {
                sendClose(1000);
            }
        });
    }

    /** After {@code ms} (scaled), drops the TCP connection unless it is over (Autobahn's {@code killAfter}). */
    public void killAfter(long ms) {
        long scaled = Math.max(timing.ms(ms), timing.minKillMs());
        scheduledRaw(scaled, () -> {
            lock.lock();
            try {
                if (finished || (closeSent && closeReceived)) {
                    return;
                }
                killFired = true;
                notes.add("kill timer fired after " + scaled + " ms with the connection still up ("
                        + stateText() + "): the suite dropped TCP");
            } finally {
                lock.unlock();
            }
            drop();
        });
    }

    // ---------------------------------------------------------------- running

    /** Starts the reader thread. */
    public void start() {
        Thread t = new Thread(this::readLoop, "conformance-reader-" + testCase.id());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits until the connection is over, at most {@code ms} (unscaled); then drops it if still up.
     * Returns whether it ended by itself.
     */
    public boolean awaitEnd(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        lock.lock();
        try {
            while (!finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    notes.add("the case did not end within " + ms + " ms (" + stateText() + "): the suite dropped TCP");
                    killFired = true;
                    break;
                }
                changed.awaitNanos(left);
            }
            if (finished) {
                return true;
            }
        } finally {
            lock.unlock();
        }
        drop();
        lock.lock();
        try {
            while (!finished) {
                changed.await(2, TimeUnit.SECONDS);
                if (!finished) {
                    finishLocked();
                }
            }
        } finally {
            lock.unlock();
        }
        return false;
    }

    /** Notes a problem found by the runner (a bad handshake, a case script error). */
    public void violation(String text) {
        lock.lock();
        try {
            violations.add(text);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the writer and timers; closes the socket. */
    public void dispose() {
        lock.lock();
        try {
            scheduled.forEach(f -> f.cancel(false));
        } finally {
            lock.unlock();
        }
        writer.shutdownNow();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---------------------------------------------------------------- reading and reacting

    private void readLoop() {
        FrameReader reader = new FrameReader(in, MAX_MESSAGE);
        try {
            while (true) {
                RawFrame frame = reader.read();
                onFrame(frame);
            }
        } catch (EOFException e) {
            onTcpClosed(null);
        } catch (IOException e) {
            onTcpClosed(e);
        } catch (RuntimeException e) {
            violation("suite error while reading: " + e);
            onTcpClosed(null);
        }
    }

    private void onFrame(RawFrame f) {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            if (tcpClosed) {
                return;
            }
            String problem = frameProblem(f);
            if (problem != null) {
                failByPeer(problem, 1002);
                return;
            }
            switch (f.opcode()) {
                case RawFrame.TEXT, RawFrame.BINARY -> {
                    messageCompressed = (f.rsv() & 4) != 0;
                    if (f.fin()) {
                        message(f.opcode(), f.payload(), after);
                    } else {
                        fragmentOpcode = f.opcode();
                        fragments = new ByteArrayOutputStream();
                        fragments.writeBytes(f.payload());
                    }
                }
                case RawFrame.CONTINUATION -> {
                    if ((long) fragments.size() + f.payload().length > MAX_MESSAGE) {
                        failByPeer("message longer than the suite's bound " + MAX_MESSAGE, 1009);
                        return;
                    }
                    fragments.writeBytes(f.payload());
                    if (f.fin()) {
                        int opcode = fragmentOpcode;
                        byte[] data = fragments.toByteArray();
                        fragmentOpcode = -1;
                        fragments = null;
                        message(opcode, data, after);
                    }
                }
                case RawFrame.PING -> {
                    received.add(Event.ping(f.payload()));
                    if (!closeSent) {
                        byte[] pong = Frames.encode(true, 0, RawFrame.PONG, f.payload(), maskKey());
                        writer.submit(() -> write(pong, 0, false));
                    }
                    finishWhenDone();
                }
                case RawFrame.PONG -> {
                    received.add(Event.pong(f.payload()));
                    finishWhenDone();
                }
                case RawFrame.CLOSE -> onClose(f.payload());
                default -> throw new IllegalStateException("unreachable opcode " + f.opcode());
            }
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    private String frameProblem(RawFrame f) {
        if (closeReceived) {
            return "frame after the peer's close frame: " + f;
        }
        if ((f.rsv() & ~allowedRsv) != 0) {
            return "RSV bits " + f.rsv() + " set with no extension negotiated"
                    + (allowedRsv == 0 ? "" : " for them (permessage-deflate uses RSV1 only)") + ": " + f;
        }
        int op = f.opcode();
        if ((f.rsv() & 4) != 0 && (f.isControl() || op == RawFrame.CONTINUATION)) {
            return "RSV1 on a " + (f.isControl() ? "control" : "continuation") + " frame (RFC 7692 section 6: "
                    + "only the first frame of a data message may carry it): " + f;
        }
        if (op >= 3 && op <= 7 || op >= 11) {
            return "reserved opcode " + op + ": " + f;
        }
        if (weAreServer && !f.masked()) {
            return "client frame not masked (RFC 6455 5.1): " + f;
        }
        if (!weAreServer && f.masked()) {
            return "server frame masked (RFC 6455 5.1): " + f;
        }
        if (!f.minimalLength()) {
            return "payload length not in its minimal encoding (RFC 6455 5.2): " + f;
        }
        if (f.isControl() && (!f.fin() || f.payload().length > 125)) {
            return "control frame fragmented or over 125 bytes (RFC 6455 5.5): " + f;
        }
        if (op == RawFrame.CONTINUATION && fragmentOpcode < 0) {
            return "continuation frame with no message to continue: " + f;
        }
        if ((op == RawFrame.TEXT || op == RawFrame.BINARY) && fragmentOpcode >= 0) {
            return "new data frame while a fragmented message is open: " + f;
        }
        return null;
    }

    private void message(int opcode, byte[] data, List<Runnable> after) {
        boolean binary = opcode == RawFrame.BINARY;
        if (messageCompressed) {
            messageCompressed = false;
            try {
                data = codec.decompress(data, MAX_MESSAGE);
            } catch (DeflateWalker.DeflateException e) {
                failByPeer("a compressed " + (binary ? "binary" : "text") + " message the suite cannot accept ("
                        + deflate.response() + "): " + e.getMessage(),
                        e.getMessage().contains("suite's bound") ? 1009 : 1007);
                return;
            }
        }
        messagesReceived++;
        if (!binary && !Utf8.isValid(data)) {
            failByPeer("invalid UTF-8 in a text message from the peer: " + Event.describe(data), 1007);
            return;
        }
        Event e = binary ? Event.binary(data) : Event.text(data);
        if (recordMessages) {
            received.add(e);
        }
        Consumer<Event> hook = onMessage;
        if (hook != null) {
            after.add(() -> hook.accept(e));
        }
        finishWhenDone();
    }

    private void onClose(byte[] payload) {
        closeReceived = true;
        Integer code = null;
        String problem = null;
        if (payload.length == 1) {
            problem = "close frame with a 1-byte payload";
        } else if (payload.length >= 2) {
            code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
            remoteCloseReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
            if (!validCloseCode(code)) {
                problem = "close code " + code + " is not valid on the wire (RFC 6455 7.4)";
            } else if (!Utf8.isValid(payload, 2, payload.length)) {
                problem = "close reason is not valid UTF-8";
            }
        }
        remoteCloseCode = code;
        if (problem != null) {
            violations.add("peer sent " + problem);
        }
        if (!closeSent) {
            closeSent = true;
            byte[] reply = problem != null ? Frames.closePayload(1002, new byte[0])
                    : code == null ? new byte[0] : Frames.closePayload(code, new byte[0]);
            byte[] frame = Frames.encode(true, 0, RawFrame.CLOSE, reply, maskKey());
            writer.submit(() -> write(frame, 0, false));
        }
        closeHandshakeDone();
        changed.signalAll();
    }

    private void closeHandshakeDone() {
        if (weAreServer) {
            // The server closes the TCP connection once the close handshake is done (RFC 6455 7.1.1).
            writer.submit(this::drop);
        } else {
            long wait = timing.serverDropWaitMs();
            scheduledRaw(wait, () -> {
                lock.lock();
                try {
                    if (finished) {
                        return;
                    }
                    serverDropTimedOut = true;
                    notes.add("the server did not close TCP within " + wait + " ms after the close handshake");
                } finally {
                    lock.unlock();
                }
                drop();
            });
        }
    }

    private void startCloseWait() {
        long wait = timing.closeWaitMs();
        scheduledRaw(wait, () -> {
            lock.lock();
            try {
                if (finished || closeReceived) {
                    return;
                }
                closeTimedOut = true;
                notes.add("no close frame from the peer within " + wait + " ms of ours: the suite dropped TCP");
            } finally {
                lock.unlock();
            }
            drop();
        });
    }

    /** The peer broke the protocol: fail the connection as Autobahn does (close frame, then drop). */
    private void failByPeer(String problem, int code) {
        violations.add("peer sent " + problem);
        if (!closeSent) {
            closeSent = true;
            if (!closeReceived) {
                closedByMe = true;
            }
            byte[] frame = Frames.encode(true, 0, RawFrame.CLOSE, Frames.closePayload(code, new byte[0]), maskKey());
            writer.submit(() -> write(frame, 0, false));
        }
        writer.submit(this::drop);
    }

    private void finishWhenDone() {
        if (expected.isEmpty() || !expectClosedByMe || suppressClose || closeSent) {
            return;
        }
        for (List<Event> e : expected.values()) {
            if (!e.equals(received)) {
                return;
            }
        }
        closeSent = true;
        closedByMe = !closeReceived;
        startCloseWait();
        byte[] frame = Frames.encode(true, 0, RawFrame.CLOSE, Frames.closePayload(expectCodes.get(0), new byte[0]),
                maskKey());
        writer.submit(() -> write(frame, 0, false));
    }

    private void onTcpClosed(IOException error) {
        lock.lock();
        try {
            if (!droppedByMe) {
                if (error != null) {
                    notes.add("read failed: " + error.getMessage());
                }
                if (!closeReceived) {
                    notes.add("the peer closed TCP without a close frame");
                }
            }
            finishLocked();
        } finally {
            lock.unlock();
        }
    }

    private void finishLocked() {
        tcpClosed = true;
        finished = true;
        scheduled.forEach(f -> f.cancel(false));
        changed.signalAll();
    }

    private void drop() {
        lock.lock();
        try {
            if (!tcpClosed) {
                droppedByMe = true;
            }
        } finally {
            lock.unlock();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // dropping
        }
    }

    private void write(byte[] bytes, int chop, boolean sync) {
        lock.lock();
        try {
            if (tcpClosed || writeFailed) {
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            if (chop <= 0 || chop >= bytes.length) {
                out.write(bytes);
            } else {
                for (int off = 0; off < bytes.length; off += chop) {
                    out.write(bytes, off, Math.min(chop, bytes.length - off));
                    out.flush();
                    if (sync) {
                        LockSupport.parkNanos(200_000);
                    }
                }
            }
            out.flush();
        } catch (IOException e) {
            lock.lock();
            try {
                writeFailed = true;
                if (!droppedByMe) {
                    notes.add("write failed (the peer is gone): " + e.getMessage());
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private byte[] maskKey() {
        if (weAreServer) {
            return null;
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        return key;
    }

    private void schedule(long ms, Runnable task) {
        scheduledRaw(timing.ms(ms), task);
    }

    private void scheduledRaw(long ms, Runnable task) {
        lock.lock();
        try {
            if (!finished) {
                scheduled.add(timers.schedule(task, ms, TimeUnit.MILLISECONDS));
            }
        } finally {
            lock.unlock();
        }
    }

    private String stateText() {
        return "closeSent=" + closeSent + ", closeReceived=" + closeReceived + ", received " + received.size()
                + " events";
    }

    /** Whether {@code code} may appear in a close frame (RFC 6455 7.4, IANA registry). */
    public static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    // ---------------------------------------------------------------- judging

    /** The verdict, once the connection is over. */
    public CaseResult judge() {
        lock.lock();
        try {
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Verdict behavior = null;
            String behaviorResult;
            if (customBehavior != null) {
                behavior = customBehavior;
                behaviorResult = customResult;
            } else {
                for (Map.Entry<Verdict, List<Event>> e : expected.entrySet()) {
                    if (e.getValue().equals(received)) {
                        behavior = e.getKey();
                        break;
                    }
                }
                behaviorResult = behavior != null ? "events match the " + behavior.label() + " expectation"
                        : "expected " + describeExpected() + ", received " + describe(received);
                if (behavior == null) {
                    behavior = Verdict.FAILED;
                }
            }
            String closeBehavior;
            String closeResult;
            if (expectClosedByMe != closedByMe) {
                closeBehavior = "FAILED";
                closeResult = expectClosedByMe
                        ? "the peer closed first, the suite should have (expected the peer to answer our close)"
                        : "the peer did not fail the connection: expected close " + expectCodes + " or a TCP drop";
            } else if (requireClean && !(closeSent && closeReceived && !closeTimedOut && !killFired)) {
                closeBehavior = "UNCLEAN";
                closeResult = "a clean close handshake is required, but " + (closeReceived ? "" : "no close frame came")
                        + (closeTimedOut ? " (close wait timed out)" : "") + (killFired ? " (kill timer fired)" : "");
            } else if (remoteCloseCode != null && !expectCodes.contains(remoteCloseCode)) {
                closeBehavior = "WRONG CODE";
                closeResult = "expected close " + codesText() + ", got " + remoteCloseCode
                        + (remoteCloseReason == null || remoteCloseReason.isEmpty() ? "" : " \"" + remoteCloseReason + "\"");
            } else if (!weAreServer && serverDropTimedOut) {
                closeBehavior = "FAILED BY CLIENT";
                closeResult = "the server did not close TCP after the close handshake (the suite did)";
            } else if (!expectClosedByMe && killFired && !closeReceived) {
                closeBehavior = "FAILED";
                closeResult = "the peer did not fail the connection: expected close " + codesText() + " or a TCP drop";
            } else if (closeTimedOut && !closeReceived) {
                closeBehavior = "FAILED";
                closeResult = "the peer neither answered our close frame nor closed TCP";
            } else {
                closeBehavior = "OK";
                closeResult = "closed properly" + (remoteCloseCode != null ? " with " + remoteCloseCode : "");
            }

            Verdict verdict;
            String reason;
            if (unimplemented != null && violations.isEmpty()) {
                verdict = Verdict.UNIMPLEMENTED;
                reason = unimplemented;
            } else if (informational) {
                verdict = Verdict.INFORMATIONAL;
                reason = informationalResult + "; " + behaviorResult + "; close: " + closeResult;
            } else if (!violations.isEmpty()) {
                verdict = Verdict.FAILED;
                reason = String.join("; ", violations);
            } else if (behavior == Verdict.FAILED) {
                verdict = Verdict.FAILED;
                reason = behaviorResult + closeSuffix();
            } else if (closeBehavior.equals("FAILED") || closeBehavior.equals("UNCLEAN")
                    || closeBehavior.equals("WRONG CODE")) {
                verdict = Verdict.FAILED;
                reason = closeResult + closeSuffix();
            } else if (closeBehavior.equals("FAILED BY CLIENT")) {
                verdict = behavior == Verdict.OK ? Verdict.NON_STRICT : behavior;
                reason = closeResult;
            } else {
                verdict = behavior;
                reason = behaviorResult + "; " + closeResult;
            }
            List<String> expectedText = new ArrayList<>();
            expected.forEach((v, events) -> expectedText.add(v.label() + ": " + describe(events)));
            expectedText.add("close: " + (expectClosedByMe ? "suite closes" : "peer fails the connection")
                    + ", codes " + expectCodes + (requireClean ? ", clean" : ""));
            List<String> receivedText = new ArrayList<>();
            int n = 0;
            for (Event e : received) {
                if (n++ == 20) {
                    receivedText.add("... " + (received.size() - 20) + " more");
                    break;
                }
                receivedText.add(e.toString());
            }
            List<String> allNotes = new ArrayList<>(violations);
            allNotes.addAll(notes);
            return new CaseResult(testCase.id(), testCase.description(), verdict, reason, behavior.label(),
                    closeBehavior, durationMs, testCase.id().startsWith("9.") || testCase.deflate() != null, expectedText, receivedText, closedByMe,
                    droppedByMe, closeSent && closeReceived && !closeTimedOut && !killFired, remoteCloseCode,
                    remoteCloseReason, allNotes, testCase.extra());
        } finally {
            lock.unlock();
        }
    }

    private String codesText() {
        return expectCodes.size() == 1 ? String.valueOf(expectCodes.get(0)) : expectCodes.toString();
    }

    private String closeSuffix() {
        return " [peer close: " + (remoteCloseCode != null ? remoteCloseCode
                : closeReceived ? "empty close frame" : "none") + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))
                + "]";
    }

    private String describeExpected() {
        List<String> parts = new ArrayList<>();
        expected.forEach((v, events) -> parts.add(describe(events) + " (" + v.label() + ")"));
        return parts.isEmpty() ? "[]" : String.join(" or ", parts);
    }

    private static String describe(List<Event> events) {
        if (events.size() > 6) {
            return "[" + events.size() + " events: " + events.get(0) + ", ...]";
        }
        return events.toString();
    }
}
