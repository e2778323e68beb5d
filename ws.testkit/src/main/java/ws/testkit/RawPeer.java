package ws.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import ws.protocol.CloseStatus;
import ws.protocol.Side;
import ws.protocol.handshake.ClientHandshake;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.ServerHandshake;
import ws.testkit.internal.Endpoint;

/**
 * A scripted peer that plays either side of a WebSocket connection and sends whatever a test asks,
 * invalid frames included: any FIN/RSV bits and opcode, masked or not, a declared length that lies,
 * a frame cut short, raw bytes. It records every frame it receives, exactly as it arrived
 * ({@link Frame}), and offers waits with timeouts. Every wait and assertion fails with an
 * {@link AssertionError} on the calling (test) thread, naming what was received meanwhile; I/O
 * failures while sending surface as {@link UncheckedIOException}.
 *
 * <p>Get one from a {@link Loopback} ({@link Loopback#rawClient} to test a server,
 * {@link Loopback#rawServer} to test a client), or over a real socket ({@link #connect},
 * {@link #overSocket}) to test a socket transport. Masking keys and the handshake key come from a
 * seeded generator, so the bytes a test sends are the same on every run.
 *
 * <p>A raw peer is meant for one test thread; its methods are nevertheless safe to call from several.
 * It starts no thread: frames are read while a test waits.
 */
public final class RawPeer implements AutoCloseable {
    /** The default seed of masking keys and handshake keys. */
    public static final long DEFAULT_SEED = 6455;
    private static final int MAX_HEAD_BYTES = 16 << 10;
    private static final long MAX_RECORDED_PAYLOAD = 64L << 20;

