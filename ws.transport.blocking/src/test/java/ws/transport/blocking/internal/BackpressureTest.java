package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.BackpressureException;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.ReadyState;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;

/** The high-water mark and its policies, against a peer that stops reading. */
class BackpressureTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";
    private static final int MARK = 256 << 10;
    private static final ByteBuffer CHUNK = ByteBuffer.allocate(64 << 10);

    private static ConnectionOptions options(BackpressurePolicy policy, Duration closeTimeout) {
        return Support.fast().withBackpressure(MARK, policy).withCloseTimeout(closeTimeout);
    }

    /** Sends chunks until one fails (or {@code max} went through); returns the failure. */
    private static Throwable sendUntilRefused(WebSocket ws, int max) throws Exception {
        for (int i = 0; i < max; i++) {
            CompletableFuture<Void> future = ws.sendBinary(CHUNK.duplicate());
            if (future.isCompletedExceptionally()) {
                return assertThrows(ExecutionException.class, future::get).getCause();
            }
            assertTrue(ws.bufferedAmount() <= MARK + CHUNK.capacity() + 16, "buffered " + ws.bufferedAmount());
        }
        return null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void failRefusesTheSendAndKeepsTheConnection(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).connection(options(BackpressurePolicy.FAIL, Duration.ofSeconds(2)))
                .route("/bp", serverSide).start();
             RawClient raw = new RawClient(server.port(), 8192)) {
            assertEquals(101, RawClient.status(raw.upgrade("/bp")));
            WebSocket ws = serverSide.awaitOpen();
            Throwable refused = sendUntilRefused(ws, 2000);
            assertInstanceOf(BackpressureException.class, refused);
            assertTrue(refused.getMessage().contains("high-water mark"), refused.getMessage());
            assertEquals(ReadyState.OPEN, ws.readyState());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void closeDropsTheConnectionWith1008(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).connection(options(BackpressurePolicy.CLOSE, Duration.ofMillis(500)))
                .route("/bp", serverSide).start();
             RawClient raw = new RawClient(server.port(), 8192)) {
            assertEquals(101, RawClient.status(raw.upgrade("/bp")));
            WebSocket ws = serverSide.awaitOpen();
            assertInstanceOf(BackpressureException.class, sendUntilRefused(ws, 2000));
            assertEquals(1008, serverSide.awaitClose().code());
            assertEquals(0, ws.bufferedAmount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void waitBlocksTheSenderUntilThePeerReads(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).connection(options(BackpressurePolicy.WAIT, Duration.ofSeconds(10)))
                .route("/bp", serverSide).start();
             RawClient raw = new RawClient(server.port(), 8192)) {
            assertEquals(101, RawClient.status(raw.upgrade("/bp")));
            WebSocket ws = serverSide.awaitOpen();
            int count = 200;
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            Thread sender = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < count; i++) {
                    sent.add(ws.sendBinary(CHUNK.duplicate()));
                }
            });
            sender.join(700);
            assertTrue(sender.isAlive(), "the sender should be waiting for room");
            assertTrue(ws.bufferedAmount() <= MARK + CHUNK.capacity() + 16, "buffered " + ws.bufferedAmount());
            for (int i = 0; i < count; i++) {
                assertEquals(CHUNK.capacity(), raw.readFrame().payload().length);
            }
            sender.join(5000);
            assertFalse(sender.isAlive());
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(0, ws.bufferedAmount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void waitGivesUpAfterTheCloseTimeout(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).connection(options(BackpressurePolicy.WAIT, Duration.ofMillis(300)))
                .route("/bp", serverSide).start();
             RawClient raw = new RawClient(server.port(), 8192)) {
            assertEquals(101, RawClient.status(raw.upgrade("/bp")));
            WebSocket ws = serverSide.awaitOpen();
            Throwable refused = sendUntilRefused(ws, 2000);
            assertInstanceOf(BackpressureException.class, refused);
            assertTrue(refused.getMessage().contains("stayed above"), refused.getMessage());
        }
    }
}
