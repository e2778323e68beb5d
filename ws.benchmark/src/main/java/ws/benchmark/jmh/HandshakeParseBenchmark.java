package ws.benchmark.jmh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.ServerHandshake;

/**
 * Opening-handshake parsing on the server: a browser-like upgrade request (about 500 bytes, a
 * dozen headers) through {@link HttpHeadParser} and {@link ServerHandshake#validate}. Bytes per
 * operation: the request's length.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeParseBenchmark {
    /** The request a browser sends (Chrome-like headers). */
    static final byte[] REQUEST = ("GET /chat?room=42 HTTP/1.1\r\n"
            + "Host: example.com:8080\r\n"
            + "Connection: Upgrade\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n"
            + "Upgrade: websocket\r\n"
            + "Origin: https://example.com\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private ByteBuffer request;

    /** Wraps the request. */
    @Setup
    public void setUp() {
        request = ByteBuffer.wrap(REQUEST);
    }

    /** Parses and validates one request. */
    @Benchmark
    public HandshakeRequest parseAndValidate() throws HandshakeException {
        HandshakeRequest parsed = HttpHeadParser.requests(16 << 10).parseRequest(request.duplicate());
        ServerHandshake.validate(parsed);
        return parsed;
    }
}
