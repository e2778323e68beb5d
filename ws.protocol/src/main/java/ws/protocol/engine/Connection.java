package ws.protocol.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import ws.protocol.CloseCodes;
import ws.protocol.CloseFrames;
import ws.protocol.CloseStatus;
import ws.protocol.FrameReader;
import ws.protocol.FrameWriter;
import ws.protocol.Limits;
import ws.protocol.Masker;
import ws.protocol.Opcode;
import ws.protocol.PreparedMessage;
import ws.protocol.ProtocolViolationException;
import ws.protocol.Side;
import ws.protocol.Utf8Validator;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;
import ws.protocol.extension.ExtensionParameters;

/**
 * The state both engines share: the framing of RFC 6455 sections 5 to 8 once the opening handshake
 * is done, the close handshake, the events and the output. {@link ServerProtocolImpl} and
 * {@link ClientProtocolImpl} add the opening handshake on top and delegate the rest here.
 *
 * <p>Receiving: the {@link FrameReader} checks each frame's structure; this class checks sequences
 * (section 5.4 fragmentation, 5.5 control frames, 8.1 UTF-8), runs the negotiated extensions,
 * assembles messages within the {@link Limits}, answers pings and echoes the close. Sending: messages
 * are split per {@link ProtocolConfig#autoFragmentSize()}, run through the extensions, framed (masked
 * by a client) into {@link Output}.
 */
final class Connection implements FrameReader.Handler {
    /** Server payloads at least this large are queued as a view of the caller's buffer instead of copied. */
    static final int VIEW_THRESHOLD = 16 * 1024;
    /** Receive buffers larger than this are not kept for the next message. */
    private static final int RETAIN_LIMIT = 64 * 1024;
    /** Frames up to this size get their whole message buffer at the header; larger ones grow as bytes arrive. */
    private static final int EAGER_LIMIT = 1 << 20;
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final byte[] EMPTY = new byte[0];
    private static final Extension[] NO_EXTENSIONS = new Extension[0];
    /** The view of {@link #EMPTY}: shared, since nothing is ever copied into it (see {@link #copy}). */
    private static final ByteBuffer EMPTY_VIEW = ByteBuffer.wrap(EMPTY);

    final Side side;
    private final ProtocolConfig config;
    /** Made by the first frame sent: an idle connection holds none. */
    private FrameWriter writer;
    /**
     * Made by the first output and dropped by {@link #trim} once it holds nothing (everything drained,
     * no end of output due): an idle connection holds none. Use {@link #output()} to add.
     */
    private Output output;
    /** Events kept for {@link #events()}, made on the first one; unused once a driver takes them as they come. */
    private List<ProtocolEvent> events;
    /** Where events go as they happen, when the driver asked for that ({@link #deliverEventsTo}). */
    private Queue<? super ProtocolEvent> eventQueue;
    private ProtocolState state = ProtocolState.CONNECTING;

    /** Made by the first bytes received once open: an idle connection holds none. */
    private FrameReader reader;
    /** The RSV bits the negotiated extensions own, for the reader. */
    private int allowedRsv;
    private Extension[] chain;
    private List<ExtensionParameters> extensionParameters = List.of();
    private String subprotocol = "";

    // The frame being received.
    private Opcode frameOpcode;
    private boolean frameFin;
    private boolean frameMasked;
    private int frameMaskKey;
    private long frameLength;
    /** Made on the first control frame with a payload: most connections never receive one. */
    private byte[] control = EMPTY;
    private ByteBuffer controlView = EMPTY_VIEW;
    private int controlSize;
    /** With extensions: the whole payload of the current data frame, decoded at its end. */
    private byte[] frame = EMPTY;
    private ByteBuffer frameView = EMPTY_VIEW;
    private int frameSize;

    // The message being received.
    private Opcode messageOpcode;
    private int messageRsv;
    private int messageFragments;
    private byte[] message = EMPTY;
    private ByteBuffer messageView = EMPTY_VIEW;
    private int messageSize;
    /** Made by the first text received. */
    private Utf8Validator utf8;
    /** Whether data frames are reported one by one ({@link ProtocolEvent.Fragment}) rather than assembled. */
    private boolean fragments;
    /** In fragment mode: the bytes of the current message reported so far (after inflating). */
    private long streamed;

    // The message being sent in parts.
    private Opcode sending;
    /** A high surrogate that ended the last text part, waiting for its low surrogate; 0 when none. */
    private char carriedSurrogate;
    private boolean closeSent;
    /** Whether the driver asked to hold our answering close frame until {@link #releaseClose()}. */
    private boolean holdClose;
    /** Our close frame while held (state CLOSE_RECEIVED), else null: made only then, as few connections close at once. */
    private HeldClose held;

