package ws.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("RFC 6455 section 5.3: client-to-server masking")
class MaskerTest {

    /** The definition: octet i is XORed with octet i MOD 4 of the masking key. */
    private static byte[] reference(byte[] data, int key, long offset) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            int j = (int) ((offset + i) & 3);
            out[i] = (byte) (data[i] ^ (key >>> (24 - 8 * j)));
        }
        return out;
    }

    @Test
    @DisplayName("section 5.7: \"Hello\" masked with 37 fa 21 3d")
    void rfcExample() {
        ByteBuffer dst = ByteBuffer.allocate(5);
        Masker.mask(ByteBuffer.wrap("Hello".getBytes()), dst, 0x37fa213d, 0);
        assertArrayEquals(Hex.bytes("7f 9f 4d 51 58"), dst.array());
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000})
    @DisplayName("long-wide XOR equals the byte-wise definition, in every byte order and at every offset")
    void equalsDefinition(int length) {
        SplittableRandom random = new SplittableRandom(length);
        byte[] data = new byte[length];
        random.nextBytes(data);
        int key = random.nextInt();
        for (int offset = 0; offset < 4; offset++) {
            byte[] expected = reference(data, key, offset);
            for (ByteOrder srcOrder : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                for (ByteOrder dstOrder : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                    ByteBuffer src = ByteBuffer.wrap(data).order(srcOrder);
                    ByteBuffer dst = ByteBuffer.allocateDirect(length + 3).order(dstOrder);
                    dst.position(3);
                    Masker.mask(src, dst, key, offset);
                    byte[] got = new byte[length];
                    dst.position(3);
                    dst.get(got);
                    assertArrayEquals(expected, got, "offset " + offset + " " + srcOrder + "->" + dstOrder);
                }
                ByteBuffer inPlace = ByteBuffer.wrap(data.clone()).order(srcOrder);
                Masker.maskInPlace(inPlace, key, offset);
                assertArrayEquals(expected, inPlace.array());
            }
        }
    }

    @Test
    @DisplayName("a payload unmasked in chunks of every size gives the same bytes as one pass")
    void chunked() {
        byte[] data = Hex.counting(257);
        int key = 0x01020384;
        byte[] expected = reference(data, key, 0);
        for (int chunk = 1; chunk <= 20; chunk++) {
            ByteBuffer dst = ByteBuffer.allocate(data.length);
            for (int at = 0; at < data.length; at += chunk) {
                int n = Math.min(chunk, data.length - at);
                Masker.mask(ByteBuffer.wrap(data, at, n), dst, key, at);
            }
            assertArrayEquals(expected, dst.array(), "chunk " + chunk);
        }
    }

    @Test
    @DisplayName("masking twice restores the payload; a zero key changes nothing")
    void involution() {
        byte[] data = Hex.counting(100);
        byte[] copy = data.clone();
        Masker.maskInPlace(copy, 0, copy.length, 0xdeadbeef, 2);
        Masker.maskInPlace(copy, 0, copy.length, 0xdeadbeef, 2);
        assertArrayEquals(data, copy);
        Masker.maskInPlace(copy, 0, copy.length, 0, 0);
        assertArrayEquals(data, copy);
    }

    @Test
    @DisplayName("every alignment of source, destination and payload offset, lengths 0..64: heap, direct, in place")
    void everyAlignmentAndLength() {
        SplittableRandom random = new SplittableRandom(6455);
        for (int length = 0; length <= 64; length++) {
            byte[] data = new byte[length + 8];
            random.nextBytes(data);
            int key = random.nextInt() | 1;
            for (int payloadOffset = 0; payloadOffset < 4; payloadOffset++) {
                for (int srcAt = 0; srcAt < 8; srcAt++) {
                    byte[] expected = reference(java.util.Arrays.copyOfRange(data, srcAt, srcAt + length), key, payloadOffset);
                    String where = "length " + length + " payload offset " + payloadOffset + " src at " + srcAt;
                    // in place, array and heap buffer (a slice, so arrayOffset is not 0)
                    byte[] inPlace = data.clone();
                    Masker.maskInPlace(inPlace, srcAt, length, key, payloadOffset);
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(inPlace, srcAt, srcAt + length), where);
                    assertUntouched(data, inPlace, srcAt, length, where);
                    byte[] sliced = data.clone();
                    Masker.maskInPlace(ByteBuffer.wrap(sliced, srcAt, 8 + length - srcAt).slice().limit(length), key, payloadOffset);
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(sliced, srcAt, srcAt + length), where);
                    ByteBuffer direct = ByteBuffer.allocateDirect(length + 8);
                    direct.put(data).position(srcAt).limit(srcAt + length);
                    Masker.maskInPlace(direct, key, payloadOffset);
                    assertArrayEquals(expected, bytes(direct, srcAt, length), where);
                    for (int dstAt = 0; dstAt < 8; dstAt++) {
                        String both = where + " dst at " + dstAt;
                        byte[] out = new byte[length + 8];
                        Masker.mask(data, srcAt, out, dstAt, length, key, payloadOffset);
                        assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, dstAt, dstAt + length), both);
                        assertUntouched(new byte[length + 8], out, dstAt, length, both);
                        for (int kind = 0; kind < 4; kind++) {
                            ByteBuffer src = (kind & 1) == 0
                                    ? ByteBuffer.wrap(data).position(srcAt).slice()
                                    : ByteBuffer.allocateDirect(length + 8).put(data).position(srcAt).slice();
                            src.limit(length);
                            ByteBuffer dst = (kind & 2) == 0
                                    ? ByteBuffer.wrap(new byte[length + 16]).position(dstAt)
                                    : ByteBuffer.allocateDirect(length + 16).position(dstAt);
                            Masker.mask(src, dst, key, payloadOffset);
                            assertEquals(length, src.position(), both);
                            assertEquals(dstAt + length, dst.position(), both);
                            assertArrayEquals(expected, bytes(dst, dstAt, length), both + " kind " + kind);
                        }
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("bytes streamed in chunks of 1..40 at odd array offsets equal one pass")
    void streamingAtOddOffsets() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] data = new byte[301];
        random.nextBytes(data);
        int key = 0x9a3b5c7d;
        byte[] expected = reference(data, key, 0);
        for (int chunk = 1; chunk <= 40; chunk++) {
            byte[] out = new byte[data.length + 5];
            for (int at = 0; at < data.length; at += chunk) {
                int n = Math.min(chunk, data.length - at);
                Masker.mask(data, at, out, at + 5, n, key, at);
            }
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 5, 5 + data.length), "chunk " + chunk);
        }
    }

    @Test
    @DisplayName("ranges outside the arrays are refused before anything is written")
    void bounds() {
        byte[] small = new byte[8];
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> Masker.mask(new byte[16], 0, small, 1, 8, 1, 0));
        assertArrayEquals(new byte[8], small);
        org.junit.jupiter.api.Assertions.assertThrows(java.nio.BufferOverflowException.class,
                () -> Masker.mask(ByteBuffer.allocate(9), ByteBuffer.allocate(8), 1, 0));
    }

    private static byte[] bytes(ByteBuffer buffer, int from, int length) {
        byte[] out = new byte[length];
        buffer.get(from, out);
        return out;
    }

    private static void assertUntouched(byte[] before, byte[] after, int from, int length, String where) {
        for (int i = 0; i < before.length; i++) {
            if (i < from || i >= from + length) {
                assertEquals(before[i], after[i], where + ": byte " + i + " outside the range changed");
            }
        }
    }
}
