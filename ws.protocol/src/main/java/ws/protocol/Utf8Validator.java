package ws.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An incremental UTF-8 validator (RFC 3629; Unicode table 3-7, "well-formed UTF-8 byte sequences"):
 * bytes are fed in pieces of any size, the state carries over from one piece to the next (across the
 * fragments of a text message), and the first byte that makes the sequence impossible is reported at
 * once. {@code F4 90} fails at the {@code 90} (it would encode a code point above U+10FFFF), as do
 * overlong forms ({@code C0}, {@code C1}, {@code E0 80..9F}, {@code F0 80..8F}), UTF-16 surrogates
 * ({@code ED A0..BF}), bytes {@code F5..FF}, and continuation bytes where none is expected.
 *
 * <p>A text message (RFC 6455 section 8.1) and a close reason (section 5.5.1) must be valid UTF-8;
 * the connection fails with 1007 otherwise. Not thread-safe.
 */
public final class Utf8Validator {
    /** Between characters: the only state in which a message may end. */
    private static final int ACCEPT = 0;
    /** One continuation byte {@code 80..BF} still expected. */
    private static final int NEED_1 = 1;
    /** Two continuation bytes expected, the next in {@code 80..BF}. */
    private static final int NEED_2 = 2;
    /** Three continuation bytes expected, the next in {@code 80..BF}. */
    private static final int NEED_3 = 3;
    /** After {@code E0}: the next byte must be {@code A0..BF} (no overlong three-byte forms). */
    private static final int AFTER_E0 = 4;
    /** After {@code ED}: the next byte must be {@code 80..9F} (no surrogates). */
    private static final int AFTER_ED = 5;
    /** After {@code F0}: the next byte must be {@code 90..BF} (no overlong four-byte forms). */
    private static final int AFTER_F0 = 6;
    /** After {@code F4}: the next byte must be {@code 80..8F} (nothing above U+10FFFF). */
    private static final int AFTER_F4 = 7;
    /** An impossible byte was seen; the validator stays here until {@link #reset()}. */
    private static final int REJECT = 8;

    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private int state = ACCEPT;

    /** A validator at the start of a text. */
    public Utf8Validator() {
    }

    /**
     * Validates {@code length} more bytes of {@code array} from {@code offset}.
     *
     * @return -1 when every byte so far can still start or continue valid UTF-8; otherwise the index,
     *         relative to {@code offset}, of the first byte that cannot (0 if the validator had already failed)
     */
    public int feed(byte[] array, int offset, int length) {
        int s = state;
        if (s == REJECT) {
            return 0;
        }
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (s == ACCEPT) {
                i = skipAscii(array, i, end);
                if (i == end) {
                    break;
                }
            }
            s = next(s, array[i] & 0xFF);
            if (s == REJECT) {
                state = REJECT;
                return i - offset;
            }
            i++;
        }
        state = s;
        return -1;
    }

    /**
     * Validates the bytes of {@code data} from position to limit; the position does not move.
     *
     * @return -1 when every byte so far can still start or continue valid UTF-8; otherwise the index,
     *         relative to the position, of the first byte that cannot (0 if the validator had already failed)
     */
    public int feed(ByteBuffer data) {
        if (data.hasArray()) {
            return feed(data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        int s = state;
        if (s == REJECT) {
            return 0;
        }
        int start = data.position();
        long highBits = HIGH_BITS; // the same in either byte order
        for (int i = start, end = data.limit(); i < end; i++) {
            if (s == ACCEPT) {
                while (i + 8 <= end && (data.getLong(i) & highBits) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            int b = data.get(i);
            if (b >= 0 && s == ACCEPT) {
                continue;
            }
            s = next(s, b & 0xFF);
            if (s == REJECT) {
                state = REJECT;
                return i - start;
            }
        }
        state = s;
        return -1;
    }

    /** Whether everything fed so far is valid UTF-8 that ends between two characters: a text may end here. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Whether an impossible byte was seen. */
    public boolean isFailed() {
        return state == REJECT;
    }

    /** Starts over, for the next text. */
    public void reset() {
        state = ACCEPT;
    }

    /** Whether the bytes of {@code data} from position to limit are one complete, valid UTF-8 text. */
    public static boolean isValid(ByteBuffer data) {
        Utf8Validator validator = new Utf8Validator();
        return validator.feed(data) < 0 && validator.isComplete();
    }

    /** Whether {@code length} bytes of {@code array} from {@code offset} are one complete, valid UTF-8 text. */
    public static boolean isValid(byte[] array, int offset, int length) {
        Utf8Validator validator = new Utf8Validator();
        return validator.feed(array, offset, length) < 0 && validator.isComplete();
    }

    /**
     * The index of the first byte at or after {@code i} that is not ASCII, or {@code end}: 32 bytes per
     * step (four {@code long}s OR-ed, one test of their high bits), then 8, then byte by byte.
     */
    private static int skipAscii(byte[] array, int i, int end) {
        while (i + 32 <= end && (((long) LONGS.get(array, i) | (long) LONGS.get(array, i + 8)
                | (long) LONGS.get(array, i + 16) | (long) LONGS.get(array, i + 24)) & HIGH_BITS) == 0) {
            i += 32;
        }
        while (i + 8 <= end && ((long) LONGS.get(array, i) & HIGH_BITS) == 0) {
            i += 8;
        }
        while (i < end && array[i] >= 0) {
            i++;
        }
        return i;
    }

    private static int next(int state, int b) {
        return switch (state) {
            case ACCEPT -> {
                if (b < 0x80) {
                    yield ACCEPT;
                } else if (b < 0xC2) {
                    yield REJECT; // a continuation byte, or the overlong leads C0 and C1
                } else if (b < 0xE0) {
                    yield NEED_1;
                } else if (b == 0xE0) {
                    yield AFTER_E0;
                } else if (b == 0xED) {
                    yield AFTER_ED;
                } else if (b < 0xF0) {
                    yield NEED_2;
                } else if (b == 0xF0) {
                    yield AFTER_F0;
                } else if (b < 0xF4) {
                    yield NEED_3;
                } else if (b == 0xF4) {
                    yield AFTER_F4;
                } else {
                    yield REJECT; // F5..FF never appear in UTF-8
                }
            }
            case NEED_1 -> isContinuation(b) ? ACCEPT : REJECT;
            case NEED_2 -> isContinuation(b) ? NEED_1 : REJECT;
            case NEED_3 -> isContinuation(b) ? NEED_2 : REJECT;
            case AFTER_E0 -> b >= 0xA0 && b <= 0xBF ? NEED_1 : REJECT;
            case AFTER_ED -> b >= 0x80 && b <= 0x9F ? NEED_1 : REJECT;
            case AFTER_F0 -> b >= 0x90 && b <= 0xBF ? NEED_2 : REJECT;
            case AFTER_F4 -> b >= 0x80 && b <= 0x8F ? NEED_2 : REJECT;
            default -> REJECT;
        };
    }

    private static boolean isContinuation(int b) {
        return (b & 0xC0) == 0x80;
    }
}
