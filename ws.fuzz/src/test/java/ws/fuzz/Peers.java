package ws.fuzz;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import ws.protocol.FrameReader;
import ws.protocol.Limits;
import ws.protocol.Opcode;
import ws.protocol.ProtocolViolationException;
import ws.protocol.Side;
import ws.protocol.engine.ClientProtocol;
import ws.protocol.engine.Protocol;
import ws.protocol.engine.ProtocolConfig;
import ws.protocol.engine.ProtocolEvent;
import ws.protocol.engine.ProtocolState;
import ws.protocol.engine.ServerProtocol;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.ServerHandshake;

/**
 * Engines opened by a real handshake, for the fuzz targets to feed, and the checks every target
 * applies to what an engine does with hostile input (RFC 6455 section 7.1.7: fail the connection,
 * never the caller).
 */
final class Peers {
    /** Small limits, so that the fuzzer reaches them (1009) and each input stays cheap. */
    static final Limits LIMITS = Limits.DEFAULT.withMaxFramePayload(8192).withMaxMessageSize(16384);

    /** The RFC 6455 section 1.3 example key. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private Peers() {
    }

    static ProtocolConfig config(boolean deflate) {
        ProtocolConfig config = ProtocolConfig.defaults().withLimits(LIMITS).withRandom(new SplittableRandom(7));
        return deflate ? config.withExtensions(List.of(PerMessageDeflate.builder().threshold(0).build())) : config;
    }

    /** An open engine of {@code side}, with permessage-deflate agreed when {@code deflate}; output and events drained. */
    static Protocol open(Side side, boolean deflate) {
        Protocol engine = side == Side.SERVER ? openServer(deflate) : openClient(deflate);
        engine.dataToSend();
        List<ProtocolEvent> events = engine.events();
        if (engine.state() != ProtocolState.OPEN || !(events.get(events.size() - 1) instanceof ProtocolEvent.Opened opened)
                || opened.extensions().isEmpty() == deflate) {
            throw new IllegalStateException("handshake did not open as expected: " + events);
        }
        return engine;
    }

    private static Protocol openServer(boolean deflate) {
        ServerProtocol server = ServerProtocol.create(config(deflate));
        String head = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "") + "\r\n";
        server.receiveData(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
        server.events();
        server.accept("", HttpHeaders.empty());
        return server;
    }

    private static Protocol openClient(boolean deflate) {
        ClientProtocol client = ClientProtocol.create(config(deflate), URI.create("ws://server.example.com/chat"), List.of(), HttpHeaders.empty());
        client.dataToSend();
        String key = client.request().headers().first("Sec-WebSocket-Key").orElseThrow();
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(key) + "\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + "\r\n";
        client.receiveData(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
        return client;
    }

    /** What one run of an engine gave: its events (described) and all its output bytes. */
    record Run(List<String> events, byte[] output) {
    }

    /**
     * Feeds {@code input} to {@code engine} in pieces of {@code chunk} bytes (all at once for 0), then
     * the end of input, checking on the way that {@code receiveData} takes every byte and never
     * throws, and at the end that the events follow the contract.
     */
    static Run feed(Protocol engine, byte[] input, int chunk) {
        List<ProtocolEvent> events = new ArrayList<>();
        ByteBuffer all = ByteBuffer.allocate(input.length + 64);
        int step = chunk <= 0 ? Math.max(1, input.length) : chunk;
        for (int at = 0; at < input.length; at += step) {
            ByteBuffer piece = ByteBuffer.wrap(input, at, Math.min(step, input.length - at)).slice();
            engine.receiveData(piece);
            if (piece.hasRemaining()) {
                throw new AssertionError("receiveData left " + piece.remaining() + " bytes unread");
            }
            events.addAll(engine.events());
            all = drain(engine, all);
        }
        engine.receiveEof();
        events.addAll(engine.events());
        all = drain(engine, all);
        checkEvents(events);
        if (engine.state() != ProtocolState.CLOSED) {
            throw new AssertionError("not CLOSED after the end of input: " + engine.state());
        }
        byte[] output = new byte[all.position()];
        all.flip().get(output);
        checkOutput(engine.side(), output, engine.extensions().isEmpty() ? 0 : 0x40);
        return new Run(events.stream().map(Peers::describe).toList(), output);
    }

    private static ByteBuffer drain(Protocol engine, ByteBuffer into) {
        for (ByteBuffer b : engine.dataToSend()) {
            if (into.remaining() < b.remaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(into.capacity() * 2, into.position() + b.remaining()));
                into = bigger.put(into.flip());
            }
            into.put(b);
        }
        return into;
    }

