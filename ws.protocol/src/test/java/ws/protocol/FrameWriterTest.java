package ws.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("RFC 6455 section 5.2: the frame writer")
class FrameWriterTest {

    @Test
    @DisplayName("section 5.7: unmasked \"Hello\" and the 256-byte and 64 KiB binary headers")
    void examples() {
        assertEquals("81 05 48 65 6c 6c 6f", Hex.hex(Hex.bytes(FrameWriter.encodeServerFrame(Opcode.TEXT, ByteBuffer.wrap("Hello".getBytes())))));
        ByteBuffer header = ByteBuffer.allocate(14);
        FrameWriter.writeHeader(header, true, 0, Opcode.BINARY, 256, false, 0);
        assertEquals("82 7e 01 00", Hex.hex(Hex.bytes(header.flip())));
        header.clear();
        FrameWriter.writeHeader(header, true, 0, Opcode.BINARY, 65536, false, 0);
        assertEquals("82 7f 00 00 00 00 00 01 00 00", Hex.hex(Hex.bytes(header.flip())));
    }

    @Test
    @DisplayName("section 5.7: masked \"Hello\" with key 37 fa 21 3d from the injected random source")
    void maskedExample() {
        FrameWriter writer = new FrameWriter(Side.CLIENT, Hex.fixedKey(0x37fa213d));
        assertEquals("81 85 37 fa 21 3d 7f 9f 4d 51 58",
                Hex.hex(Hex.bytes(writer.encode(true, 0, Opcode.TEXT, ByteBuffer.wrap("Hello".getBytes())))));
    }

    @Test
    @DisplayName("the shortest length encoding at the 125/126 and 65535/65536 boundaries, masked and not")
    void lengthEncodings() {
        long[] lengths = {0, 125, 126, 65535, 65536, Integer.MAX_VALUE + 1L};
        int[] sizes = {2, 2, 4, 4, 10, 10};
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(sizes[i], FrameWriter.headerLength(lengths[i], false));
            assertEquals(sizes[i] + 4, FrameWriter.headerLength(lengths[i], true));
            ByteBuffer header = ByteBuffer.allocate(14);
            FrameWriter.writeHeader(header, true, 0, Opcode.BINARY, lengths[i], true, 0x01020304);
            assertEquals(sizes[i] + 4, header.position());
        }
    }

    @Test
    @DisplayName("the header is in network byte order whatever the buffer's order")
    void byteOrder() {
        ByteBuffer little = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        FrameWriter.writeHeader(little, false, 0x40, Opcode.TEXT, 300, true, 0x0a0b0c0d);
        assertEquals("41 fe 01 2c 0a 0b 0c 0d", Hex.hex(Hex.bytes(little.flip())));
    }

    @Test
    @DisplayName("what may never be written is refused: RSV outside 0x70, fragmented or long control frames")
    void refusals() {
        ByteBuffer dst = ByteBuffer.allocate(14);
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeHeader(dst, true, 0x80, Opcode.TEXT, 1, false, 0));
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeHeader(dst, false, 0, Opcode.PING, 1, false, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameWriter.writeHeader(dst, true, 0, Opcode.CLOSE, 126, false, 0));
        assertEquals("control frame payload 126 > 125", e.getMessage());
        assertEquals(0, dst.position());
    }

    @Test
    @DisplayName("encodeServerFrame leaves the payload unconsumed")
    void serverFrameDoesNotConsume() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {1, 2, 3});
        FrameWriter.encodeServerFrame(Opcode.BINARY, payload);
        assertEquals(3, payload.remaining());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("writer to reader round trip: random frames, seeded masks, read whole and one byte at a time")
    void roundTrip(Side writerSide) throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        FrameWriter writer = new FrameWriter(writerSide, new SplittableRandom(11));
        List<RecordingHandler.Frame> expected = new ArrayList<>();
        ByteBuffer wire = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < 60; i++) {
            Opcode opcode = List.of(Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION, Opcode.PING, Opcode.PONG, Opcode.CLOSE).get(random.nextInt(6));
            int length = opcode.isControl() ? random.nextInt(126) : random.nextInt(i % 7 == 0 ? 70_000 : 200);
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            boolean fin = opcode.isControl() || random.nextBoolean();
            int rsv = opcode.isControl() ? 0 : random.nextInt(8) << 4;
            writer.writeFrame(wire, fin, rsv, opcode, ByteBuffer.wrap(payload));
            expected.add(new RecordingHandler.Frame(fin, rsv, opcode, payload));
        }
        byte[] bytes = Hex.bytes(wire.flip());
        for (boolean oneByOne : new boolean[] {false, true}) {
            RecordingHandler handler = new RecordingHandler();
            FrameReader reader = new FrameReader(writerSide.peer(), 0x70, 1 << 20, handler);
            RecordingHandler.feed(reader, bytes, oneByOne);
            assertEquals(expected.size(), handler.frames.size());
            for (int i = 0; i < expected.size(); i++) {
                RecordingHandler.Frame want = expected.get(i);
                RecordingHandler.Frame got = handler.frames.get(i);
                assertEquals(want.fin(), got.fin());
                assertEquals(want.rsv(), got.rsv());
                assertEquals(want.opcode(), got.opcode());
                assertArrayEquals(want.payload(), got.payload());
            }
            assertTrue(reader.isBetweenFrames());
        }
    }

    @Test
    @DisplayName("a client draws a fresh key for every frame")
    void freshKeys() {
        FrameWriter writer = new FrameWriter(Side.CLIENT, new SplittableRandom(3));
        byte[] first = Hex.bytes(writer.encode(true, 0, Opcode.TEXT, ByteBuffer.wrap("a".getBytes())));
        byte[] second = Hex.bytes(writer.encode(true, 0, Opcode.TEXT, ByteBuffer.wrap("a".getBytes())));
        assertTrue(!java.util.Arrays.equals(first, second));
    }
}
