package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ws.protocol.Hex;
import ws.protocol.Limits;
import ws.protocol.Side;

/**
 * Whatever the peer sends, {@code receiveData} never throws, what the engine sends is always valid
 * framing, and the connection ends with exactly one {@code Closed}, last (package documentation,
 * item 1; RFC 6455 section 7.1.7).
 */
@DisplayName("hostile input: never throws, always ends with exactly one Closed")
class HostileInputTest {

    /** Plausible frames, some valid, some broken in one field, some random bytes. */
    static byte[] noise(Side side, SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = random.nextInt(1, 12);
        for (int i = 0; i < frames; i++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                byte[] junk = new byte[random.nextInt(1, 40)];
                random.nextBytes(junk);
                out.writeBytes(junk);
                continue;
            }
            int first = random.nextBoolean() ? 0x80 : 0;
            first |= new int[] {0, 1, 2, 8, 9, 10, random.nextInt(16)}[random.nextInt(7)];
            if (random.nextInt(8) == 0) {
                first |= random.nextInt(8) << 4;
            }
            byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(20)];
            random.nextBytes(payload);
            if ((first & 0x0F) == 8 && payload.length >= 2 && random.nextBoolean()) {
                payload[0] = 0x03;
                payload[1] = (byte) 0xE8;
            }
            boolean masked = side == Side.SERVER ? random.nextInt(20) != 0 : random.nextInt(20) == 0;
            out.writeBytes(Hex.frame(first, payload, masked, random.nextInt()));
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("random bytes and mangled heads during the opening handshake")
    void randomHandshakes(Side side) {
        String valid = side == Side.SERVER ? Engines.request("dGhlIHNhbXBsZSBub25jZQ==", "")
                : "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n";
        for (int seed = 0; seed < 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] head = valid.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            for (int flips = random.nextInt(4); flips > 0; flips--) {
                head[random.nextInt(head.length)] = (byte) random.nextInt(256);
            }
            Protocol engine = side == Side.SERVER ? ServerProtocol.create(Engines.config())
                    : ClientProtocol.create(Engines.config(), java.net.URI.create("ws://h/"), List.of(), ws.protocol.handshake.HttpHeaders.empty());
            List<ProtocolEvent> events = new ArrayList<>();
            byte[] wire = Hex.concat(head, noise(side, random));
            for (int at = 0; at < wire.length; ) {
                int n = Math.min(wire.length - at, random.nextInt(1, 64));
                engine.receiveData(ByteBuffer.wrap(wire, at, n));
                at += n;
                events.addAll(engine.events());
                if (engine instanceof ServerProtocol server && !events.isEmpty()) {
                    ProtocolEvent last = events.get(events.size() - 1);
                    if (last instanceof ProtocolEvent.RequestReceived) {
                        server.accept("", ws.protocol.handshake.HttpHeaders.empty());
                    } else if (last instanceof ProtocolEvent.HttpRequestReceived) {
                        server.respond(ws.protocol.handshake.HandshakeResponse.text(404, "no"));
                    }
                    events.addAll(engine.events());
                }
            }
            engine.receiveEof();
            events.addAll(engine.events());
            String context = "seed " + seed + ": " + events;
            assertEquals(1, Engines.only(events, ProtocolEvent.Closed.class).size(), context);
            assertInstanceOf(ProtocolEvent.Closed.class, events.get(events.size() - 1), context);
        }
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("random frames, broken fields and bytes after the handshake")
    void randomFramesAndBytes(Side side) {
        for (int seed = 0; seed < 400; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Protocol engine = Engines.open(side, Engines.config().withLimits(
                    Limits.DEFAULT.withMaxFramePayload(200).withMaxMessageSize(400).withMaxFragmentsPerMessage(5)));
            boolean hold = seed % 2 == 1; // half the runs drive the engine with the close held
            engine.holdClose(hold);
            byte[] wire = noise(side, random);
            List<ProtocolEvent> events = new ArrayList<>();
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int at = 0; at < wire.length; ) {
                int n = Math.min(wire.length - at, random.nextInt(1, 64));
                engine.receiveData(ByteBuffer.wrap(wire, at, n));
                at += n;
                events.addAll(engine.events());
                if (hold && engine.state() == ProtocolState.CLOSE_RECEIVED) {
                    engine.sendText("answer before the close");
                    engine.releaseClose();
                    events.addAll(engine.events());
                }
                sent.writeBytes(Hex.concat(engine.dataToSend()));
                if (random.nextInt(30) == 0 && engine.state() == ProtocolState.OPEN) {
                    engine.sendText("interjection");
                }
            }
            engine.receiveEof();
            events.addAll(engine.events());
            sent.writeBytes(Hex.concat(engine.dataToSend()));

            String context = "seed " + seed + ": " + events;
            assertEquals(1, Engines.only(events, ProtocolEvent.Closed.class).size(), context);
            assertInstanceOf(ProtocolEvent.Closed.class, events.get(events.size() - 1), context);
            assertEquals(ProtocolState.CLOSED, engine.state());
            Engines.parse(side, sent.toByteArray(), 0); // valid frames only
        }
    }
}
