package ws.conformance.wire;

/**
 * Strict UTF-8 validation per RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
 * above U+10FFFF, no 5- or 6-byte forms. Non-characters (U+FFFE, U+FFFF, ...) are valid.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Whether {@code bytes[from, to)} is complete, valid UTF-8. */
    public static boolean isValid(byte[] bytes, int from, int to) {
        return firstInvalid(bytes, from, to) < 0;
    }

    /** Whether {@code bytes} is complete, valid UTF-8. */
    public static boolean isValid(byte[] bytes) {
        return isValid(bytes, 0, bytes.length);
    }

    /**
     * The index of the first byte at which {@code bytes[from, to)} stops being a prefix of valid UTF-8,
     * {@code to} when it is a valid but incomplete prefix (ends inside a sequence), or -1 when valid
     * and complete.
     */
    public static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int lower = 0x80;
            int upper = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b == 0xE0) {
                need = 2;
                lower = 0xA0;
            } else if (b >= 0xE1 && b <= 0xEC || b == 0xEE || b == 0xEF) {
                need = 2;
            } else if (b == 0xED) {
                need = 2;
                upper = 0x9F;
            } else if (b == 0xF0) {
                need = 3;
                lower = 0x90;
            } else if (b >= 0xF1 && b <= 0xF3) {
                need = 3;
            } else if (b == 0xF4) {
                need = 3;
                upper = 0x8F;
            } else {
                return i;
            }
            int start = i;
            i++;
            for (int k = 0; k < need; k++, i++) {
                if (i >= to) {
                    return to;
                }
                int c = bytes[i] & 0xFF;
                int lo = k == 0 ? lower : 0x80;
                int hi = k == 0 ? upper : 0xBF;
                if (c < lo || c > hi) {
                    return i;
                }
            }
            assert i > start;
        }
        return -1;
    }
}
