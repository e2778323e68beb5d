package ws.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
}
