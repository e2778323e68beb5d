package ws.protocol.internal.deflate;

import java.io.ByteArrayOutputStream;

/**
 * A test-only raw DEFLATE decoder (RFC 1951), written independently of the encoder, that records the
 * longest back-reference distance it meets. It walks every block (stored, fixed, dynamic) to the end
 * of its input; a stream that ends in the middle of a block is an error, a stream that simply stops
 * after a non-final block is not (that is how permessage-deflate messages look once 00 00 ff ff is
 * appended).
 */
final class DeflateStreamChecker {
    private final byte[] in;
    private int pos;
    private int bitBuffer;
    private int bitCount;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private byte[] history = new byte[1024];
    private int historyLength;
    int maxDistance;
    int blocks;
    int storedBlocks;
    int fixedBlocks;
    int dynamicBlocks;

    private DeflateStreamChecker(byte[] in) {
        this.in = in;
    }

    /** Decodes the whole stream; throws IllegalStateException when it is malformed. */
    static DeflateStreamChecker decode(byte[] stream) {
        DeflateStreamChecker c = new DeflateStreamChecker(stream);
        c.run();
        return c;
    }

    byte[] output() {
        return out.toByteArray();
    }

    private void run() {
        while (pos < in.length) {
            int last = bits(1);
            int type = bits(2);
            blocks++;
            switch (type) {
                case 0 -> stored();
                case 1 -> {
                    fixedBlocks++;
                    byte[] lit = new byte[288];
                    for (int i = 0; i < 288; i++) {
                        lit[i] = (byte) (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
                    }
                    byte[] dist = new byte[30];
                    java.util.Arrays.fill(dist, (byte) 5);
                    codes(new Huffman(lit), new Huffman(dist));
                }
                case 2 -> dynamic();
                default -> throw new IllegalStateException("invalid block type 3");
            }
            if (last == 1) {
                return;
            }
        }
    }

    private int bits(int n) {
        while (bitCount < n) {
            if (pos >= in.length) {
                throw new IllegalStateException("stream ends inside a block");
            }
            bitBuffer |= (in[pos++] & 0xff) << bitCount;
            bitCount += 8;
        }
        int v = bitBuffer & ((1 << n) - 1);
        bitBuffer >>>= n;
        bitCount -= n;
        return v;
    }

    private void stored() {
        storedBlocks++;
        bitBuffer = 0;
        bitCount = 0;
        if (pos + 4 > in.length) {
            throw new IllegalStateException("stored block header truncated");
        }
        int len = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8;
        int nlen = (in[pos + 2] & 0xff) | (in[pos + 3] & 0xff) << 8;
        pos += 4;
        if (len != (~nlen & 0xffff)) {
            throw new IllegalStateException("stored block LEN " + len + " does not match NLEN " + nlen);
        }
        if (pos + len > in.length) {
            throw new IllegalStateException("stored block truncated");
        }
        for (int i = 0; i < len; i++) {
            put(in[pos++]);
        }
    }

    private static final int[] ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private void dynamic() {
        dynamicBlocks++;
        int hlit = bits(5) + 257;
        int hdist = bits(5) + 1;
        int hclen = bits(4) + 4;
        if (hlit > 286 || hdist > 30) {
            throw new IllegalStateException("HLIT " + hlit + " or HDIST " + hdist + " too large");
        }
        byte[] cl = new byte[19];
        for (int i = 0; i < hclen; i++) {
            cl[ORDER[i]] = (byte) bits(3);
        }
        Huffman clCode = new Huffman(cl);
        byte[] lengths = new byte[hlit + hdist];
        int i = 0;
        while (i < lengths.length) {
            int sym = clCode.decode(this);
            if (sym < 16) {
                lengths[i++] = (byte) sym;
            } else {
                int repeat;
                byte value = 0;
                if (sym == 16) {
                    if (i == 0) {
                        throw new IllegalStateException("repeat with no previous length");
                    }
                    value = lengths[i - 1];
                    repeat = 3 + bits(2);
                } else if (sym == 17) {
                    repeat = 3 + bits(3);
                } else {
                    repeat = 11 + bits(7);
                }
                if (i + repeat > lengths.length) {
                    throw new IllegalStateException("code length repeat overruns");
                }
                while (repeat-- > 0) {
                    lengths[i++] = value;
                }
            }
        }
        if (lengths[256] == 0) {
            throw new IllegalStateException("no end-of-block code");
        }
        byte[] lit = java.util.Arrays.copyOfRange(lengths, 0, hlit);
        byte[] dist = java.util.Arrays.copyOfRange(lengths, hlit, hlit + hdist);
        codes(new Huffman(lit), new Huffman(dist));
    }

    private void codes(Huffman lit, Huffman dist) {
        while (true) {
            int sym = lit.decode(this);
            if (sym < 256) {
                put((byte) sym);
            } else if (sym == 256) {
                return;
            } else {
                int lc = sym - 257;
                if (lc >= 29) {
                    throw new IllegalStateException("invalid length code " + sym);
                }
                int length = WindowedDeflater.LENGTH_BASE[lc] + bits(WindowedDeflater.LENGTH_EXTRA[lc]);
                int dc = dist.decode(this);
                if (dc >= 30) {
                    throw new IllegalStateException("invalid distance code " + dc);
                }
                int distance = WindowedDeflater.DIST_BASE[dc] + bits(WindowedDeflater.DIST_EXTRA[dc]);
                if (distance > historyLength) {
                    throw new IllegalStateException("distance " + distance + " reaches before the start ("
                            + historyLength + " bytes)");
                }
                maxDistance = Math.max(maxDistance, distance);
                for (int k = 0; k < length; k++) {
                    put(history[historyLength - distance]);
                }
            }
        }
    }

    private void put(byte b) {
        out.write(b);
        if (historyLength == history.length) {
            history = java.util.Arrays.copyOf(history, history.length * 2);
        }
        history[historyLength++] = b;
    }

    /** Canonical Huffman decoding table: counts per length and symbols in code order. */
    private static final class Huffman {
        final int[] count = new int[16];
        final int[] symbol;

        Huffman(byte[] lengths) {
            symbol = new int[lengths.length];
            for (byte l : lengths) {
                count[l]++;
            }
            count[0] = 0;
            int left = 1;
            for (int len = 1; len < 16; len++) {
                left <<= 1;
                left -= count[len];
                if (left < 0) {
                    throw new IllegalStateException("over-subscribed code");
                }
            }
            int[] offs = new int[16];
            for (int len = 1; len < 15; len++) {
                offs[len + 1] = offs[len] + count[len];
            }
            for (int s = 0; s < lengths.length; s++) {
                if (lengths[s] != 0) {
                    symbol[offs[lengths[s]]++] = s;
                }
            }
        }

        int decode(DeflateStreamChecker c) {
            int code = 0;
            int first = 0;
            int index = 0;
            for (int len = 1; len < 16; len++) {
                code |= c.bits(1);
                int n = count[len];
                if (code - n < first) {
                    return symbol[index + (code - first)];
                }
                index += n;
                first += n;
                first <<= 1;
                code <<= 1;
            }
            throw new IllegalStateException("invalid Huffman code");
        }
    }
}