    /** Exactly one Closed, last; a Failed only right before it; messages within the limits. */
    static void checkEvents(List<ProtocolEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            ProtocolEvent event = events.get(i);
            boolean last = i == events.size() - 1;
            switch (event) {
                case ProtocolEvent.Closed c -> {
                    if (!last) {
                        throw new AssertionError("Closed is not the last event: " + events);
                    }
                }
                case ProtocolEvent.Failed f -> {
                    if (last || !(events.get(i + 1) instanceof ProtocolEvent.Closed closed) || closed.status().code() != f.status().code()) {
                        throw new AssertionError("Failed is not followed by a Closed with its code: " + events);
                    }
                }
                case ProtocolEvent.TextMessage t -> {
                    if (t.text().getBytes(StandardCharsets.UTF_8).length > LIMITS.maxMessageSize()) {
                        throw new AssertionError("text message over the limit: " + t.text().length() + " chars");
                    }
                    if (!StandardCharsets.UTF_8.newEncoder().canEncode(t.text())) {
                        throw new AssertionError("text message with an unpaired surrogate");
                    }
                }
                case ProtocolEvent.BinaryMessage b -> {
                    if (b.data().remaining() > LIMITS.maxMessageSize()) {
                        throw new AssertionError("binary message over the limit: " + b.data().remaining());
                    }
                }
                case ProtocolEvent.Ping p -> checkControl(p.payload());
                case ProtocolEvent.Pong p -> checkControl(p.payload());
                default -> {
                }
            }
        }
        if (events.isEmpty() || !(events.get(events.size() - 1) instanceof ProtocolEvent.Closed)) {
            throw new AssertionError("no Closed at the end: " + events);
        }
    }

    private static void checkControl(ByteBuffer payload) {
        if (payload.remaining() > FrameReader.MAX_CONTROL_PAYLOAD) {
            throw new AssertionError("control payload " + payload.remaining() + " > 125");
        }
    }

    /** What an engine of {@code side} sent parses as valid frames for its peer, whole frames only. */
    static void checkOutput(Side side, byte[] output, int allowedRsv) {
        FrameReader reader = new FrameReader(side.peer(), allowedRsv, Integer.MAX_VALUE, new FrameReader.Handler() {
            @Override
            public void onFrameStart(boolean fin, int rsv, Opcode opcode, long payloadLength, boolean masked, int maskKey) {
            }

            @Override
            public void onPayload(ByteBuffer chunk, long frameOffset) {
            }

            @Override
            public void onFrameEnd() {
            }
        });
        try {
            reader.feed(ByteBuffer.wrap(output));
        } catch (ProtocolViolationException e) {
            throw new AssertionError("the engine sent an invalid frame: " + e.getMessage(), e);
        }
        if (!reader.isBetweenFrames()) {
            throw new AssertionError("the engine's output ends inside a frame");
        }
    }

    static String describe(ProtocolEvent event) {
        HexFormat hex = HexFormat.of();
        return switch (event) {
            case ProtocolEvent.TextMessage t -> "text " + t.text();
            case ProtocolEvent.BinaryMessage b -> "binary " + hex.formatHex(bytes(b.data()));
            case ProtocolEvent.Ping p -> "ping " + hex.formatHex(bytes(p.payload()));
            case ProtocolEvent.Pong p -> "pong " + hex.formatHex(bytes(p.payload()));
            case ProtocolEvent.CloseReceived c -> "close received " + c.status().code() + " " + c.status().reason();
            case ProtocolEvent.Failed f -> "failed " + f.status().code() + " " + f.status().reason();
            case ProtocolEvent.Closed c -> "closed " + c.status().code() + " " + c.status().reason();
            default -> event.getClass().getSimpleName();
        };
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
