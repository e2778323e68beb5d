package ws.conformance.wire;

/**
 * The suite's own DEFLATE decoder (RFC 1951), used to check a peer's compressed messages rather than
 * to read them: it walks the blocks and Huffman codes of one message, counts the bytes it would
 * produce, and checks every back-reference: no distance larger than the window the peer agreed to
 * (RFC 7692 section 7.1.2), none reaching before the data the peer may refer to (the start of the
 * message when it agreed to no context takeover, else the start of the stream). The bytes themselves
 * are produced by {@link java.util.zip.Inflater}; this walker is independent of it.
 */
public final class DeflateWalker {
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
        67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
        769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
        11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    private static final Huffman FIXED_LITERALS;
    private static final Huffman FIXED_DISTANCES;

    static {
        int[] lengths = new int[288];
        for (int i = 0; i < 288; i++) {
            lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        }
        FIXED_LITERALS = new Huffman(lengths, 288);
        int[] d = new int[30];
        java.util.Arrays.fill(d, 5);
        FIXED_DISTANCES = new Huffman(d, 30);
    }

    /**
     * What one message's walk found.
     *
     * @param produced    the bytes the message decodes to
     * @param maxDistance the largest distance of any back-reference (0: none)
     * @param finalBlock  whether a block with BFINAL set ended the walk
     */
    public record Result(long produced, int maxDistance, boolean finalBlock) {
    }

    /** A stream that breaks RFC 1951, or a reference outside what the agreement allows. */
    public static final class DeflateException extends Exception {
        DeflateException(String message) {
            super(message);
        }
    }

    private final byte[] in;
    private final int end;
    private int pos;
    private int bitBuf;
    private int bitCount;

    private DeflateWalker(byte[] in, int end) {
        this.in = in;
        this.end = end;
    }

    /**
     * Walks one message's DEFLATE data (with the {@code 00 00 ff ff} the receiver appends).
     *
     * @param data       the data
     * @param length     how many bytes of {@code data} to walk
     * @param windowBits the window the peer agreed to (distances up to {@code 2^windowBits})
     * @param history    how many bytes before this message a distance may reach
     *                   (0 with no context takeover)
     */
    public static Result walk(byte[] data, int length, int windowBits, long history) throws DeflateException {
        return new DeflateWalker(data, length).run(1 << windowBits, windowBits, history);
    }