    /**
     * A close frame held until {@link #releaseClose()}.
     *
     * @param payload its payload
     * @param status  the final status
     * @param echo    whether it echoes the peer's close (else it fails the connection after a peer error)
     */
    private record HeldClose(byte[] payload, CloseStatus status, boolean echo) {
    }

    Connection(Side side, ProtocolConfig config) {
        this.side = side;
        this.config = config;
    }

    // ---------------------------------------------------------------- state and queues

    ProtocolState state() {
        return state;
    }

    String subprotocol() {
        return subprotocol;
    }

    List<ExtensionParameters> extensions() {
        return extensionParameters;
    }

    void event(ProtocolEvent event) {
        Queue<? super ProtocolEvent> queue = eventQueue;
        if (queue != null) {
            queue.add(event);
            return;
        }
        if (events == null) {
            events = new ArrayList<>();
        }
        events.add(event);
    }

    List<ProtocolEvent> events() {
        List<ProtocolEvent> out = events;
        if (out == null || out.isEmpty()) {
            return List.of();
        }
        events = null;
        return out;
    }

    void deliverEventsTo(Queue<? super ProtocolEvent> queue) {
        if (queue != null) {
            queue.addAll(events());
        }
        eventQueue = queue;
    }

    /** The output, made now if there is none. */
    Output output() {
        Output out = output;
        if (out == null) {
            out = new Output();
            output = out;
        }
        return out;
    }

    List<ByteBuffer> dataToSend() {
        return output == null ? List.of() : output.drain();
    }

    long pendingOutputBytes() {
        return output == null ? 0 : output.pending();
    }

    /** See {@link Protocol#drainOutput}. */
    void drainOutput(OutputHandler handler) {
        if (output != null) {
            output.drainTo(handler);
        }
    }

    /** See {@link Protocol#hasOutput}. */
    boolean hasOutput() {
        return output != null && output.hasOutput();
    }

    void recycleOutput() {
        if (output != null) {
            output.recycle();
        }
    }

    /** RFC 6455 section 7.1.1: after our close frame, we wait for the peer's (or for the TCP close). */
    boolean closeExpected() {
        return state == ProtocolState.CLOSE_SENT;
    }

    /** The opening handshake succeeded: starts the framing with these extensions (in the order they apply). */
    void open(String subprotocol, List<Extension> extensions) {
        this.subprotocol = subprotocol;
        List<ExtensionParameters> parameters = new ArrayList<>(extensions.size());
        int rsv = 0;
        for (Extension extension : extensions) {
            parameters.add(extension.parameters());
            rsv |= extension.rsvBits();
        }
        this.extensionParameters = List.copyOf(parameters);
        this.chain = extensions.isEmpty() ? null : extensions.toArray(new Extension[0]);
        this.allowedRsv = rsv;
        this.state = ProtocolState.OPEN;
    }

    /**
     * The end: {@link ProtocolEvent.Closed} (exactly once, last), extensions closed, buffers released.
     */
    void closed(CloseStatus status) {
        if (state == ProtocolState.CLOSED) {
            return;
        }
        state = ProtocolState.CLOSED;
        output().endOfOutput();
        if (reader != null) {
            reader.halt();
        }
        for (Extension extension : chain == null ? NO_EXTENSIONS : chain) {
            try {
                extension.close();
            } catch (RuntimeException ignored) {
                // Releasing is best effort: the connection is over either way, and Closed must follow.
            }
        }
        message = EMPTY;
        messageView = EMPTY_VIEW;
        frame = EMPTY;
        frameView = messageView;
        event(new ProtocolEvent.Closed(status));
    }

    /** The engine's configuration. */
    ProtocolConfig config() {
        return config;
    }

    /** The limits of {@link #config} (read from it, not copied: connections are many). */
    private Limits limits() {
        return config.limits();
    }

    /** The largest message this connection assembles: the limit, or the largest array the JVM makes. */
    private long maxMessageSize() {
        return Math.min(config.limits().maxMessageSize(), MAX_ARRAY);
    }

    /** The bytes of the buffers kept for the next message, frame and output. */
    long retainedBytes() {
        return (long) message.length + frame.length + control.length + (output == null ? 0 : output.retained());
    }

    private FrameWriter writer() {
        FrameWriter frames = writer;
        if (frames == null) {
            frames = new FrameWriter(side, config.random());
            writer = frames;
        }
        return frames;
    }

    private Utf8Validator utf8() {
        Utf8Validator validator = utf8;
        if (validator == null) {
            validator = new Utf8Validator();
            utf8 = validator;
        }
        return validator;
    }

    void deliverFragments() {
        fragments = true;
    }