    private final Endpoint endpoint;
    private final Side role;
    private final String authority;
    private final RandomGenerator random;
    private final ReentrantLock lock = new ReentrantLock();
    private ByteBuffer in = ByteBuffer.allocate(16 << 10).flip();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 << 10);
    private final ArrayDeque<Frame> unread = new ArrayDeque<>();
    private final List<Frame> all = new ArrayList<>();
    private boolean framing;
    private boolean eof;
    private IOException readError;

    RawPeer(Endpoint endpoint, Side role, String authority, long seed) {
        this.endpoint = endpoint;
        this.role = role;
        this.authority = authority;
        this.random = new Random(seed);
    }

    /**
     * Connects a raw client to a socket server at {@code address} (a real TCP connection), with the
     * default seed. Complete the opening handshake with {@link #handshake(String)}.
     */
    public static RawPeer connect(InetSocketAddress address) {
        try {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            return overSocket(socket, Side.CLIENT, DEFAULT_SEED);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect a raw peer to " + address, e);
        }
    }

    /**
     * A raw peer over a connected socket, playing {@code role} (CLIENT masks its frames by default).
     */
    public static RawPeer overSocket(Socket socket, Side role, long seed) {
        Objects.requireNonNull(socket, "socket");
        String authority = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        if (socket.getInetAddress() instanceof java.net.Inet6Address) {
            authority = "[" + socket.getInetAddress().getHostAddress() + "]:" + socket.getPort();
        }
        return new RawPeer(Endpoint.of(socket), Objects.requireNonNull(role, "role"), authority, seed);
    }

    /** The side this peer plays. */
    public Side role() {
        return role;
    }

    // ------------------------------------------------------------------------------------------
    // The opening handshake

    /**
     * Client role: sends an upgrade request for {@code path}, waits up to 5 s for the response and
     * checks it is a valid 101 for this request. Frames are read from then on.
     *
     * @return the server's response
     * @throws AssertionError when the server answers anything else, or not in time
     */
    public HandshakeResponse handshake(String path) {
        return handshake(path, List.of(), HttpHeaders.empty(), Duration.ofSeconds(5));
    }

    /**
     * Client role: the opening handshake offering {@code subprotocols}, with {@code extra} request
     * headers (Origin, Cookie, ...; the handshake's own headers, Sec-WebSocket-* among them, are
     * refused here: send a hand-made request with {@link #sendRequest} or {@link #sendRaw} and read the
     * answer with {@link #awaitResponse}).
     */
    public HandshakeResponse handshake(String path, List<String> subprotocols, HttpHeaders extra, Duration timeout) {
        requireRole(Side.CLIENT, "handshake");
        byte[] keyBytes = new byte[16];
        random.nextBytes(keyBytes);
        String key = java.util.Base64.getEncoder().encodeToString(keyBytes);
        HandshakeRequest request = ClientHandshake.request(URI.create("ws://" + authority + path), key, subprotocols,
                List.of(), extra);
        sendRequest(request);
        HandshakeResponse response = awaitResponse(timeout);
        try {
            ClientHandshake.validate(response, key, subprotocols);
        } catch (HandshakeException e) {
            throw new AssertionError("the opening handshake for " + path + " failed: " + e.getMessage() + "; response: "
                    + response, e);
        }
        return response;
    }

    /** Client role: sends {@code request} as it is (any headers, even invalid ones). */
    public void sendRequest(HandshakeRequest request) {
        sendRaw(ClientHandshake.encode(request));
    }

    /**
     * Client role: waits for the server's HTTP response head. A 101 starts the reading of frames.
     *
     * @throws AssertionError when no complete head arrives in time, or it is malformed
     */
    public HandshakeResponse awaitResponse(Duration timeout) {
        requireRole(Side.CLIENT, "awaitResponse");
        HttpHeadParser parser = HttpHeadParser.responses(MAX_HEAD_BYTES);
        HandshakeResponse response = awaitHead(timeout, "an HTTP response", () -> parser.parseResponse(in));
        if (response.status() == 101) {
            startFraming();
        }
        return response;
    }

    /**
     * Server role: waits for the client's request head.
     *
     * @throws AssertionError when no complete head arrives in time, or it is malformed HTTP
     */
    public HandshakeRequest awaitRequest(Duration timeout) {
        requireRole(Side.SERVER, "awaitRequest");
        HttpHeadParser parser = HttpHeadParser.requests(MAX_HEAD_BYTES);
        return awaitHead(timeout, "an HTTP request", () -> parser.parseRequest(in));
    }

    /**
     * Server role: waits for a valid upgrade request and answers 101 (no subprotocol, no extension).
     *
     * @return the client's request
     * @throws AssertionError when the request is not a valid upgrade request
     */
    public HandshakeRequest acceptHandshake(Duration timeout) {
        HandshakeRequest request = awaitRequest(timeout);
        try {
            ServerHandshake.validate(request);
        } catch (HandshakeException e) {
            throw new AssertionError("the client's upgrade request is invalid: " + e.getMessage() + "; request: " + request, e);
        }
        respond(ServerHandshake.accept(request, "", List.of(), HttpHeaders.empty()));
        return request;
    }

    /** Server role: sends {@code response}; a 101 starts the reading of frames. */
    public void respond(HandshakeResponse response) {
        requireRole(Side.SERVER, "respond");
        sendRaw(ServerHandshake.encode(response));
        if (response.status() == 101) {
            startFraming();
        }
    }

    /** Reads frames from now on, without a handshake (a test that wrote the handshake by hand). */
    public void startFraming() {
        lock.lock();
        try {
            framing = true;
            decodeFrames();
        } finally {
            lock.unlock();
        }
    }

    private interface HeadParse<T> {
        T parse() throws HandshakeException;
    }

    private <T> T awaitHead(Duration timeout, String what, HeadParse<T> parse) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                T head;
                try {
                    head = parse.parse();
                } catch (HandshakeException e) {
                    throw new AssertionError("malformed " + what.substring(what.indexOf(' ') + 1) + ": " + e.getMessage(), e);
                }
                if (head != null) {
                    return head;
                }
                if (eof || readError != null) {
                    throw new AssertionError("the connection ended before " + what + " arrived" + endReason());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no complete " + what.substring(what.indexOf(' ') + 1) + " within " + timeout);
                }
                readSome(left);
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sending

    /**
     * A frame to build and send: {@code peer.frame(Frame.TEXT).payload("hi").fin(false).send()}.
     * Defaults: FIN set, no RSV bits, masked with a key from the seeded generator when this peer is a
     * client, unmasked when a server, the true payload length in the shortest encoding.
     */
    public FrameBuilder frame(int opcode) {
        return new FrameBuilder(opcode);
    }

    /** Sends a text frame (FIN set). */
    public void sendText(String text) {
        frame(Frame.TEXT).payload(text).send();
    }

    /** Sends a binary frame (FIN set). */
    public void sendBinary(byte[] data) {
        frame(Frame.BINARY).payload(data).send();
    }

    /** Sends a ping. */
    public void sendPing(byte[] payload) {
        frame(Frame.PING).payload(payload).send();
    }

    /** Sends a pong. */
    public void sendPong(byte[] payload) {
        frame(Frame.PONG).payload(payload).send();
    }

    /** Sends a close frame with {@code code} (any number, even one the RFC forbids) and {@code reason}. */
    public void sendClose(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        frame(Frame.CLOSE).payload(payload).send();
    }

    /** Sends a close frame with an empty payload (no status code). */
    public void sendClose() {
        frame(Frame.CLOSE).send();
    }

    /** Sends these bytes as they are (a broken frame, half a handshake, garbage). */
    public void sendRaw(byte[] bytes) {
        sendRaw(ByteBuffer.wrap(bytes));
    }

    /** Sends the remaining bytes of {@code bytes} as they are. */
    public void sendRaw(ByteBuffer bytes) {
        try {
            endpoint.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("raw peer (" + endpoint.describe() + ") could not send: " + e.getMessage(), e);
        }
    }

    /** Half-closes: sends FIN (no close frame); reading goes on. */
    public void shutdownOutput() {
        try {
            endpoint.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the connection without a close frame or FIN (a reset). */
    public void drop() {
        endpoint.reset();
    }

    /** Closes the connection (FIN), without a close frame. Idempotent. */
    @Override
    public void close() {
        endpoint.close();
    }

    /** Builds one frame; see {@link RawPeer#frame(int)}. */
    public final class FrameBuilder {
        private final int opcode;
        private boolean fin = true;
        private int rsv;
        private boolean masked = role == Side.CLIENT;
        private Integer maskKey;
        private byte[] payload = new byte[0];
        private long declaredLength = -1;
        private int lengthBytes;
        private int truncate = -1;

        private FrameBuilder(int opcode) {
            if (opcode < 0 || opcode > 15) {
                throw new IllegalArgumentException("opcode " + opcode + " not in 0..15");
            }
            this.opcode = opcode;
        }

        /** The FIN bit. */
        public FrameBuilder fin(boolean value) {
            fin = value;
            return this;
        }

        /** The RSV bits as a number 0..7 (RSV1 = 4, RSV2 = 2, RSV3 = 1). */
        public FrameBuilder rsv(int bits) {
            if (bits < 0 || bits > 7) {
                throw new IllegalArgumentException("rsv " + bits + " not in 0..7");
            }
            rsv = bits;
            return this;
        }

        /** Whether to set the MASK bit and mask the payload (a client must; a server must not). */
        public FrameBuilder masked(boolean value) {
            masked = value;
            return this;
        }

        /** Masks with this key instead of one from the seeded generator (implies masked). */
        public FrameBuilder maskKey(int key) {
            masked = true;
            maskKey = key;
            return this;
        }

        /** The payload (unmasked). */
        public FrameBuilder payload(byte[] bytes) {
            payload = bytes.clone();
            return this;
        }

        /** The payload as UTF-8. */
        public FrameBuilder payload(String text) {
            payload = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** The length the header declares, whatever the payload really is (a lie, for tests of framing). */
        public FrameBuilder declaredLength(long length) {
            if (length < 0) {
                throw new IllegalArgumentException("declared length " + length + " < 0");
            }
            declaredLength = length;
            return this;
        }

        /**
         * The length encoding: 0 for the shortest (the default), 2 for the 16-bit form, 8 for the 64-bit
         * form even when a shorter one would do (RFC 6455 section 5.2 requires the minimal one).
         */
        public FrameBuilder extendedLength(int bytes) {
            if (bytes != 0 && bytes != 2 && bytes != 8) {
                throw new IllegalArgumentException("extended length bytes " + bytes + " not 0, 2 or 8");
            }
            lengthBytes = bytes;
            return this;
        }

        /** Sends only the first {@code bytes} bytes of the encoded frame (a truncated frame). */
        public FrameBuilder truncate(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("truncate " + bytes + " < 0");
            }
            truncate = bytes;
            return this;
        }

        /** The encoded bytes, as {@link #send()} would write them (draws the mask key now). */
        public byte[] encode() {
            long length = declaredLength >= 0 ? declaredLength : payload.length;
            int form = lengthBytes != 0 ? lengthBytes : length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
            int key = masked ? (maskKey != null ? maskKey : random.nextInt()) : 0;
            ByteBuffer out = ByteBuffer.allocate(2 + form + (masked ? 4 : 0) + payload.length);
            out.put((byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode));
            int maskBit = masked ? 0x80 : 0;
            switch (form) {
                case 0 -> out.put((byte) (maskBit | (int) length));
                case 2 -> out.put((byte) (maskBit | 126)).putShort((short) length);
                default -> out.put((byte) (maskBit | 127)).putLong(length);
            }
            if (masked) {
                out.putInt(key);
            }
            for (int i = 0; i < payload.length; i++) {
                byte b = payload[i];
                if (masked) {
                    b ^= (byte) (key >>> (8 * (3 - (i & 3))));
                }
                out.put(b);
            }
            byte[] bytes = out.array();
            return truncate >= 0 && truncate < bytes.length ? java.util.Arrays.copyOf(bytes, truncate) : bytes;
        }

        /** Encodes and sends the frame. */
        public void send() {
            sendRaw(encode());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Receiving

    /**
     * The next frame not yet returned by an await method, waiting up to {@code timeout}.
     *
     * @throws AssertionError when none arrives in time or the connection ends first
     */
    public Frame awaitFrame(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            requireFraming("awaitFrame");
            while (unread.isEmpty()) {
                if (eof || readError != null) {
                    throw new AssertionError("the connection ended before a frame arrived" + endReason() + context());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no frame within " + timeout + context());
                }
                readSome(left);
            }
            return unread.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next frame, which must have {@code opcode}.
     *
     * @throws AssertionError when another frame comes first, or none in time
     */
    public Frame awaitFrame(int opcode, Duration timeout) {
        Frame frame = awaitFrame(timeout);
        if (frame.opcode() != opcode) {
            throw new AssertionError("expected a " + Frame.opcodeName(opcode) + " frame, got " + frame + context());
        }
        return frame;
    }

    /**
     * The next text message, its frames joined (FIN on the last); control frames between them are
     * skipped (they stay in {@link #received()}).
     *
     * @throws AssertionError when the next data frame is not text, or no whole message arrives in time
     */
    public String awaitText(Duration timeout) {
        return new String(awaitMessage(Frame.TEXT, timeout), StandardCharsets.UTF_8);
    }

    /** The next binary message, as {@link #awaitText} does for text. */
    public byte[] awaitBinary(Duration timeout) {
        return awaitMessage(Frame.BINARY, timeout);
    }

    private byte[] awaitMessage(int opcode, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        boolean started = false;
        while (true) {
            Frame frame = awaitFrame(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (frame.isControl()) {
                continue;
            }
            int expected = started ? Frame.CONTINUATION : opcode;
            if (frame.opcode() != expected) {
                throw new AssertionError("expected a " + Frame.opcodeName(expected) + " frame, got " + frame + context());
            }
            started = true;
            message.writeBytes(frame.payload());
            if (frame.fin()) {
                return message.toByteArray();
            }
        }
    }

    /**
     * Waits for a close frame, skipping (and keeping in {@link #received()}) frames before it.
     *
     * @return its code and reason (1005 and "" for an empty payload)
     * @throws AssertionError when no close frame arrives in time, or the connection ends first
     */
    public CloseStatus awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = awaitFrame(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (frame.opcode() == Frame.CLOSE) {
                return new CloseStatus(frame.closeCode(), frame.closeReason());
            }
        }
    }

    /**
     * Waits until the other side ends the connection (FIN or reset); frames read meanwhile are recorded.
     *
     * @throws AssertionError when the connection is still open after {@code timeout}
     */
    public void awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!eof && readError == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the connection did not end within " + timeout + context());
                }
                readSome(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the other side has ended the connection, as far as read so far. */
    public boolean isEnded() {
        lock.lock();
        try {
            return eof || readError != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asserts that nothing arrived that an await method has not returned: no frame, not even part of
     * one. Checks what is readable now, without waiting.
     */
    public void assertNoMoreFrames() {
        assertNoMoreFrames(Duration.ZERO);
    }

    /** Waits {@code quiet} (wall time), then asserts as {@link #assertNoMoreFrames()}. */
    public void assertNoMoreFrames(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        lock.lock();
        try {
            while (true) {
                drainAvailable();
                if (!unread.isEmpty()) {
                    throw new AssertionError("expected no more frames, got " + List.copyOf(unread) + context());
                }
                if (framing && in.hasRemaining()) {
                    throw new AssertionError("expected no more frames, got " + in.remaining()
                            + " bytes of an incomplete frame" + context());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || eof || readError != null) {
                    return;
                }
                readSome(Math.min(left, 10_000_000L));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Every frame received so far, in order (also those the await methods returned). */
    public List<Frame> received() {
        lock.lock();
        try {
            drainAvailable();
            return List.copyOf(all);
        } finally {
            lock.unlock();
        }
    }

    private void drainAvailable() {
        try {
            while (!eof && readError == null && endpoint.available() > 0) {
                readSome(1_000_000L);
            }
        } catch (IOException e) {
            readError = e;
        }
    }

    private void readSome(long timeoutNanos) {
        if (eof || readError != null) {
            return;
        }
        readBuffer.clear();
        int n;
        try {
            n = endpoint.read(readBuffer, timeoutNanos);
        } catch (IOException e) {
            readError = e;
            return;
        }
        if (n < 0) {
            eof = true;
            return;
        }
        if (n == 0) {
            return;
        }
        readBuffer.flip();
        append(readBuffer);
        if (framing) {
            decodeFrames();
        }
    }

    private void append(ByteBuffer bytes) {
        if (in.capacity() - in.limit() < bytes.remaining()) {
            in.compact();
            if (in.remaining() < bytes.remaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.capacity() * 2, in.position() + bytes.remaining()));
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            in.flip();
        }
        int position = in.position();
        in.position(in.limit()).limit(in.capacity());
        in.put(bytes);
        in.limit(in.position()).position(position);
    }

    private void decodeFrames() {
        while (true) {
            int start = in.position();
            int available = in.remaining();
            if (available < 2) {
                return;
            }
            int b0 = in.get(start) & 0xFF;
            int b1 = in.get(start + 1) & 0xFF;
            boolean masked = (b1 & 0x80) != 0;
            int len7 = b1 & 0x7F;
            int header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
            if (available < header) {
                return;
            }
            long length = len7 == 126 ? in.getShort(start + 2) & 0xFFFF : len7 == 127 ? in.getLong(start + 2) : len7;
            if (length < 0 || length > MAX_RECORDED_PAYLOAD) {
                throw new AssertionError("received a frame declaring " + Long.toUnsignedString(length)
                        + " payload bytes, more than a raw peer records (" + MAX_RECORDED_PAYLOAD + ")" + context());
            }
            if (available < header + length) {
                return;
            }
            int key = masked ? in.getInt(start + header - 4) : 0;
            byte[] payload = new byte[(int) length];
            in.position(start + header);
            in.get(payload);
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= (byte) (key >>> (8 * (3 - (i & 3))));
                }
            }
            Frame frame = new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0F, masked, key, payload);
            unread.add(frame);
            all.add(frame);
        }
    }

    private void requireFraming(String what) {
        if (!framing) {
            throw new IllegalStateException(what + ": the opening handshake is not done (call handshake, "
                    + "acceptHandshake, or startFraming)");
        }
    }

    private void requireRole(Side expected, String what) {
        if (role != expected) {
            throw new IllegalStateException(what + " is for a " + expected + " peer; this one is a " + role);
        }
    }

    private String endReason() {
        return readError != null ? " (" + readError.getMessage() + ")" : " (end of input)";
    }

    private String context() {
        return "; received so far: " + all + (eof ? ", then the end of input" : "")
                + (readError != null ? ", then " + readError.getMessage() : "") + " [" + endpoint.describe() + "]";
    }

    @Override
    public String toString() {
        return "RawPeer[" + role + ", " + endpoint.describe() + ", " + all.size() + " frames received]";
    }
}
