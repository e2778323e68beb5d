package ws.benchmark.candidates;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A candidate for {@code ws.protocol.Utf8Validator}, measured next to it by
 * {@code Utf8CandidateBenchmark}: the same incremental validation (RFC 3629, Unicode table 3-7), as a
 * table-driven automaton: each byte maps to one of 12 classes, and the state moves by one lookup in
 * a small transition table (no branches per byte), with ASCII runs skipped 32 (then 8) bytes at a time
 * also in the middle of mixed text. Not used by the SDK.
 */
public final class DfaUtf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /** States (multiplied by 12 in the table): 0 accept, 1 reject, then the partial sequences. */
    private static final int ACCEPT = 0;
    private static final int REJECT = 12;

    // Byte classes:
    // 0: 00..7F  1: 80..8F  2: 90..9F  3: A0..BF  4: C0..C1, F5..FF  5: C2..DF  6: E0  7: E1..EC, EE..EF
    // 8: ED  9: F0  10: F1..F3  11: F4
    private static final byte[] CLASS = new byte[256];
    // States: 0 accept, 12 reject, 24 need 1 (80..BF), 36 need 2, 48 need 3, 60 after E0 (A0..BF),
    // 72 after ED (80..9F), 84 after F0 (90..BF), 96 after F4 (80..8F)
    private static final byte[] NEXT = new byte[9 * 12];

    static {
        for (int b = 0; b < 256; b++) {
            CLASS[b] = (byte) (b < 0x80 ? 0 : b < 0x90 ? 1 : b < 0xA0 ? 2 : b < 0xC0 ? 3 : b < 0xC2 ? 4
                    : b < 0xE0 ? 5 : b == 0xE0 ? 6 : b == 0xED ? 8 : b < 0xF0 ? 7 : b == 0xF0 ? 9 : b < 0xF4 ? 10
                    : b == 0xF4 ? 11 : 4);
        }
        java.util.Arrays.fill(NEXT, (byte) REJECT);
        int[] fromAccept = {ACCEPT, REJECT, REJECT, REJECT, REJECT, 24, 60, 36, 72, 84, 48, 96};
        for (int c = 0; c < 12; c++) {
            NEXT[c] = (byte) fromAccept[c];
        }
        set(24, new int[] {1, 2, 3}, ACCEPT);
        set(36, new int[] {1, 2, 3}, 24);
        set(48, new int[] {1, 2, 3}, 36);
        set(60, new int[] {3}, 24);
        set(72, new int[] {1, 2}, 24);
        set(84, new int[] {2, 3}, 36);
        set(96, new int[] {1}, 36);
    }

    private static void set(int state, int[] classes, int next) {
        for (int c : classes) {
            NEXT[state + c] = (byte) next;
        }
    }

    private int state = ACCEPT;

    /** Validates more bytes; -1 while still valid, else the index (relative to offset) of the first bad byte. */
    public int feed(byte[] array, int offset, int length) {
        int s = state;
        if (s == REJECT) {
            return 0;
        }
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (s == ACCEPT) {
                while (i + 32 <= end && (((long) LONGS.get(array, i) | (long) LONGS.get(array, i + 8)
                        | (long) LONGS.get(array, i + 16) | (long) LONGS.get(array, i + 24)) & HIGH_BITS) == 0) {
                    i += 32;
                }
                while (i + 8 <= end && ((long) LONGS.get(array, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            s = NEXT[s + CLASS[array[i] & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i - offset;
            }
            i++;
        }
        state = s;
        return -1;
    }

    /** Whether the text may end here. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Starts over. */
    public void reset() {
        state = ACCEPT;
    }
}