    /**
     * Between messages and frames of an open connection: lets go of the receive buffers kept for the
     * next message (up to {@link #RETAIN_LIMIT} each), of the output's, and of the frame reader and
     * writer, so that an idle connection holds none, also after a keepalive ping and its pong made them;
     * the next input or output makes them again.
     */
    void trim() {
        if (output != null && output.trim()) {
            output = null; // as a new one would be: the next output makes one
        }
        if (state != ProtocolState.OPEN || messageOpcode != null || reader != null && !reader.isBetweenFrames()) {
            return;
        }
        message = EMPTY;
        messageView = EMPTY_VIEW;
        frame = EMPTY;
        frameView = EMPTY_VIEW;
        control = EMPTY;
        controlView = EMPTY_VIEW;
        if (reader != null && reader.isAwaitingFrame()) {
            reader = null; // it holds nothing of the input; a halted one stays, skipping what comes
        }
        writer = null; // it holds nothing between frames but a client's mask keys drawn ahead
    }

    /** Whether a frame reader or writer is held now (none once {@link #trim} ran on an idle connection): for tests. */
    boolean holdsFrameCoders() {
        return reader != null || writer != null;
    }

    /** Whether an {@link Output} is held now (none once {@link #trim} ran with nothing to write): for tests. */
    boolean holdsOutput() {
        return output != null;
    }

    // ---------------------------------------------------------------- input

    void receive(ByteBuffer data) {
        if (state == ProtocolState.OPEN || state == ProtocolState.CLOSE_SENT) {
            try {
                FrameReader frames = reader;
                if (frames == null) {
                    frames = new FrameReader(side, allowedRsv, limits().maxFramePayload(), this);
                    reader = frames;
                }
                frames.feed(data);
            } catch (ProtocolViolationException violation) {
                failByPeer(violation);
            } catch (RuntimeException bug) {
                // An extension broke on this input: still no exception out of receiveData.
                failByPeer(new ProtocolViolationException(CloseCodes.INTERNAL_ERROR,
                        "extension failed on a received frame: " + bug, bug));
            }
        }
        data.position(data.limit());
    }

