package ws.protocol.internal.deflate;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A raw DEFLATE (RFC 1951) encoder, in pure Java, whose back-references never reach further than
 * {@code 2^windowBits - 1} bytes, within a message and across messages. It exists because
 * {@link java.util.zip.Deflater} always compresses with a 32 KiB window, so it cannot honour a peer
 * that negotiated {@code server_max_window_bits} or {@code client_max_window_bits} below 15
 * (RFC 7692 section 7.1.2); it also honours 8 bits, which zlib's own deflate silently raises to 9.
 *
 * <p>How it works: LZ77 over a sliding buffer of a few windows, with hash chains (a head table and
 * a ring of {@code 2^windowBits} links, so no chain can name a position outside the window), greedy
 * matching at levels 1-3 and zlib-style lazy matching at 4-9; the symbols of a block are then written as a dynamic Huffman, fixed
 * Huffman or stored block, whichever is smallest. Each {@link #deflate} call ends with the
 * equivalent of zlib's {@code Z_SYNC_FLUSH}: an empty stored block that byte-aligns the output.
 * With {@code fin} the final four bytes of that block, {@code 00 00 ff ff}, are left out, as
 * permessage-deflate sends them (RFC 7692 section 7.2.1).
 *
 * <p>Memory is small and all on the heap: for {@code w = 2^windowBits}, a byte buffer of
 * {@code max(2w, w + 4096)} bytes, a head table and a link ring of chars (positions fit in 16 bits),
 * a symbol buffer, and the output of the current call. Not thread-safe.
 */
public final class WindowedDeflater {
    /** The smallest window this encoder honours: 256 bytes. */
    public static final int MIN_WINDOW_BITS = 8;
    /** The largest window: 16 KiB (positions must fit in a char; 15 bits is {@code Deflater}'s job). */
    public static final int MAX_WINDOW_BITS = 14;

    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    private static final int MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
    private static final int TOO_FAR = 4096;
    private static final int EOB = 256;
    private static final int SCRATCH_KEEP = 8 * 1024;

    // Level table: good length, max lazy (levels 1-3: the longest match whose inner strings are still
    // inserted), nice length, max chain. The shape of zlib's table; levels 1-3 insert more than zlib's
    // (32 rather than 4-6), which costs little speed and keeps the ratio up in small windows.
    private static final int[][] LEVELS = {
            {0, 0, 0, 0},          // 0: stored blocks only
            {4, 32, 8, 4},
            {4, 32, 16, 8},
            {4, 32, 32, 32},
            {4, 4, 16, 16},
            {8, 16, 32, 32},
            {8, 16, 128, 128},
            {8, 32, 128, 256},
            {32, 128, 258, 1024},
            {32, 258, 258, 4096},
    };

    // Length codes 257..285: base length and extra bits; distance codes 0..29.
    static final int[] LENGTH_BASE = new int[29];
    static final int[] LENGTH_EXTRA = new int[29];
    static final int[] DIST_BASE = new int[30];
    static final int[] DIST_EXTRA = new int[30];
    private static final byte[] LENGTH_CODE = new byte[MAX_MATCH + 1];
    /** The order in which code length code lengths are sent (RFC 1951 section 3.2.7). */
    static final int[] CL_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    private static final byte[] FIXED_LIT_LENGTHS = new byte[288];
    private static final byte[] FIXED_DIST_LENGTHS = new byte[30];
    private static final int[] FIXED_LIT_CODES = new int[288];
    private static final int[] FIXED_DIST_CODES = new int[30];

    static {
        int length = 3;
        for (int code = 0; code < 28; code++) {
            LENGTH_EXTRA[code] = code < 8 ? 0 : code / 4 - 1;
            LENGTH_BASE[code] = length;
            for (int i = 0; i < (1 << LENGTH_EXTRA[code]); i++) {
                LENGTH_CODE[length++] = (byte) code;
            }
        }
        LENGTH_BASE[28] = 258;
        LENGTH_EXTRA[28] = 0;
        LENGTH_CODE[258] = 28;
        int dist = 1;
        for (int code = 0; code < 30; code++) {
            DIST_EXTRA[code] = code < 4 ? 0 : code / 2 - 1;
            DIST_BASE[code] = dist;
            dist += 1 << DIST_EXTRA[code];
        }
        for (int i = 0; i < 288; i++) {
            FIXED_LIT_LENGTHS[i] = (byte) (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
        }
        Arrays.fill(FIXED_DIST_LENGTHS, (byte) 5);
        canonicalCodes(FIXED_LIT_LENGTHS, 288, FIXED_LIT_CODES);
        canonicalCodes(FIXED_DIST_LENGTHS, 30, FIXED_DIST_CODES);
    }

    private final int windowBits;
    private final int wSize;
    private final int wMask;
    private final byte[] window;
    private final char[] head;
    private final char[] prev;
    private final int hashShift;
    private final int goodLength;
    private final int maxLazy;
    private final int niceLength;
    private final int maxChain;
    private final boolean storedOnly;
    private final boolean greedy;

    private int strstart;
    private int lookahead;
    private int blockStart;
    private int emittedEnd;
    private int matchLength = MIN_MATCH - 1;
    private int matchStart;
    private int prevLength = MIN_MATCH - 1;
    private int prevMatch;
    private boolean matchAvailable;

    private final int[] symbols;
    private int symbolCount;
    private final int[] litFreq = new int[286];
    private final int[] distFreq = new int[30];

    // Huffman work areas, reused.
    private final byte[] litLengths = new byte[286];
    private final byte[] distLengths = new byte[30];
    private final int[] litCodes = new int[286];
    private final int[] distCodes = new int[30];
    private final int[] clFreq = new int[19];
    private final byte[] clLengths = new byte[19];
    private final int[] clCodes = new int[19];
    private final byte[] allLengths = new byte[286 + 30];
    private final int[] clSymbols = new int[286 + 30];
    private final int[] workFreq = new int[286];
    private final long[] workSort = new long[286];
    private final int[] workWeight = new int[2 * 286];
    private final int[] workParent = new int[2 * 286];

    private byte[] out = new byte[512];
    private int outPos;
    private long bitBuffer;
    private int bitCount;

    /**
     * @param windowBits {@value #MIN_WINDOW_BITS} to {@value #MAX_WINDOW_BITS}: no distance will
     *                   exceed {@code 2^windowBits - 1}
     * @param level      0 (stored blocks only) to 9 (smallest output), as {@link java.util.zip.Deflater}
     */
    public WindowedDeflater(int windowBits, int level) {
        if (windowBits < MIN_WINDOW_BITS || windowBits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("window bits " + windowBits + " not in "
                    + MIN_WINDOW_BITS + ".." + MAX_WINDOW_BITS);
        }
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level " + level + " not in 0..9");
        }
        this.windowBits = windowBits;
        this.wSize = 1 << windowBits;
        this.wMask = wSize - 1;
        int windows = Math.max(2, (wSize + 4096 + wSize - 1) / wSize);
        this.window = new byte[windows * wSize];
        int hashBits = Math.max(9, windowBits);
        this.hashShift = 32 - hashBits;
        this.head = new char[1 << hashBits];
        this.prev = new char[wSize];
        int[] config = LEVELS[level];
        this.goodLength = config[0];
        this.maxLazy = config[1];
        this.niceLength = config[2];
        this.maxChain = config[3];
        this.storedOnly = level == 0;
        this.greedy = level >= 1 && level <= 3;
        this.symbols = new int[Math.max(1024, Math.min(4096, wSize))];
    }

    /** The window this encoder keeps within, as a power of two. */
    public int windowBits() {
        return windowBits;
    }

    /** The bytes of heap this encoder holds between calls (its tables and buffers). */
    public long retainedBytes() {
        return window.length + 2L * head.length + 2L * prev.length + 4L * symbols.length + out.length
                + 4L * (litFreq.length + distFreq.length + litCodes.length + distCodes.length + workFreq.length
                + workWeight.length + workParent.length + clFreq.length + clCodes.length + clSymbols.length)
                + 8L * workSort.length + litLengths.length + distLengths.length + allLengths.length + clLengths.length;
    }

    /**
     * Compresses all of {@code input} (position to limit; the buffer is not modified) and ends with a
     * sync flush, so that the output is byte-aligned and decodable up to here.
     *
     * @param fin whether this ends a message: then the trailing {@code 00 00 ff ff} is left out
     * @return the compressed bytes
     */
    public byte[] deflate(ByteBuffer input, boolean fin) {
        ByteBuffer in = input.duplicate();
        outPos = 0;
        while (in.hasRemaining()) {
            fill(in);
            compress(false);
        }
        compress(true);
        flushBlock();
        // Z_SYNC_FLUSH: an empty stored block, not final.
        writeBits(0, 3);
        alignToByte();
        if (!fin) {
            ensure(4);
            out[outPos++] = 0;
            out[outPos++] = 0;
            out[outPos++] = (byte) 0xff;
            out[outPos++] = (byte) 0xff;
        }
        byte[] result = Arrays.copyOf(out, outPos);
        if (out.length > SCRATCH_KEEP) {
            out = new byte[512];
        }
        return result;
    }

    /** Forgets all history: the next message is compressed as if it were the first. */
    public void reset() {
        Arrays.fill(head, (char) 0);
        strstart = 0;
        lookahead = 0;
        blockStart = 0;
        emittedEnd = 0;
        matchLength = MIN_MATCH - 1;
        prevLength = MIN_MATCH - 1;
        matchStart = 0;
        prevMatch = 0;
        matchAvailable = false;
        symbolCount = 0;
        Arrays.fill(litFreq, 0);
        Arrays.fill(distFreq, 0);
    }

    // ---- LZ77 -----------------------------------------------------------------------------------

    private void fill(ByteBuffer in) {
        int end = strstart + lookahead;
        if (end == window.length) {
            slide();
            end = strstart + lookahead;
        }
        int n = Math.min(in.remaining(), window.length - end);
        in.get(window, end, n);
        lookahead += n;
    }

    /**
     * Moves the data down by a multiple of the window size, keeping at least the window's worth of
     * history before strstart (or all of it that lies above the first window), and rebases the hash
     * positions. Positions that fall below zero are forgotten.
     */
    private void slide() {
        flushBlock();
        int shift = Math.max(wSize, (strstart / wSize - 1) * wSize);
        System.arraycopy(window, shift, window, 0, strstart + lookahead - shift);
        strstart -= shift;
        blockStart -= shift;
        emittedEnd -= shift;
        matchStart -= shift;
        prevMatch -= shift;
        rebase(head, shift);
        rebase(prev, shift);
    }

    private static void rebase(char[] table, int shift) {
        for (int i = 0; i < table.length; i++) {
            int v = table[i] - shift;
            table[i] = (char) (v > 0 ? v : 0);
        }
    }

    private int hash(int pos) {
        int key = ((window[pos] & 0xff) << 16) | ((window[pos + 1] & 0xff) << 8) | (window[pos + 2] & 0xff);
        return (key * 0x9E3779B1) >>> hashShift;
    }

    /** Inserts the string at pos into its chain; returns the previous chain head or -1. */
    private int insert(int pos) {
        int h = hash(pos);
        int previous = head[h] - 1;
        prev[pos & wMask] = (char) (previous + 1);
        head[h] = (char) (pos + 1);
        return previous;
    }

    private int next(int cur) {
        int p = prev[cur & wMask] - 1;
        return p >= 0 && p < cur ? p : Integer.MIN_VALUE;
    }

    private void compress(boolean flushing) {
        if (greedy) {
            compressGreedy(flushing);
        } else {
            compressLazy(flushing);
        }
    }

    /**
     * Levels 1-3: take the longest match at each position (no lazy evaluation); insert the strings
     * inside a match only when it is at most maxLazy long, as zlib's fastest levels do.
     */
    private void compressGreedy(boolean flushing) {
        while (true) {
            if (lookahead < MIN_LOOKAHEAD && !flushing) {
                return;
            }
            if (lookahead == 0) {
                break;
            }
            int hashHead = -1;
            if (lookahead >= MIN_MATCH) {
                hashHead = insert(strstart);
            }
            prevLength = MIN_MATCH - 1;
            int length = MIN_MATCH - 1;
            if (hashHead >= 0 && strstart - hashHead < wSize) {
                length = longestMatch(hashHead);
            }
            if (length >= MIN_MATCH) {
                emitMatch(strstart - matchStart, length);
                lookahead -= length;
                if (length <= maxLazy && lookahead >= MIN_MATCH) {
                    int remaining = length - 1;
                    do {
                        insert(++strstart);
                    } while (--remaining != 0);
                    strstart++;
                } else {
                    strstart += length;
                }
            } else {
                emitLiteral(window[strstart]);
                strstart++;
                lookahead--;
            }
        }
        matchLength = MIN_MATCH - 1;
        prevLength = MIN_MATCH - 1;
    }

    /** Levels 4-9 (and 0, which only emits literals): zlib-style lazy matching. */
    private void compressLazy(boolean flushing) {
        while (true) {
            if (lookahead < MIN_LOOKAHEAD && !flushing) {
                return;
            }
            if (lookahead == 0) {
                break;
            }
            int hashHead = -1;
            if (lookahead >= MIN_MATCH) {
                hashHead = insert(strstart);
            }
            prevLength = matchLength;
            prevMatch = matchStart;
            matchLength = MIN_MATCH - 1;
            if (!storedOnly && hashHead >= 0 && prevLength < maxLazy && strstart - hashHead < wSize) {
                matchLength = longestMatch(hashHead);
                if (matchLength == MIN_MATCH && strstart - matchStart > TOO_FAR) {
                    matchLength = MIN_MATCH - 1;
                }
            }
            if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
                int maxInsert = strstart + lookahead - MIN_MATCH;
                emitMatch(strstart - 1 - prevMatch, prevLength);
                lookahead -= prevLength - 1;
                int remaining = prevLength - 2;
                do {
                    if (++strstart <= maxInsert) {
                        insert(strstart);
                    }
                } while (--remaining != 0);
                matchAvailable = false;
                matchLength = MIN_MATCH - 1;
                strstart++;
            } else if (matchAvailable) {
                emitLiteral(window[strstart - 1]);
                strstart++;
                lookahead--;
            } else {
                matchAvailable = true;
                strstart++;
                lookahead--;
            }
        }
        if (matchAvailable) {
            emitLiteral(window[strstart - 1]);
            matchAvailable = false;
        }
        matchLength = MIN_MATCH - 1;
        prevLength = MIN_MATCH - 1;
    }

    private int longestMatch(int cur) {
        int chain = maxChain;
        int best = prevLength;
        int maxLen = Math.min(MAX_MATCH, lookahead);
        if (best >= maxLen) {
            return best;
        }
        if (prevLength >= goodLength) {
            chain >>= 2;
        }
        int nice = Math.min(niceLength, maxLen);
        int scan = strstart;
        int limit = strstart - wSize;
        byte[] w = window;
        do {
            if (w[cur + best] != w[scan + best] || w[cur + best - 1] != w[scan + best - 1]
                    || w[cur] != w[scan] || w[cur + 1] != w[scan + 1]) {
                continue;
            }
            int len = 2;
            while (len < maxLen && w[cur + len] == w[scan + len]) {
                len++;
            }
            if (len > best) {
                matchStart = cur;
                best = len;
                if (len >= nice) {
                    break;
                }
            }
        } while ((cur = next(cur)) > limit && --chain > 0);
        return best;
    }

    private void emitLiteral(byte b) {
        int lit = b & 0xff;
        symbols[symbolCount++] = lit;
        litFreq[lit]++;
        emittedEnd++;
        if (symbolCount == symbols.length) {
            flushBlock();
        }
    }

    private void emitMatch(int distance, int length) {
        assert distance >= 1 && distance < wSize : "distance " + distance;
        symbols[symbolCount++] = (distance << 16) | length;
        litFreq[257 + LENGTH_CODE[length]]++;
        distFreq[distCode(distance)]++;
        emittedEnd += length;
        if (symbolCount == symbols.length) {
            flushBlock();
        }
    }

    static int distCode(int distance) {
        int v = distance - 1;
        if (v < 4) {
            return v;
        }
        int log = 31 - Integer.numberOfLeadingZeros(v);
        return 2 * log + ((v >>> (log - 1)) & 1);
    }

    // ---- Blocks ---------------------------------------------------------------------------------

    private void flushBlock() {
        int rawLength = emittedEnd - blockStart;
        if (symbolCount == 0) {
            blockStart = emittedEnd;
            return;
        }
        litFreq[EOB] = 1;
        long extraBits = 0;
        for (int i = 0; i < 29; i++) {
            extraBits += (long) litFreq[257 + i] * LENGTH_EXTRA[i];
        }
        for (int i = 0; i < 30; i++) {
            extraBits += (long) distFreq[i] * DIST_EXTRA[i];
        }
        long storedBits = 3 + ((8 - ((bitCount + 3) & 7)) & 7) + 32 + 8L * rawLength;
        if (storedOnly) {
            writeStored(rawLength);
        } else {
            long fixedBits = 3 + extraBits + dataBits(FIXED_LIT_LENGTHS, FIXED_DIST_LENGTHS);
            buildLengths(litFreq, 286, 15, litLengths);
            buildLengths(distFreq, 30, 15, distLengths);
            int hlit = 286;
            while (hlit > 257 && litLengths[hlit - 1] == 0) {
                hlit--;
            }
            int hdist = 30;
            while (hdist > 1 && distLengths[hdist - 1] == 0) {
                hdist--;
            }
            int clCount = runLengths(hlit, hdist);
            buildLengths(clFreq, 19, 7, clLengths);
            int hclen = 19;
            while (hclen > 4 && clLengths[CL_ORDER[hclen - 1]] == 0) {
                hclen--;
            }
            long headerBits = 5 + 5 + 4 + 3L * hclen;
            for (int i = 0; i < 19; i++) {
                headerBits += (long) clFreq[i] * clLengths[i];
            }
            headerBits += 2L * clFreq[16] + 3L * clFreq[17] + 7L * clFreq[18];
            long dynamicBits = 3 + headerBits + extraBits + dataBits(litLengths, distLengths);
            if (storedBits <= fixedBits && storedBits <= dynamicBits) {
                writeStored(rawLength);
            } else if (fixedBits <= dynamicBits) {
                writeBits(0b010, 3);
                writeSymbols(FIXED_LIT_LENGTHS, FIXED_LIT_CODES, FIXED_DIST_LENGTHS, FIXED_DIST_CODES);
            } else {
                canonicalCodes(litLengths, 286, litCodes);
                canonicalCodes(distLengths, 30, distCodes);
                canonicalCodes(clLengths, 19, clCodes);
                writeBits(0b100, 3);
                writeBits(hlit - 257, 5);
                writeBits(hdist - 1, 5);
                writeBits(hclen - 4, 4);
                for (int i = 0; i < hclen; i++) {
                    writeBits(clLengths[CL_ORDER[i]], 3);
                }
                for (int i = 0; i < clCount; i++) {
                    int sym = clSymbols[i] & 0xff;
                    writeBits(clCodes[sym], clLengths[sym]);
                    int extra = clSymbols[i] >>> 8;
                    if (sym == 16) {
                        writeBits(extra, 2);
                    } else if (sym == 17) {
                        writeBits(extra, 3);
                    } else if (sym == 18) {
                        writeBits(extra, 7);
                    }
                }
                writeSymbols(litLengths, litCodes, distLengths, distCodes);
            }
        }
        blockStart = emittedEnd;
        symbolCount = 0;
        Arrays.fill(litFreq, 0);
        Arrays.fill(distFreq, 0);
    }

    private long dataBits(byte[] lit, byte[] dist) {
        long bits = 0;
        for (int i = 0; i < 286; i++) {
            bits += (long) litFreq[i] * lit[i];
        }
        for (int i = 0; i < 30; i++) {
            bits += (long) distFreq[i] * dist[i];
        }
        return bits;
    }

    private void writeStored(int rawLength) {
        int start = blockStart;
        do {
            int n = Math.min(rawLength, 65535);
            writeBits(0, 3);
            alignToByte();
            ensure(4 + n);
            out[outPos++] = (byte) n;
            out[outPos++] = (byte) (n >>> 8);
            out[outPos++] = (byte) ~n;
            out[outPos++] = (byte) (~n >>> 8);
            System.arraycopy(window, start, out, outPos, n);
            outPos += n;
            start += n;
            rawLength -= n;
        } while (rawLength > 0);
    }

    private void writeSymbols(byte[] litLen, int[] litCode, byte[] distLen, int[] distCode) {
        for (int i = 0; i < symbolCount; i++) {
            int sym = symbols[i];
            int distance = sym >>> 16;
            if (distance == 0) {
                writeBits(litCode[sym], litLen[sym]);
            } else {
                int length = sym & 0xffff;
                int lc = LENGTH_CODE[length];
                writeBits(litCode[257 + lc], litLen[257 + lc]);
                if (LENGTH_EXTRA[lc] > 0) {
                    writeBits(length - LENGTH_BASE[lc], LENGTH_EXTRA[lc]);
                }
                int dc = distCode(distance);
                writeBits(distCode[dc], distLen[dc]);
                if (DIST_EXTRA[dc] > 0) {
                    writeBits(distance - DIST_BASE[dc], DIST_EXTRA[dc]);
                }
            }
        }
        writeBits(litCode[EOB], litLen[EOB]);
    }

    /**
     * Run-length encodes the literal/length and distance code lengths as one sequence (RFC 1951
     * section 3.2.7) into clSymbols (symbol | extra {@code <<} 8) and counts clFreq; returns the count.
     */
    private int runLengths(int hlit, int hdist) {
        System.arraycopy(litLengths, 0, allLengths, 0, hlit);
        System.arraycopy(distLengths, 0, allLengths, hlit, hdist);
        int n = hlit + hdist;
        Arrays.fill(clFreq, 0);
        int count = 0;
        int i = 0;
        while (i < n) {
            int value = allLengths[i];
            int run = 1;
            while (i + run < n && allLengths[i + run] == value) {
                run++;
            }
            i += run;
            if (value == 0) {
                while (run >= 11) {
                    int r = Math.min(run, 138);
                    clSymbols[count++] = 18 | ((r - 11) << 8);
                    clFreq[18]++;
                    run -= r;
                }
                if (run >= 3) {
                    clSymbols[count++] = 17 | ((run - 3) << 8);
                    clFreq[17]++;
                    run = 0;
                }
            } else {
                clSymbols[count++] = value;
                clFreq[value]++;
                run--;
                while (run >= 3) {
                    int r = Math.min(run, 6);
                    clSymbols[count++] = 16 | ((r - 3) << 8);
                    clFreq[16]++;
                    run -= r;
                }
            }
            while (run > 0) {
                clSymbols[count++] = value;
                clFreq[value]++;
                run--;
            }
        }
        return count;
    }

    /**
     * Huffman code lengths for freq[0..n), none longer than maxBits. Symbols of frequency 0 get no
     * code; when fewer than two symbols are used, two get a code (a complete code, which every
     * inflater accepts). Over-long codes are avoided by halving the frequencies and building again.
     */
    void buildLengths(int[] freq, int n, int maxBits, byte[] lengths) {
        int[] f = workFreq;
        System.arraycopy(freq, 0, f, 0, n);
        int used = 0;
        for (int i = 0; i < n; i++) {
            if (f[i] != 0) {
                used++;
            }
        }
        for (int i = 0; used < 2; i++) {
            if (f[i] == 0) {
                f[i] = 1;
                used++;
            }
        }
        while (!huffman(f, n, maxBits, lengths)) {
            for (int i = 0; i < n; i++) {
                if (f[i] != 0) {
                    f[i] = (f[i] >>> 1) | 1;
                }
            }
        }
    }

    /** One Huffman build (two-queue method on sorted leaves); false if a code exceeds maxBits. */
    private boolean huffman(int[] f, int n, int maxBits, byte[] lengths) {
        long[] sorted = workSort;
        int m = 0;
        for (int i = 0; i < n; i++) {
            lengths[i] = 0;
            if (f[i] != 0) {
                sorted[m++] = ((long) f[i] << 16) | i;
            }
        }
        Arrays.sort(sorted, 0, m);
        int[] weight = workWeight;
        int[] parent = workParent;
        for (int i = 0; i < m; i++) {
            weight[i] = (int) (sorted[i] >>> 16);
        }
        int leaf = 0;
        int inner = m;
        for (int node = m; node < 2 * m - 1; node++) {
            int a;
            if (leaf < m && (inner >= node || weight[leaf] <= weight[inner])) {
                a = leaf++;
            } else {
                a = inner++;
            }
            int b;
            if (leaf < m && (inner >= node || weight[leaf] <= weight[inner])) {
                b = leaf++;
            } else {
                b = inner++;
            }
            weight[node] = weight[a] + weight[b];
            parent[a] = node;
            parent[b] = node;
        }
        // Depths: the root (2m-2) has depth 0; reuse weight[] for inner depths.
        int root = 2 * m - 2;
        weight[root] = 0;
        for (int node = root - 1; node >= m; node--) {
            weight[node] = weight[parent[node]] + 1;
        }
        boolean ok = true;
        for (int i = 0; i < m; i++) {
            int depth = weight[parent[i]] + 1;
            if (depth > maxBits) {
                ok = false;
            }
            lengths[(int) (sorted[i] & 0xffff)] = (byte) depth;
        }
        return ok;
    }

    /** Canonical Huffman codes from lengths (RFC 1951 section 3.2.2), bit-reversed for LSB-first output. */
    static void canonicalCodes(byte[] lengths, int n, int[] codes) {
        int[] count = new int[16];
        for (int i = 0; i < n; i++) {
            count[lengths[i]]++;
        }
        count[0] = 0;
        int[] nextCode = new int[16];
        int code = 0;
        for (int bits = 1; bits < 16; bits++) {
            code = (code + count[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        for (int i = 0; i < n; i++) {
            int len = lengths[i];
            if (len != 0) {
                codes[i] = Integer.reverse(nextCode[len]++) >>> (32 - len);
            }
        }
    }

    // ---- Bits -----------------------------------------------------------------------------------

    private void writeBits(int value, int n) {
        bitBuffer |= ((long) value) << bitCount;
        bitCount += n;
        if (bitCount >= 32) {
            ensure(4);
            int v = (int) bitBuffer;
            out[outPos++] = (byte) v;
            out[outPos++] = (byte) (v >>> 8);
            out[outPos++] = (byte) (v >>> 16);
            out[outPos++] = (byte) (v >>> 24);
            bitBuffer >>>= 32;
            bitCount -= 32;
        }
    }

    private void alignToByte() {
        ensure(8);
        while (bitCount > 0) {
            out[outPos++] = (byte) bitBuffer;
            bitBuffer >>>= 8;
            bitCount -= 8;
        }
        bitBuffer = 0;
        bitCount = 0;
    }

    private void ensure(int n) {
        if (outPos + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outPos + n));
        }
    }
}
