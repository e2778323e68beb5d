package ws.protocol.driver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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

    /** The packed form of {@code request}, or {@code null} when it would not rebuild exactly. */
    static byte[] pack(HandshakeRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(request.method());
            out.writeUTF(request.target());
            out.writeUTF(request.version());
            List<String[]> fields = new ArrayList<>();
            request.headers().forEach((name, value) -> fields.add(new String[] {name, value}));
            out.writeInt(fields.size());
            for (String[] field : fields) {
                out.writeUTF(field[0]);
                out.writeUTF(field[1]);
            }
        } catch (IOException tooLong) {
            return null; // a part over 65,535 bytes: keep the request as it is
        }
        byte[] packed = bytes.toByteArray();
        try {
            return unpack(packed).equals(request) ? packed : null;
        } catch (RuntimeException notRebuildable) {
            return null;
        }
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