    private Result run(int window, int windowBits, long history) throws DeflateException {
        long produced = 0;
        int maxDistance = 0;
        while (pos < end || bitCount > 0 && pos <= end) {
            if (pos >= end && bitCount < 3) {
                break; // the padding bits after the last (byte-aligned) block
            }
            boolean last = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0 -> {
                    bitBuf = 0;
                    bitCount = 0;
                    if (end - pos < 4) {
                        throw new DeflateException("stored block header cut short");
                    }
                    int len = in[pos] & 0xFF | (in[pos + 1] & 0xFF) << 8;
                    int nlen = in[pos + 2] & 0xFF | (in[pos + 3] & 0xFF) << 8;
                    pos += 4;
                    if ((len ^ 0xFFFF) != nlen) {
                        throw new DeflateException("stored block LEN " + len + " does not match NLEN " + nlen);
                    }
                    if (end - pos < len) {
                        throw new DeflateException("stored block of " + len + " bytes cut short");
                    }
                    pos += len;
                    produced += len;
                }
                case 1, 2 -> {
                    Huffman literals;
                    Huffman distances;
                    if (type == 1) {
                        literals = FIXED_LITERALS;
                        distances = FIXED_DISTANCES;
                    } else {
                        Huffman[] tables = dynamicTables();
                        literals = tables[0];
                        distances = tables[1];
                    }
                    while (true) {
                        int symbol = decode(literals);
                        if (symbol < 256) {
                            produced++;
                        } else if (symbol == 256) {
                            break;
                        } else {
                            symbol -= 257;
                            if (symbol >= 29) {
                                throw new DeflateException("invalid length symbol " + (symbol + 257));
                            }
                            int length = LENGTH_BASE[symbol] + bits(LENGTH_EXTRA[symbol]);
                            int dsym = decode(distances);
                            if (dsym >= 30) {
                                throw new DeflateException("invalid distance symbol " + dsym);
                            }
                            int distance = DIST_BASE[dsym] + bits(DIST_EXTRA[dsym]);
                            if (distance > window) {
                                throw new DeflateException("distance " + distance + " > 2^" + windowBits + " = " + window
                                        + ", the window agreed (RFC 7692 section 7.1.2), at output byte " + produced);
                            }
                            if (distance > produced + history) {
                                throw new DeflateException("distance " + distance + " reaches before "
                                        + (history == 0 ? "the start of the message (no context takeover agreed)"
                                        : "the start of the stream") + ": only " + (produced + history)
                                        + " bytes precede it");
                            }
                            maxDistance = Math.max(maxDistance, distance);
                            produced += length;
                        }
                    }
                }
                default -> throw new DeflateException("reserved block type 3");
            }
            if (last) {
                return new Result(produced, maxDistance, true);
            }
        }
        return new Result(produced, maxDistance, false);
    }

    private Huffman[] dynamicTables() throws DeflateException {
        int hlit = bits(5) + 257;
        int hdist = bits(5) + 1;
        int hclen = bits(4) + 4;
        if (hlit > 286 || hdist > 30) {
            throw new DeflateException("dynamic block with " + hlit + " literal/length or " + hdist + " distance codes");
        }
        int[] codeLengths = new int[19];
        for (int i = 0; i < hclen; i++) {
            codeLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman lengthCode = new Huffman(codeLengths, 19);
        int[] lengths = new int[hlit + hdist];
        int i = 0;
        while (i < hlit + hdist) {
            int sym = decode(lengthCode);
            if (sym < 16) {
                lengths[i++] = sym;
                continue;
            }
            int repeat;
            int value = 0;
            if (sym == 16) {
                if (i == 0) {
                    throw new DeflateException("repeat of a previous code length with none before it");
                }
                value = lengths[i - 1];
                repeat = 3 + bits(2);
            } else if (sym == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (i + repeat > hlit + hdist) {
                throw new DeflateException("code lengths overrun the table");
            }
            while (repeat-- > 0) {
                lengths[i++] = value;
            }
        }
        if (lengths[256] == 0) {
            throw new DeflateException("dynamic block without an end-of-block code");
        }
        return new Huffman[] {new Huffman(java.util.Arrays.copyOfRange(lengths, 0, hlit), hlit),
            new Huffman(java.util.Arrays.copyOfRange(lengths, hlit, hlit + hdist), hdist)};
    }

    private int bits(int need) throws DeflateException {
        while (bitCount < need) {
            if (pos >= end) {
                throw new DeflateException("the data ends inside a block");
            }
            bitBuf |= (in[pos++] & 0xFF) << bitCount;
            bitCount += 8;
        }
        int v = bitBuf & ((1 << need) - 1);
        bitBuf >>>= need;
        bitCount -= need;
        return v;
    }

    /** Canonical Huffman decoding, one bit at a time (codes are stored most significant bit first). */
    private int decode(Huffman h) throws DeflateException {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len <= 15; len++) {
            code |= bits(1);
            int count = h.counts[len];
            if (code - first < count) {
                return h.symbols[index + code - first];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        throw new DeflateException("no Huffman code matches");
    }

    /** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
    private static final class Huffman {
        final int[] counts = new int[16];
        final int[] symbols;

        Huffman(int[] lengths, int n) {
            for (int i = 0; i < n; i++) {
                counts[lengths[i]]++;
            }
            counts[0] = 0;
            int[] offsets = new int[16];
            for (int len = 1; len < 16; len++) {
                offsets[len] = offsets[len - 1] + counts[len - 1];
            }
            symbols = new int[n];
            for (int i = 0; i < n; i++) {
                if (lengths[i] != 0) {
                    symbols[offsets[lengths[i]]++] = i;
                }
            }
        }
    }
}