    void receiveEof() {
        if (state == ProtocolState.CLOSED) {
            return;
        }
        if (state == ProtocolState.CLOSE_RECEIVED) {
            releaseClose(); // the peer may still read our close, even after its FIN
            return;
        }
        if (reader != null && !reader.isBetweenFrames()) {
            CloseStatus status = new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "input ended in the middle of a frame",
                    new java.io.EOFException("input ended in the middle of a frame"));
            event(new ProtocolEvent.Failed(status));
            closed(status);
        } else {
            closed(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "connection ended without a close frame"));
        }
    }

    /** RFC 6455 section 7.1.7, for what the peer did: queue our close frame unless sent, and stop. */
    private void failByPeer(ProtocolViolationException violation) {
        // An extension may name a code this side may not send (1010 on a server): 1002 stands in.
        int code = CloseCodes.isSendableBy(side, violation.closeCode()) ? violation.closeCode() : CloseCodes.PROTOCOL_ERROR;
        String reason = String.valueOf(violation.getMessage());
        CloseStatus status = new CloseStatus(code, reason, violation);
        event(new ProtocolEvent.Failed(status));
        reader.halt();
        if (!closeSent) {
            byte[] payload = CloseFrames.payload(side, code, CloseFrames.truncate(reason, CloseFrames.MAX_REASON_BYTES));
            if (holdClose && state == ProtocolState.OPEN) {
                hold(payload, status, false);
                return;
            }
            writeClose(payload);
        }
        closed(status);
    }

    @Override
    public void onFrameStart(boolean fin, int rsv, Opcode opcode, long payloadLength, boolean masked, int maskKey)
            throws ProtocolViolationException {
        frameOpcode = opcode;
        frameFin = fin;
        frameMasked = masked;
        frameMaskKey = maskKey;
        frameLength = payloadLength;
        if (opcode.isControl()) {
            controlSize = 0;
            return;
        }
        // Section 5.4: a message is one unfragmented frame, or a first frame with FIN 0, continuations,
        // and a final continuation with FIN 1; control frames may come in between.
        if (opcode == Opcode.CONTINUATION) {
            if (messageOpcode == null) {
                throw new ProtocolViolationException(CloseCodes.PROTOCOL_ERROR, "continuation frame without a message to continue");
            }
            if (rsv != 0) {
                throw new ProtocolViolationException(CloseCodes.PROTOCOL_ERROR, "RSV bits 0x" + Integer.toHexString(rsv)
                        + " on a continuation frame (extensions mark a message on its first frame)");
            }
        } else {
            if (messageOpcode != null) {
                throw new ProtocolViolationException(CloseCodes.PROTOCOL_ERROR, "new " + opcode
                        + " frame inside an unfinished " + messageOpcode + " message (expected a continuation)");
            }
            messageOpcode = opcode;
            messageRsv = rsv;
            messageFragments = 0;
            messageSize = 0;
            streamed = 0;
            utf8().reset();
        }
        if (++messageFragments > limits().maxFragmentsPerMessage()) {
            throw new ProtocolViolationException(CloseCodes.MESSAGE_TOO_BIG, "message of more than "
                    + limits().maxFragmentsPerMessage() + " fragments");
        }
        if (fragments) {
            // The frame is collected whole (within maxFramePayload), then reported on its own.
            if (chain == null && streamed + payloadLength > limits().maxStreamedMessageSize()) {
                throw tooBigStreamed(streamed + payloadLength);
            }
            frameSize = 0;
            ensureFrameCapacity((int) Math.min(payloadLength, EAGER_LIMIT), (int) payloadLength);
        } else if (chain == null) {
            long total = messageSize + payloadLength;
            if (total > maxMessageSize()) {
                throw tooBig(total);
            }
            if (total <= EAGER_LIMIT) {
                ensureMessageCapacity((int) total, fin && messageFragments == 1);
            }
        } else {
            // The frame is decoded as a whole at its end; its size is within maxFramePayload.
            frameSize = 0;
            ensureFrameCapacity((int) Math.min(payloadLength, EAGER_LIMIT), (int) payloadLength);
        }
    }

    @Override
    public void onPayload(ByteBuffer chunk, long frameOffset) throws ProtocolViolationException {
        int n = chunk.remaining();
        if (frameOpcode.isControl()) {
            if (control == EMPTY && n > 0) {
                control = new byte[FrameReader.MAX_CONTROL_PAYLOAD];
                controlView = ByteBuffer.wrap(control);
            }
            copy(chunk, frameOffset, control, controlView, controlSize);
            controlSize += n;
        } else if (chain == null && !fragments) {
            ensureMessageCapacity(messageSize + n, false);
            copy(chunk, frameOffset, message, messageView, messageSize);
            if (messageOpcode == Opcode.TEXT) {
                checkUtf8(messageSize, n);
            }
            messageSize += n;
        } else {
            ensureFrameCapacity(frameSize + n, (int) frameLength);
            copy(chunk, frameOffset, frame, frameView, frameSize);
            frameSize += n;
        }
    }

    @Override
    public void onFrameEnd() throws ProtocolViolationException {
        if (frameOpcode.isControl()) {
            onControlFrame();
            return;
        }
        if (fragments) {
            onFragment();
            return;
        }
        if (chain != null) {
            decodeFrame();
        }
        if (frameFin) {
            onMessage();
        }
    }

    /**
     * Fragment mode: the frame's payload, inflated (each frame's output within {@code maxMessageSize},
     * the message's within {@code maxStreamedMessageSize}), its UTF-8 checked, reported as it is.
     */
    private void onFragment() throws ProtocolViolationException {
        byte[] bytes;
        int length;
        if (chain == null) {
            bytes = frame; // handed over: the receiver keeps it
            length = frameSize;
            frame = EMPTY;
            frameView = EMPTY_VIEW;
        } else {
            ByteBuffer data = ByteBuffer.wrap(frame, 0, frameSize);
            long budget = Math.min(maxMessageSize(), limits().maxStreamedMessageSize() - streamed);
            for (int i = chain.length - 1; i >= 0; i--) {
                try {
                    data = chain[i].decode(messageRsv, data, frameFin, budget);
                } catch (ExtensionException e) {
                    throw new ProtocolViolationException(e.closeCode(), e.getMessage(), e);
                }
            }
            length = data.remaining();
            if (streamed + length > limits().maxStreamedMessageSize()) {
                throw tooBigStreamed(streamed + length);
            }
            bytes = new byte[length];
            data.get(bytes);
            if (frame.length > RETAIN_LIMIT) {
                frame = EMPTY;
                frameView = EMPTY_VIEW;
            }
        }
        boolean text = messageOpcode == Opcode.TEXT;
        if (text) {
            int bad = utf8().feed(bytes, 0, length);
            if (bad >= 0) {
                throw new ProtocolViolationException(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in a text message: byte 0x"
                        + Integer.toHexString(bytes[bad] & 0xFF) + " at offset " + (streamed + bad));
            }
            if (frameFin && !utf8().isComplete()) {
                throw new ProtocolViolationException(CloseCodes.INVALID_PAYLOAD,
                        "text message ends inside a UTF-8 sequence (byte " + (streamed + length) + ")");
            }
        }
        streamed += length;
        event(new ProtocolEvent.Fragment(text, messageFragments == 1, frameFin, ByteBuffer.wrap(bytes, 0, length)));
        if (frameFin) {
            messageOpcode = null;
        }
    }

    /** Section 9: the extensions decode in the reverse of the order they encode. */
    private void decodeFrame() throws ProtocolViolationException {
        ByteBuffer data = ByteBuffer.wrap(frame, 0, frameSize);
        for (int i = chain.length - 1; i >= 0; i--) {
            try {
                data = chain[i].decode(messageRsv, data, frameFin, maxMessageSize() - messageSize);
            } catch (ExtensionException e) {
                throw new ProtocolViolationException(e.closeCode(), e.getMessage(), e);
            }
        }
        if (frame.length > RETAIN_LIMIT) {
            frame = EMPTY;
            frameView = EMPTY_VIEW;
        }
        int n = data.remaining();
        long total = (long) messageSize + n;
        if (total > maxMessageSize()) {
            throw tooBig(total);
        }
        ensureMessageCapacity((int) total, frameFin && messageFragments == 1);
        data.get(message, messageSize, n);
        if (messageOpcode == Opcode.TEXT) {
            checkUtf8(messageSize, n);
        }
        messageSize += n;
    }

    private void onMessage() throws ProtocolViolationException {
        Opcode opcode = messageOpcode;
        messageOpcode = null;
        if (opcode == Opcode.TEXT) {
            if (!utf8().isComplete()) {
                throw new ProtocolViolationException(CloseCodes.INVALID_PAYLOAD,
                        "text message ends inside a UTF-8 sequence (byte " + messageSize + ")");
            }
            event(new ProtocolEvent.TextMessage(new String(message, 0, messageSize, StandardCharsets.UTF_8)));
            if (message.length > RETAIN_LIMIT) {
                releaseMessage();
            }
        } else {
            // The receiver keeps the bytes: hand the array over and start the next message afresh.
            event(new ProtocolEvent.BinaryMessage(ByteBuffer.wrap(message, 0, messageSize).slice()));
            releaseMessage();
        }
        messageSize = 0;
    }

    /** Section 5.5: close, ping and pong. */
    private void onControlFrame() throws ProtocolViolationException {
        switch (frameOpcode) {
            case PING -> {
                byte[] payload = Arrays.copyOf(control, controlSize);
                // Section 5.5.2: answer with a pong carrying the same data, unless our close is sent.
                if (state == ProtocolState.OPEN) {
                    writeControl(Opcode.PONG, payload);
                }
                event(new ProtocolEvent.Ping(ByteBuffer.wrap(payload)));
            }
            case PONG -> event(new ProtocolEvent.Pong(ByteBuffer.wrap(Arrays.copyOf(control, controlSize))));
            case CLOSE -> {
                CloseStatus status = CloseFrames.parse(ByteBuffer.wrap(control, 0, controlSize));
                reader.halt();
                event(new ProtocolEvent.CloseReceived(status));
                if (state == ProtocolState.OPEN) {
                    // Section 5.5.1: echo the status code received; no code is echoed with no code.
                    byte[] echo = status.code() == CloseCodes.NO_STATUS_RECEIVED ? EMPTY
                            : CloseFrames.payload(side, sendableEcho(status.code()), "");
                    if (holdClose) {
                        // "As soon as practical": the application may first answer what came before the close.
                        hold(echo, status, true);
                        return;
                    }
                    state = ProtocolState.CLOSE_RECEIVED;
                    writeClose(echo);
                }
                closed(status);
            }
            default -> throw new IllegalStateException("not a control opcode: " + frameOpcode);
        }
    }

    void holdClose(boolean hold) {
        holdClose = hold;
    }

    private void hold(byte[] payload, CloseStatus status, boolean echo) {
        state = ProtocolState.CLOSE_RECEIVED;
        held = new HeldClose(payload, status, echo);
    }

    /** Sends the held close frame, which ends the connection; a no-op when none is held. */
    void releaseClose() {
        HeldClose release = held;
        if (state == ProtocolState.CLOSE_RECEIVED && release != null) {
            held = null;
            writeClose(release.payload());
            closed(release.status());
        }
    }

    /** A code the peer may send but we may not (1010 from a client) is echoed as 1000. */
    private int sendableEcho(int code) {
        return CloseCodes.isSendableBy(side, code) ? code : CloseCodes.NORMAL_CLOSURE;
    }

    private void copy(ByteBuffer chunk, long frameOffset, byte[] array, ByteBuffer view, int at) {
        if (!chunk.hasRemaining()) {
            return; // the shared empty view is never written
        }
        if (frameMasked) {
            view.limit(view.capacity()).position(at);
            Masker.mask(chunk, view, frameMaskKey, frameOffset);
        } else {
            chunk.get(array, at, chunk.remaining());
        }
    }

    private void checkUtf8(int from, int length) throws ProtocolViolationException {
        int bad = utf8().feed(message, from, length);
        if (bad >= 0) {
            int at = from + bad;
            throw new ProtocolViolationException(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in a text message: byte 0x"
                    + Integer.toHexString(message[at] & 0xFF) + " at offset " + at);
        }
    }

    private void ensureMessageCapacity(int needed, boolean exact) throws ProtocolViolationException {
        if (needed > maxMessageSize()) {
            throw tooBig(needed);
        }
        if (message.length >= needed) {
            return;
        }
        int capacity = exact ? needed : (int) Math.min(maxMessageSize(), Math.max(needed, Math.max(256L, 2L * message.length)));
        message = messageSize == 0 ? new byte[capacity] : Arrays.copyOf(message, capacity);
        messageView = ByteBuffer.wrap(message);
    }

    /** Room for {@code needed} bytes of the current frame, growing towards (never beyond) what remains of it. */
    private void ensureFrameCapacity(int needed, int atMost) {
        if (frame.length >= needed) {
            return;
        }
        int capacity = Math.max(needed, (int) Math.min(atMost, Math.max(256L, 2L * frame.length)));
        frame = frameSize == 0 ? new byte[capacity] : Arrays.copyOf(frame, capacity);
        frameView = ByteBuffer.wrap(frame);
    }

    private void releaseMessage() {
        message = EMPTY;
        messageView = EMPTY_VIEW;
    }

    private ProtocolViolationException tooBigStreamed(long size) {
        return new ProtocolViolationException(CloseCodes.MESSAGE_TOO_BIG,
                "streamed message size " + size + " > limit " + limits().maxStreamedMessageSize());
    }

    private ProtocolViolationException tooBig(long size) {
        return new ProtocolViolationException(CloseCodes.MESSAGE_TOO_BIG,
                "message size " + size + " > limit " + limits().maxMessageSize());
    }

    // ---------------------------------------------------------------- output

    private void checkCanSend() {
        if (state != ProtocolState.OPEN && state != ProtocolState.CLOSE_RECEIVED) {
            throw new IllegalStateException(state == ProtocolState.CONNECTING
                    ? "cannot send before the opening handshake completes"
                    : "cannot send: the connection is " + state + " (nothing may be sent after a close frame)");
        }
    }

    private void checkNoPartialMessage() {
        if (sending != null) {
            throw new IllegalStateException("a partial " + sending + " message is in progress: finish it (last = true) first");
        }
    }

    void sendText(CharSequence text) {
        checkCanSend();
        checkNoPartialMessage();
        String string = text.toString();
        int fragment = config.autoFragmentSize();
        int chars = string.length();
        if (chain == null && chars < VIEW_THRESHOLD && (fragment == 0 || chars <= fragment) && writeAscii(string)) {
            return;
        }
        long length = utf8Length(string);
        if (chain == null && length < VIEW_THRESHOLD && (fragment == 0 || length <= fragment)) {
            writeText(string, (int) length);
            return;
        }
        sendMessage(Opcode.TEXT, ByteBuffer.wrap(string.getBytes(StandardCharsets.UTF_8)), true, true, true);
    }

    /**
     * A small text as one frame, its UTF-8 encoded straight into the output (no byte array and no
     * buffer per message), masked in place on a client.
     *
     * @param length its UTF-8 length ({@link #utf8Length}, which also refused unpaired surrogates)
     */
    private void writeText(String text, int length) {
        boolean masked = writer().masks();
        Output out = output();
        ByteBuffer dst = out.reserve(FrameWriter.headerLength(length, masked) + length);
        int key = masked ? writer().nextMaskKey() : 0;
        FrameWriter.writeHeader(dst, true, 0, Opcode.TEXT, length, masked, key);
        byte[] array = dst.array();
        int start = dst.arrayOffset() + dst.position();
        int at = start;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                array[at++] = (byte) c;
            } else if (c < 0x800) {
                array[at++] = (byte) (0xC0 | (c >> 6));
                array[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, text.charAt(++i)); // paired: utf8Length checked
                array[at++] = (byte) (0xF0 | (cp >> 18));
                array[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                array[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                array[at++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                array[at++] = (byte) (0xE0 | (c >> 12));
                array[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                array[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        if (masked) {
            Masker.mask(array, start, array, start, length, key, 0);
        }
        dst.position(dst.position() + length);
        out.frameEnd();
    }

    /**
     * A small text that is all ASCII (the common case: its UTF-8 is its chars) as one frame, encoded in
     * one pass with no length scan first. At the first char that is not ASCII it gives up, having
     * committed nothing (no byte, no masking key), and returns false.
     */
    private boolean writeAscii(String text) {
        int length = text.length();
        boolean masked = writer().masks();
        int header = FrameWriter.headerLength(length, masked);
        Output out = output();
        ByteBuffer dst = out.reserve(header + length);
        byte[] array = dst.array();
        int start = dst.arrayOffset() + dst.position() + header;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            array[start + i] = (byte) c;
        }
        int key = masked ? writer().nextMaskKey() : 0;
        FrameWriter.writeHeader(dst, true, 0, Opcode.TEXT, length, masked, key);
        if (masked) {
            Masker.mask(array, start, array, start, length, key, 0);
        }
        dst.position(dst.position() + length);
        out.frameEnd();
        return true;
    }

    /**
     * The UTF-8 length of {@code text}, refusing an unpaired surrogate (which {@code getBytes} would
     * silently turn into '?'): one pass over the chars, nothing allocated.
     */
    private static long utf8Length(String text) {
        long length = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (!Character.isSurrogate(c)) {
                length += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                throw unpairedSurrogate(c, i);
            }
        }
        return length;
    }

    private static IllegalArgumentException unpairedSurrogate(char c, int index) {
        return new IllegalArgumentException("text has an unpaired surrogate 0x"
                + Integer.toHexString(c) + " at index " + index + " (not valid text)");
    }

    void sendText(CharSequence part, boolean last) {
        checkCanSend();
        if (sending == Opcode.BINARY) {
            throw new IllegalStateException("a partial BINARY message is in progress: cannot send a text part");
        }
        // A part may end between the two halves of a surrogate pair: keep the high half for the next part.
        String text = carriedSurrogate != 0 ? carriedSurrogate + part.toString() : part.toString();
        char carry = 0;
        if (!last && !text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            carry = text.charAt(text.length() - 1);
            text = text.substring(0, text.length() - 1);
        }
        byte[] bytes = utf8(text);
        boolean first = sending == null;
        sending = last ? null : Opcode.TEXT;
        carriedSurrogate = carry;
        sendMessage(Opcode.TEXT, ByteBuffer.wrap(bytes), first, last, true);
    }

    void sendBinary(ByteBuffer data) {
        checkCanSend();
        checkNoPartialMessage();
        sendMessage(Opcode.BINARY, data, true, true, true);
    }

    void sendBinary(ByteBuffer part, boolean last) {
        checkCanSend();
        if (sending == Opcode.TEXT) {
            throw new IllegalStateException("a partial TEXT message is in progress: cannot send a binary part");
        }
        boolean first = sending == null;
        sending = last ? null : Opcode.BINARY;
        sendMessage(Opcode.BINARY, part, first, last, true);
    }

    void sendPrepared(PreparedMessage prepared) {
        checkCanSend();
        checkNoPartialMessage();
        ByteBuffer payload = prepared.payload();
        int fragment = config.autoFragmentSize();
        if (side == Side.SERVER && chain == null && (fragment == 0 || payload.remaining() <= fragment)) {
            output().add(prepared.serverFrame());
        } else {
            sendMessage(prepared.opcode(), payload, true, true, true);
        }
    }

    void sendPing(ByteBuffer payload) {
        sendControl(Opcode.PING, payload);
    }

    void sendPong(ByteBuffer payload) {
        sendControl(Opcode.PONG, payload);
    }

    private void sendControl(Opcode opcode, ByteBuffer payload) {
        checkCanSend();
        if (payload.remaining() > FrameReader.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(opcode + " payload " + payload.remaining() + " > 125");
        }
        writeFrame(true, 0, opcode, payload, false);
    }

    /** Section 7.1.2: start the close handshake. */
    void sendClose(int code, String reason) {
        byte[] payload = CloseFrames.payload(side, code, reason);
        if (state == ProtocolState.CONNECTING) {
            throw new IllegalStateException("cannot close before the opening handshake completes (fail() ends it)");
        }
        if (state == ProtocolState.CLOSE_RECEIVED) {
            if (held != null && held.echo()) {
                held = new HeldClose(payload, held.status(), true); // our own code answers the peer's close instead of the echo
            }
            releaseClose();
            return;
        }
        if (state != ProtocolState.OPEN) {
            return;
        }
        writeClose(payload);
        state = ProtocolState.CLOSE_SENT;
    }

    /** Section 7.1.7, for what our side decided: queue a close frame unless one was sent, and stop. */
    void fail(int code, String reason, Throwable cause) {
        String fitted = CloseFrames.truncate(reason, CloseFrames.MAX_REASON_BYTES);
        byte[] payload = CloseFrames.payload(side, code, fitted);
        if (state == ProtocolState.CLOSED) {
            return;
        }
        if (state == ProtocolState.CLOSE_RECEIVED && (held == null || !held.echo())) {
            releaseClose(); // the peer's error, held, is the one to report
            return;
        }
        if (state != ProtocolState.CONNECTING && !closeSent) {
            writeClose(payload);
        }
        closed(new CloseStatus(code, reason, cause));
    }

    private void writeClose(byte[] payload) {
        writeControl(Opcode.CLOSE, payload);
        closeSent = true;
    }

    private void writeControl(Opcode opcode, byte[] payload) {
        writeFrame(true, 0, opcode, ByteBuffer.wrap(payload), false);
    }

    /**
     * One message, or one part of a message, as one frame or (auto-fragmenting) several.
     *
     * @param first  whether this starts the message (its first frame carries the opcode)
     * @param fin    whether this ends the message
     * @param viewOk whether a large payload may be queued as a view instead of copied
     */
    private void sendMessage(Opcode type, ByteBuffer payload, boolean first, boolean fin, boolean viewOk) {
        int fragment = config.autoFragmentSize();
        if (chain != null && first && fin && fragment > 0 && payload.remaining() > fragment) {
            sendEncodedWhole(type, payload, fragment, viewOk);
            return;
        }
        if (fragment == 0 || payload.remaining() <= fragment) {
            sendFrame(type, payload, first, fin, viewOk);
            return;
        }
        int limit = payload.limit();
        boolean isFirst = first;
        while (true) {
            int end = Math.min(limit, payload.position() + fragment);
            boolean lastPiece = end == limit;
            ByteBuffer piece = payload.duplicate().limit(end);
            sendFrame(type, piece, isFirst, fin && lastPiece, viewOk);
            payload.position(end);
            isFirst = false;
            if (lastPiece) {
                break;
            }
        }
    }

    /**
     * A whole message to auto-fragment through extensions: encoded in one call, then its encoded bytes
     * split into frames, RSV bits on the first (RFC 7692 section 6.1 allows this for
     * permessage-deflate, and a compressor keeps its ratio: each separately encoded frame would end in
     * a flush).
     */
    private void sendEncodedWhole(Opcode type, ByteBuffer payload, int fragment, boolean viewOk) {
        int rsv = 0;
        ByteBuffer data = payload;
        for (Extension extension : chain) {
            Extension.EncodedFrame encoded = extension.encode(type, data, true, true, true);
            data = encoded.payload();
            rsv |= encoded.rsv();
        }
        boolean view = viewOk && data == payload;
        int limit = data.limit();
        boolean first = true;
        do {
            int end = Math.min(limit, data.position() + fragment);
            writeFrame(end == limit, first ? rsv : 0, first ? type : Opcode.CONTINUATION, data.duplicate().limit(end), view);
            data.position(end);
            first = false;
        } while (data.position() < limit);
        payload.position(payload.limit());
    }

    private void sendFrame(Opcode type, ByteBuffer payload, boolean first, boolean fin, boolean viewOk) {
        Opcode opcode = first ? type : Opcode.CONTINUATION;
        if (chain == null) {
            writeFrame(fin, 0, opcode, payload, viewOk);
            return;
        }
        int rsv = 0;
        ByteBuffer data = payload;
        for (Extension extension : chain) {
            Extension.EncodedFrame encoded = extension.encode(type, data, first, fin, true);
            data = encoded.payload();
            rsv |= encoded.rsv();
        }
        boolean passedThrough = data == payload;
        writeFrame(fin, first ? rsv : 0, opcode, data, viewOk && passedThrough);
        payload.position(payload.limit());
    }

    /** The UTF-8 bytes of {@code text}, refusing an unpaired surrogate ({@link #utf8Length}). */
    private static byte[] utf8(String text) {
        utf8Length(text);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void writeFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload, boolean viewOk) {
        int length = payload.remaining();
        boolean masked = writer().masks();
        int header = FrameWriter.headerLength(length, masked);
        Output out = output();
        if (opcode == Opcode.PING || opcode == Opcode.PONG) {
            // the control lane: may overtake queued data at a frame boundary (see OutputHandler)
            ByteBuffer frame = ByteBuffer.allocate(header + length);
            writer().writeFrame(frame, fin, rsv, opcode, payload);
            out.addControl(frame.flip());
            return;
        }
        if (!masked && viewOk && length >= VIEW_THRESHOLD) {
            FrameWriter.writeHeader(out.reserve(header), fin, rsv, opcode, length, false, 0);
            out.add(payload.slice());
            payload.position(payload.limit());
        } else {
            writer().writeFrame(out.reserve(header + length), fin, rsv, opcode, payload);
        }
        out.frameEnd();
    }
}
