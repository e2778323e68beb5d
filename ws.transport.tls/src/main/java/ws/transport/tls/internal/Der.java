package ws.transport.tls.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The little of ASN.1 DER that reading private keys needs (ITU-T X.690 section 8 and 10): one
 * element at a time (tag, definite length, content), and a SEQUENCE, OCTET STRING or small INTEGER
 * built from parts. Single-byte tags only; lengths up to 2^31 - 1.
 */
public final class Der {
    /** UNIVERSAL 2. */
    public static final int INTEGER = 0x02;
    /** UNIVERSAL 4. */
    public static final int OCTET_STRING = 0x04;
    /** UNIVERSAL 5. */
    public static final int NULL = 0x05;
    /** UNIVERSAL 6. */
    public static final int OBJECT_IDENTIFIER = 0x06;
    /** UNIVERSAL 16, constructed. */
    public static final int SEQUENCE = 0x30;

    private Der() {
    }

    /** One element: its tag, its content, and the whole encoding (tag, length and content). */
    public record Element(int tag, byte[] content, byte[] encoded) {
    }

    /** Reads the elements of one content octet string in order. */
    public static final class Reader {
        private final byte[] bytes;
        private int position;

        /** A reader over {@code bytes}, from the start. */
        public Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        /** Whether another element follows. */
        public boolean hasNext() {
            return position < bytes.length;
        }

        /** The next element; its tag must be {@code expected}. */
        public Element next(int expected, String what) throws IOException {
            Element element = next(what);
            if (element.tag() != expected) {
                throw new IOException(what + ": expected DER tag 0x" + Integer.toHexString(expected) + ", got 0x"
                        + Integer.toHexString(element.tag()));
            }
            return element;
        }

        /** The next element, whatever its tag. */
        public Element next(String what) throws IOException {
            int start = position;
            int tag = read(what);
            if ((tag & 0x1f) == 0x1f) {
                throw new IOException(what + ": multi-byte DER tags are not used in keys");
            }
            int length = read(what);
            if (length >= 0x80) {
                int count = length & 0x7f;
                if (count == 0 || count > 4) {
                    throw new IOException(what + ": DER length of " + count + " bytes");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | read(what);
                }
                if (length < 0) {
                    throw new IOException(what + ": DER length beyond 2^31");
                }
            }
            if (length > bytes.length - position) {
                throw new IOException(what + ": DER element of " + length + " bytes, " + (bytes.length - position) + " left");
            }
            byte[] content = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return new Element(tag, content, Arrays.copyOfRange(bytes, start, position));
        }

        private int read(String what) throws IOException {
            if (position >= bytes.length) {
                throw new IOException(what + ": DER ends early");
            }
            return bytes[position++] & 0xff;
        }
    }

    /** An element with {@code tag} around {@code parts}, each already encoded. */
    public static byte[] element(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int count = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | count);
            for (int i = count - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** A non-negative INTEGER below 128. */
    public static byte[] smallInteger(int value) {
        if (value < 0 || value > 127) {
            throw new IllegalArgumentException("small integer " + value);
        }
        return new byte[] {INTEGER, 1, (byte) value};
    }
}
