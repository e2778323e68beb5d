package ws.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP/1.1 requests on fresh loopback sockets (one per request), for the long-polling transport. */
final class HttpPeer {
    private final int port;

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    HttpPeer(int port) {
        this.port = port;
    }

    Response get(String target) throws IOException {
        return request("GET", target, null, Map.of());
    }

    Response post(String target, String body) throws IOException {
        return request("POST", target, body, Map.of());
    }

    /** A request answered later (a held poll), on its own thread. */
    CompletableFuture<Response> getAsync(String target) {
        CompletableFuture<Response> response = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                response.complete(get(target));
            } catch (IOException e) {
                response.completeExceptionally(e);
            }
        });
        return response;
    }

    Response request(String method, String target, String body, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                bytes.write(b);
            }
        }
        if (b == -1 && bytes.size() == 0) {
            throw new IOException("connection closed before a response");
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
