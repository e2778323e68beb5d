package ws.protocol.driver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
    /** A part follows as modified UTF-8 ({@link DataOutputStream#writeUTF}). */
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
     */
    static byte[] pack(HandshakeRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            part(out, request.method());
            part(out, request.target());
            part(out, request.version());
            List<String[]> fields = new ArrayList<>();
            request.headers().forEach((name, value) -> fields.add(new String[] {name, value}));
            if (fields.size() > 0xFFFF) {
                return null;
            }
            out.writeShort(fields.size());
            for (String[] field : fields) {
                part(out, field[0]);
                if (field[0].equalsIgnoreCase(KEY_HEADER) && key(out, field[1])) {
                    continue;
                }
                part(out, field[1]);
            }
        } catch (IOException tooLong) {
            return null; // a part over 65,535 bytes: keep the request as it is
        }
        return bytes.toByteArray();
    }

    private static void part(DataOutputStream out, String value) throws IOException {
        Integer code = CODES.get(value);
        if (code != null) {
            out.writeByte(code);
        } else {
            out.writeByte(LITERAL);
            out.writeUTF(value);
        }
    }

    /** A key that is the canonical base64 of 16 bytes (RFC 6455 section 4.1) packs as those bytes. */
    private static boolean key(DataOutputStream out, String value) throws IOException {
        if (value.length() != 24) {
            return false;
        }
        byte[] nonce;
        try {
            nonce = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        if (nonce.length != 16 || !Base64.getEncoder().encodeToString(nonce).equals(value)) {
            return false;
        }
        out.writeByte(KEY);
        out.write(nonce);
        return true;
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
