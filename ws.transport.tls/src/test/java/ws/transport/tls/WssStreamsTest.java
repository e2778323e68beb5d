package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.protocol.stream.MessageStreams;
import ws.protocol.stream.StreamingListener;

/** Messages as streams over wss://, both ways, on both socket transports: the same API as ws:// and the loopback. */
class WssStreamsTest {

    /** Streams each message back as it reads it. */
    static final StreamingListener STREAM_ECHO = new StreamingListener() {
        @Override
        public void onBinaryStream(WebSocket ws, InputStream data) throws IOException {
            try (OutputStream out = MessageStreams.outputStream(ws)) {
                data.transferTo(out);
            }
        }

        @Override
        public void onTextStream(WebSocket ws, Reader text) throws IOException {
            try (Writer out = MessageStreams.writer(ws)) {
                text.transferTo(out);
            }
        }
    };

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void aMessageStreamsBothWaysOverTls(Transport base) throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().route("/echo", MessageStreams.receiving(STREAM_ECHO))
                     .connection(TlsSupport.fast()).transport(TlsTransport.server(LOCALHOST.serverConfig()).over(base)).start();
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            CompletableFuture<Long> echoed = new CompletableFuture<>();
            CompletableFuture<String> text = new CompletableFuture<>();
            WebSocket ws = await(client.connect(TlsSupport.wss(server), MessageStreams.receiving(new StreamingListener() {
                @Override
                public void onBinaryStream(WebSocket w, InputStream data) throws IOException {
                    CRC32 crc = new CRC32();
                    byte[] buffer = new byte[8192];
                    int n;
                    while ((n = data.read(buffer)) >= 0) {
                        crc.update(buffer, 0, n);
                    }
                    echoed.complete(crc.getValue());
                }

                @Override
                public void onTextStream(WebSocket w, Reader data) throws IOException {
                    StringBuilder all = new StringBuilder();
                    data.transferTo(new java.io.Writer() {
                        @Override
                        public void write(char[] chars, int offset, int length) {
                            all.append(chars, offset, length);
                        }

                        @Override
                        public void flush() {
                        }

                        @Override
                        public void close() {
                        }
                    });
                    text.complete(all.toString());
                }
            })));
            CRC32 sent = new CRC32();
            byte[] chunk = new byte[10_000];
            SplittableRandom random = new SplittableRandom(7);
            try (OutputStream out = MessageStreams.outputStream(ws)) {
                for (int i = 0; i < 3200; i++) { // 32 MB: twice maxMessageSize
                    random.nextBytes(chunk);
                    sent.update(chunk);
                    out.write(chunk);
                }
            }
            assertEquals(sent.getValue(), await(echoed));
            String message = "h\u00e9llo \uD83D\uDE00 ".repeat(20_000);
            try (Writer out = MessageStreams.writer(ws, 1001)) {
                out.write(message);
            }
            assertEquals(message, await(text));
            await(ws.close());
        }
    }
}
