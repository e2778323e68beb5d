package ws.protocol.driver;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;

/**
 * An opening handshake request kept as one byte array while its connection is open, and rebuilt on
 * demand ({@code WebSocket.request()} is rarely called, and connections are many): a parsed request
 * is a dozen strings, their arrays and a list, about 1 KB for a short request, against ~50-200 bytes
 * packed (common parts as one byte each, the key as its 16 bytes). The packing is exact (the rebuilt
 * request equals the original) or not used at all.
 */
final class PackedRequest {
    /** A part follows as modified UTF-8 ({@link java.io.DataOutputStream#writeUTF}). */
    private static final int LITERAL = 0;
    /** A {@code Sec-WebSocket-Key} value follows as the 16 bytes it is the base64 of. */
    private static final int KEY = 255;
    /**
     * Parts most opening requests have, each packed as one byte (its index + 1): methods, versions,
     * header names as clients write them, and their common values. Only exact matches.
     */
    private static final List<String> TOKENS = List.of(
            "GET", "HTTP/1.1", "/", "Host", "Upgrade", "upgrade", "websocket", "Connection", "keep-alive, Upgrade",
            "Sec-WebSocket-Key", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Extensions",
            "permessage-deflate; client_max_window_bits", "permessage-deflate", "Sec-WebSocket-Protocol",
            "Origin", "User-Agent", "Accept-Encoding", "gzip, deflate, br, zstd", "gzip, deflate, br", "gzip, deflate",
            "Accept-Language", "Cache-Control", "no-cache", "Pragma", "Cookie", "Accept", "*/*", "Authorization",
            "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "same-origin", "same-site", "cross-site",
            "X-Forwarded-For", "X-Forwarded-Proto", "X-Real-IP", "host", "upgrade", "connection",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
            "origin", "user-agent");
    private static final java.util.Map<String, Integer> CODES = codes();
    private static final String KEY_HEADER = "Sec-WebSocket-Key";

    private static java.util.Map<String, Integer> codes() {
        java.util.Map<String, Integer> codes = new java.util.HashMap<>();
        for (int i = 0; i < TOKENS.size(); i++) {
            codes.put(TOKENS.get(i), i + 1);
        }
        return java.util.Map.copyOf(codes);
    }

    private PackedRequest() {
    }

    /**
     * The packed form of {@code request}, or {@code null} when a part is too long for it (over 65,535
     * bytes). Exact by construction, so not checked by rebuilding: modified UTF-8 gives back every
     * string as it was, and every name and value came through {@link HttpHeaders.Builder#add}'s checks
     * once already (an {@link HttpHeaders} is made by its builder only), so they pass them again.
     * Written straight into one array (packed once per opened connection): no stream, no list.
     */
    static byte[] pack(HandshakeRequest request) {
        Packer out = new Packer();
        out.part(request.method());
        out.part(request.target());
        out.part(request.version());
        HttpHeaders headers = request.headers();
        if (headers.size() > 0xFFFF) {
            return null;
        }
        out.u16(headers.size());
        headers.forEach(out::field);
        return out.tooLong ? null : Arrays.copyOf(out.bytes, out.size);
    }

    /** The bytes being packed, in the format {@link #unpack} reads ({@link DataInputStream}'s). */
    private static final class Packer {
        byte[] bytes = new byte[128];
        int size;
        boolean tooLong;

        void field(String name, String value) {
            part(name);
            if (!(name.equalsIgnoreCase(KEY_HEADER) && key(value))) {
                part(value);
            }
        }

        void part(String value) {
            Integer code = CODES.get(value);
            if (code != null) {
                u8(code);
                return;
            }
            u8(LITERAL);
            utf(value);
        }

        /** A key that is the canonical base64 of 16 bytes (RFC 6455 section 4.1) packs as those bytes. */
        boolean key(String value) {
            if (value.length() != 24 || value.charAt(22) != '=' || value.charAt(23) != '=') {
                return false;
            }
            // 22 sextets: 128 bits, then 4 bits of padding, which must be zero for the key to be canonical
            long high = 0;
            long low = 0;
            for (int i = 0; i < 21; i++) {
                int sextet = sextet(value.charAt(i));
                if (sextet < 0) {
                    return false;
                }
                high = high << 6 | low >>> 58;
                low = low << 6 | sextet;
            }
            int last = sextet(value.charAt(21));
            if (last < 0 || (last & 0xF) != 0) {
                return false;
            }
            high = high << 2 | low >>> 62;
            low = low << 2 | last >>> 4;
            u8(KEY);
            for (int shift = 56; shift >= 0; shift -= 8) {
                u8((int) (high >>> shift));
            }
            for (int shift = 56; shift >= 0; shift -= 8) {
                u8((int) (low >>> shift));
            }
            return true;
        }

        private static int sextet(char c) {
            if (c >= 'A' && c <= 'Z') {
                return c - 'A';
            }
            if (c >= 'a' && c <= 'z') {
                return c - 'a' + 26;
            }
            if (c >= '0' && c <= '9') {
                return c - '0' + 52;
            }
            return c == '+' ? 62 : c == '/' ? 63 : -1;
        }

        /** As {@link java.io.DataOutputStream#writeUTF}: a two-byte length, then modified UTF-8. */
        void utf(String value) {
            int length = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                length += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
            }
            if (length > 0xFFFF) {
                tooLong = true;
                return;
            }
            u16(length);
            room(length);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= 1 && c <= 0x7F) {
                    bytes[size++] = (byte) c;
                } else if (c <= 0x7FF) {
                    bytes[size++] = (byte) (0xC0 | c >> 6);
                    bytes[size++] = (byte) (0x80 | c & 0x3F);
                } else {
                    bytes[size++] = (byte) (0xE0 | c >> 12);
                    bytes[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[size++] = (byte) (0x80 | c & 0x3F);
                }
            }
        }

        void u16(int value) {
            u8(value >>> 8);
            u8(value);
        }

        void u8(int value) {
            room(1);
            bytes[size++] = (byte) value;
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, 2 * bytes.length));
            }
        }
    }

    /** The request {@code packed} was made from. */
    static HandshakeRequest unpack(byte[] packed) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(packed))) {
            String method = part(in);
            String target = part(in);
            String version = part(in);
            int count = in.readUnsignedShort();
            HttpHeaders.Builder headers = HttpHeaders.builder();
            for (int i = 0; i < count; i++) {
                headers.add(part(in), part(in));
            }
            return new HandshakeRequest(method, target, version, headers.build());
        } catch (IOException e) {
            throw new UncheckedIOException("packed request is damaged", e);
        }
    }

    private static String part(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        if (tag == LITERAL) {
            return in.readUTF();
        }
        if (tag == KEY) {
            byte[] nonce = new byte[16];
            in.readFully(nonce);
            return Base64.getEncoder().encodeToString(nonce);
        }
        if (tag > TOKENS.size()) {
            throw new IOException("no token " + tag);
        }
        return TOKENS.get(tag - 1);
    }
}
