package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import ws.protocol.CloseStatus;
import ws.protocol.FrameReader;
import ws.protocol.Hex;
import ws.protocol.ProtocolViolationException;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.ServerHandshake;

/** Test helpers for the engines: opened engines of either side, raw peer frames, parsed output. */
final class Engines {
    /** The masking key a test peer (a client) uses towards a server engine. */
    static final int PEER_KEY = 0x37fa213d;

    private Engines() {
    }

    /** Default limits, a seeded random source. */
    static ProtocolConfig config() {
        return ProtocolConfig.defaults().withRandom(new SplittableRandom(7));
    }

    /** A random source whose every {@code nextInt()} is {@code key}. */
    static RandomGenerator fixedKey(int key) {
        return Hex.fixedKey(key);
    }

    /** Both sides, and both ways of feeding. */
    static Stream<Arguments> sidesAndFeeds() {
        return Stream.of(Side.values()).flatMap(side -> Stream.of(Arguments.of(side, Feed.WHOLE), Arguments.of(side, Feed.BYTE_BY_BYTE)));
    }

    /** How bytes reach an engine. */
    enum Feed {
        WHOLE, BYTE_BY_BYTE;

        void feed(Protocol engine, byte[] bytes) {
            if (this == WHOLE) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                engine.receiveData(buffer);
                assertEquals(0, buffer.remaining(), "receiveData consumes everything");
            } else {
                for (byte b : bytes) {
                    engine.receiveData(ByteBuffer.wrap(new byte[] {b}));
                }
            }
        }
    }

    /** An engine of {@code side} that went through a real opening handshake with no extension; its output and events drained. */
    static Protocol open(Side side, ProtocolConfig config) {
        Protocol engine = side == Side.SERVER ? openServer(config) : openClient(config, HttpHeaders.empty());
        engine.dataToSend();
        List<ProtocolEvent> events = engine.events();
        assertInstanceOf(ProtocolEvent.Opened.class, events.get(events.size() - 1));
        assertEquals(ProtocolState.OPEN, engine.state());
        return engine;
    }

    static Protocol open(Side side) {
        return open(side, config());
    }

    static ServerProtocol openServer(ProtocolConfig config) {
        ServerProtocol server = ServerProtocol.create(config);
        server.receiveData(ByteBuffer.wrap(request("dGhlIHNhbXBsZSBub25jZQ==", "").getBytes(StandardCharsets.ISO_8859_1)));
        List<ProtocolEvent> events = server.events();
        assertInstanceOf(ProtocolEvent.RequestReceived.class, events.get(0), events.toString());
        server.accept("", HttpHeaders.empty());
        return server;
    }

    static String request(String key, String extraHeaders) {
        return "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    static ClientProtocol openClient(ProtocolConfig config, HttpHeaders responseExtras) {
        ClientProtocol client = ClientProtocol.create(config, URI.create("ws://server.example.com/chat"), List.of(), HttpHeaders.empty());
        client.dataToSend();
        String key = client.request().headers().first("Sec-WebSocket-Key").orElseThrow();
        client.receiveData(ByteBuffer.wrap(response(key, responseExtras)));
        return client;
    }

    static byte[] response(String key, HttpHeaders extras) {
        StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(key) + "\r\n");
        extras.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A frame as the peer of a {@code side} engine sends it: masked (with {@link #PEER_KEY}) towards a server. */
    static byte[] fromPeer(Side side, int firstByte, byte[] payload) {
        return Hex.frame(firstByte, payload, side == Side.SERVER, PEER_KEY);
    }

    static byte[] fromPeer(Side side, int firstByte, String text) {
        return fromPeer(side, firstByte, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The frames an engine of {@code side} has produced since the last call, parsed (and checked) as its peer would. */
    static List<RecordingHandler.Frame> sentFrames(Protocol engine) {
        return parse(engine.side(), Hex.concat(engine.dataToSend()), 0x70);
    }

    static List<RecordingHandler.Frame> parse(Side sender, byte[] bytes, int allowedRsv) {
        RecordingHandler handler = new RecordingHandler();
        FrameReader reader = new FrameReader(sender.peer(), allowedRsv, Integer.MAX_VALUE, handler);
        try {
            reader.feed(ByteBuffer.wrap(bytes));
        } catch (ProtocolViolationException e) {
            throw new AssertionError("the engine sent an invalid frame: " + e.getMessage(), e);
        }
        assertTrue(reader.isBetweenFrames(), "the engine sent a partial frame");
        return handler.frames;
    }

    /** Moves all pending output of {@code from} into {@code to}; returns how many bytes moved. */
    static long pump(Protocol from, Protocol to) {
        long moved = 0;
        for (ByteBuffer buffer : from.dataToSend()) {
            moved += buffer.remaining();
            to.receiveData(buffer);
        }
        return moved;
    }

    /** A client and a server engine, handshake done by pumping bytes between them. */
    record Pair(ClientProtocol client, ServerProtocol server) {
        static Pair open(ProtocolConfig clientConfig, ProtocolConfig serverConfig) {
            ClientProtocol client = ClientProtocol.create(clientConfig, URI.create("ws://localhost/"), List.of(), HttpHeaders.empty());
            ServerProtocol server = ServerProtocol.create(serverConfig);
            pump(client, server);
            assertInstanceOf(ProtocolEvent.RequestReceived.class, server.events().get(0));
            server.accept("", HttpHeaders.empty());
            pump(server, client);
            assertInstanceOf(ProtocolEvent.Opened.class, server.events().get(0));
            assertInstanceOf(ProtocolEvent.Opened.class, client.events().get(0));
            return new Pair(client, server);
        }

        Protocol engine(Side side) {
            return side == Side.CLIENT ? client : server;
        }
    }

    /** Asserts the last events are Failed(code) then Closed(code) and returns the failure's status. */
    static CloseStatus assertFailed(Protocol engine, List<ProtocolEvent> events, int code) {
        assertTrue(events.size() >= 2, () -> "expected Failed and Closed, got " + events);
        ProtocolEvent.Failed failed = assertInstanceOf(ProtocolEvent.Failed.class, events.get(events.size() - 2), events::toString);
        ProtocolEvent.Closed closed = assertInstanceOf(ProtocolEvent.Closed.class, events.get(events.size() - 1));
        assertEquals(code, failed.status().code(), failed.status().toString());
        assertEquals(code, closed.status().code());
        assertEquals(ProtocolState.CLOSED, engine.state());
        return failed.status();
    }

    /** The code of a close frame's payload, or -1 for an empty payload. */
    static int closeCode(RecordingHandler.Frame frame) {
        byte[] p = frame.payload();
        return p.length == 0 ? -1 : ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
    }

    static List<ProtocolEvent> only(List<ProtocolEvent> events, Class<?> type) {
        List<ProtocolEvent> out = new ArrayList<>();
        for (ProtocolEvent event : events) {
            if (type.isInstance(event)) {
                out.add(event);
            }
        }
        return out;
    }
}
