package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * Over wss:// on the socket transports the server's reading thread writes its own answers when the
 * socket has room, as over ws:// ({@code ReaderWritesTest} of ws.transport.blocking): the TLS wire
 * wraps and writes without waiting ({@link EngineWire#tryWrite}), so the hand-off writer is not used
 * for a small echo. Over an {@code SSLSocket}'s streams, which cannot write without waiting, every
 * answer went to the hand-off writer, a virtual thread that queued behind the readers on a busy core
 * (docs/performance.md, "wss:// on virtual threads at a fixed load", "The blocking transport over wss://").
 */
@DisplayName("Over wss:// the reading thread writes its own answers")
class WssReaderWritesTest {
    private static final int MESSAGES = 100;

    /** Both socket transports: platform threads and virtual threads. */
    static java.util.stream.Stream<Transport> socketTransports() {
        return java.util.stream.Stream.of(new ws.transport.blocking.BlockingTransport(),
                new ws.transport.virtualthreads.VirtualThreadTransport());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("socketTransports")
    @DisplayName("100 echoes, one at a time: each answer written by the thread that read its message, none kept aside")
    void answersAreWrittenByTheReader(Transport base) throws Exception {
        AtomicInteger byReader = new AtomicInteger();
        AtomicInteger byOthers = new AtomicInteger();
        WebSocketListener echo = new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                Thread reader = Thread.currentThread();
                webSocket.sendText(text).thenRun(() -> {
                    if (Thread.currentThread() == reader) {
                        byReader.incrementAndGet();
                    } else {
                        byOthers.incrementAndGet();
                    }
                });
            }
        };
        BlockingQueue<String> echoed = new LinkedBlockingQueue<>();
        long flushersBefore = EngineWire.flushersStarted();
        try (WebSocketServer server = WebSocketServer.builder().route("/echo", echo).connection(TlsSupport.fast())
                .transport(TlsTransport.server(LOCALHOST.serverConfig()).over(base)).start();
             var client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            WebSocket ws = client.connect(TlsSupport.wss(server), new WebSocketListener() {
                @Override
                public void onText(WebSocket webSocket, String text) {
                    echoed.add(text);
                }
            }).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < MESSAGES; i++) {
                ws.sendText("m" + i);
                assertEquals("m" + i, echoed.poll(30, TimeUnit.SECONDS), "the echo of message " + i);
            }
            // the connection is open and waits for input: it holds no network buffer of the wire's
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (WireBuffers.lent() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, WireBuffers.lent(), "buffers lent while every connection waits for input");
            ws.close(1000, "");
        }
        assertEquals(MESSAGES, byReader.get() + byOthers.get(), "every answer's future completed");
        // the first answers may race the hand-off writer that wrote the 101 (it holds the write lock for
        // an instant after its write); over an SSLSocket every one was the writer's
        assertTrue(byReader.get() >= MESSAGES - 5,
                byReader.get() + " of " + MESSAGES + " answers written by the reading thread, " + byOthers.get() + " handed off");
        assertEquals(flushersBefore, EngineWire.flushersStarted(), "no ciphertext kept aside: the socket had room");
    }
}
