package ws.conformance.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** The HTTP/1.1 upgrade of RFC 6455 section 4, as little of it as the suite needs, on both sides. */
public final class Http {
    /** The GUID of RFC 6455 section 1.3. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Http() {
    }

    /** A request or response head: the first line and the header fields in order. */
    public record Head(String startLine, List<String[]> headers) {
        /** The first value of header {@code name} (case-insensitive), or {@code null}. */
        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        /** Every value of header {@code name} (case-insensitive) joined with ", ", or {@code null} when absent. */
        public String headerList(String name) {
            List<String> values = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    values.add(h[1]);
                }
            }
            return values.isEmpty() ? null : String.join(", ", values);
        }

        /** Whether header {@code name} holds {@code token} in its comma-separated list (case-insensitive). */
        public boolean hasToken(String name, String token) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    for (String t : h[1].split(",")) {
                        if (t.strip().equalsIgnoreCase(token)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(startLine).append("\r\n");
            for (String[] h : headers) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            return sb.toString();
        }
    }

    /** {@code Sec-WebSocket-Accept} for a key. */
    public static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    /**
     * Reads one head (up to and including the empty line) byte by byte, so nothing after it is consumed.
     *
     * @throws IOException on end of stream, or a head over {@code maxBytes}
     */
    public static Head readHead(InputStream in, int maxBytes) throws IOException {
        byte[] buf = new byte[maxBytes];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("stream ended inside the HTTP head after " + n + " bytes");
            }
            if (n == maxBytes) {
                throw new IOException("HTTP head longer than " + maxBytes + " bytes");
            }
            buf[n++] = (byte) b;
            if (n >= 4 && buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
                break;
            }
        }
        String text = new String(buf, 0, n - 4, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: \"" + lines[i] + "\"");
            }
            headers.add(new String[] {lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()});
        }
        return new Head(lines[0], headers);
    }

    /** The problem with a client's upgrade request (RFC 6455 section 4.2.1), or {@code null} when it is valid. */
    public static String checkClientRequest(Head request) {
        String[] parts = request.startLine().split(" ");
        if (parts.length != 3 || !parts[0].equals("GET") || !parts[2].equals("HTTP/1.1")) {
            return "request line is not \"GET <path> HTTP/1.1\": \"" + request.startLine() + "\"";
        }
        if (request.header("Host") == null) {
            return "no Host header";
        }
        if (!request.hasToken("Upgrade", "websocket")) {
            return "Upgrade header lacks \"websocket\": " + request.header("Upgrade");
        }
        if (!request.hasToken("Connection", "upgrade")) {
            return "Connection header lacks \"Upgrade\": " + request.header("Connection");
        }
        if (!"13".equals(request.header("Sec-WebSocket-Version"))) {
            return "Sec-WebSocket-Version is not 13: " + request.header("Sec-WebSocket-Version");
        }
        String key = request.header("Sec-WebSocket-Key");
        try {
            if (key == null || Base64.getDecoder().decode(key).length != 16) {
                return "Sec-WebSocket-Key is not 16 bytes in base64: " + key;
            }
        } catch (IllegalArgumentException e) {
            return "Sec-WebSocket-Key is not base64: " + key;
        }
        return null;
    }

    /** The path (with query) of a request line. */
    public static String requestTarget(Head request) {
        String[] parts = request.startLine().split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    /** A client's upgrade request for {@code path} on {@code hostPort}. */
    public static byte[] clientRequest(String hostPort, String path, String key, List<String[]> extraHeaders) {
        StringBuilder sb = new StringBuilder();
        sb.append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostPort).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n")
                .append("User-Agent: ws.conformance\r\n");
        for (String[] h : extraHeaders) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The problem with a server's response to our request with {@code key}, or {@code null} when it is valid. */
    public static String checkServerResponse(Head response, String key) {
        return checkServerResponse(response, key, false);
    }

    /**
     * As {@link #checkServerResponse(Head, String)}; with {@code offeredExtensions} an extension
     * response is left to the caller to check.
     */
    public static String checkServerResponse(Head response, String key, boolean offeredExtensions) {
        String[] parts = response.startLine().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.1") || !parts[1].equals("101")) {
            return "status line is not \"HTTP/1.1 101\": \"" + response.startLine() + "\"";
        }
        if (!response.hasToken("Upgrade", "websocket")) {
            return "Upgrade header lacks \"websocket\": " + response.header("Upgrade");
        }
        if (!response.hasToken("Connection", "upgrade")) {
            return "Connection header lacks \"Upgrade\": " + response.header("Connection");
        }
        String accept = response.header("Sec-WebSocket-Accept");
        if (!acceptFor(key).equals(accept)) {
            return "Sec-WebSocket-Accept is " + accept + ", expected " + acceptFor(key);
        }
        if (!offeredExtensions && response.header("Sec-WebSocket-Extensions") != null) {
            return "server accepted extensions we did not offer: " + response.header("Sec-WebSocket-Extensions");
        }
        return null;
    }

    /** A server's 101 response to a request with {@code key}. */
    public static byte[] serverResponse(String key, List<String[]> extraHeaders) {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ").append(acceptFor(key)).append("\r\n");
        for (String[] h : extraHeaders) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A short error response with {@code status}, for requests that are not a valid upgrade. */
    public static byte[] errorResponse(int status, String reason, String body) {
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + bodyBytes.length + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + bodyBytes.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(bodyBytes, 0, out, h.length, bodyBytes.length);
        return out;
    }

    /** Lower-cases ASCII. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
