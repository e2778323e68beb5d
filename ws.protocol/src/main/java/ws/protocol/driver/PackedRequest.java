package ws.protocol.driver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;

/**
 * An opening handshake request kept as one byte array while its connection is open, and rebuilt on
 * demand ({@code WebSocket.request()} is rarely called, and connections are many): a parsed request
 * is a dozen strings, their arrays and a list, about 1 KB for a short request, against ~200 bytes
 * packed. The packing is exact (the rebuilt request equals the original) or not used at all.
 */
final class PackedRequest {
    private PackedRequest() {
    }

    /**
     * The packed form of {@code request}, or {@code null} when a part is too long for it (over 65,535
     * bytes). Exact by construction, so not checked by rebuilding: modified UTF-8 gives back every
     * string as it was, and every name and value came through {@link HttpHeaders.Builder#add}'s checks
     * once already (an {@link HttpHeaders} is made by its builder only), so they pass them again.
     */
    static byte[] pack(HandshakeRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(request.method());
            out.writeUTF(request.target());
            out.writeUTF(request.version());
            out.writeInt(request.headers().size());
            request.headers().forEach((name, value) -> {
                try {
                    out.writeUTF(name);
                    out.writeUTF(value);
                } catch (IOException tooLong) {
                    throw new UncheckedIOException(tooLong);
                }
            });
        } catch (IOException | UncheckedIOException tooLong) {
            return null; // a part over 65,535 bytes: keep the request as it is
        }
        return bytes.toByteArray();
    }

    /** The request {@code packed} was made from. */
    static HandshakeRequest unpack(byte[] packed) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(packed))) {
            String method = in.readUTF();
            String target = in.readUTF();
            String version = in.readUTF();
            int count = in.readInt();
            HttpHeaders.Builder headers = HttpHeaders.builder();
            for (int i = 0; i < count; i++) {
                headers.add(in.readUTF(), in.readUTF());
            }
            return new HandshakeRequest(method, target, version, headers.build());
        } catch (IOException e) {
            throw new UncheckedIOException("packed request is damaged", e);
        }
    }
}
