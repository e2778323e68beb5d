package ws.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Events, argument binding, acknowledgements both ways and binary attachments. */
class EventsTest extends EventsFixture {
    record Message(String room, String text) {
    }

    record Move(int x, int y, String label) {
    }

    record Upload(String name, byte[] content) {
    }

    private CompletableFuture<EventSocket> onConnection() {
        CompletableFuture<EventSocket> connected = new CompletableFuture<>();
        events.sockets().onConnection(connected::complete);
        return connected;
    }

    @Test
    void argumentsAreBoundToRecordsAndSeveralArguments() throws Exception {
        start(b -> b);
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        events.sockets().onConnection(socket -> socket
                .on("message", Message.class, (message, event) -> seen.add(message))
                .on("pair", String.class, Integer.class, (name, count, event) -> seen.add(name + "=" + count))
                .on("move", event -> seen.add(event.args().as(Move.class))));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.send("42[\"message\",{\"room\":\"lobby\",\"text\":\"hi\",\"extra\":true}]");
            peer.send("42[\"pair\",\"apples\",3]");
            peer.send("42[\"move\",1,2,\"go\"]");
            assertEquals(new Message("lobby", "hi"), seen.poll(30, TimeUnit.SECONDS));
            assertEquals("apples=3", seen.poll(30, TimeUnit.SECONDS));
            assertEquals(new Move(1, 2, "go"), seen.poll(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void anArgumentThatDoesNotBindReachesTheErrorListenersNotTheHandler() throws Exception {
        start(b -> b);
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        BlockingQueue<Move> moves = new LinkedBlockingQueue<>();
        events.sockets().onConnection(socket -> socket.onError(errors::add)
                .on("move", event -> moves.add(event.args().as(Move.class))));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.send("42[\"move\",\"left\",2]");
            Throwable error = errors.poll(30, TimeUnit.SECONDS);
            assertTrue(error.getMessage().startsWith("argument 0 (x) is not a int"), error.getMessage());
            assertTrue(moves.isEmpty());
        }
    }

    @Test
    void aHandlerAnswersTheClientsAck() throws Exception {
        start(b -> b);
        events.sockets().onConnection(socket -> socket.on("sum", event ->
                event.ack(event.args().get(0, int.class) + event.args().get(1, int.class), "done")));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.send("4217[\"sum\",2,3]");
            peer.expectExactly("4317[5,\"done\"]");
        }
    }

    @Test
    void aServerEmitWithAckCompletesWithTheClientsAnswer() throws Exception {
        start(b -> b);
        CompletableFuture<EventSocket> connected = onConnection();
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            CompletableFuture<Arguments> answer = connected.get(30, TimeUnit.SECONDS).emitWithAck("question", "ready?");
            peer.expectExactly("420[\"question\",\"ready?\"]");
            peer.send("430[\"yes\",42]");
            Arguments args = answer.get(30, TimeUnit.SECONDS);
            assertEquals("yes", args.get(0, String.class));
            assertEquals(42, args.get(1, int.class));
        }
    }

    @Test
    void theClientMayAnswerAServerAckWithBinary() throws Exception {
        start(b -> b);
        CompletableFuture<EventSocket> connected = onConnection();
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            CompletableFuture<Arguments> answer = connected.get(30, TimeUnit.SECONDS).emitWithAck("file?");
            peer.expectExactly("420[\"file?\"]");
            peer.send("461-0[{\"_placeholder\":true,\"num\":0}]");
            peer.sendBinary(new byte[] {4, 5});
            assertArrayEquals(new byte[] {4, 5}, answer.get(30, TimeUnit.SECONDS).get(0, byte[].class));
        }
    }

    @Test
    void aMiddlewareThatFailsRefusesWithItsMessage() throws Exception {
        start(b -> b);
        events.sockets().use(socket -> {
            throw new IllegalStateException("database down");
        });
        try (RawClient peer = raw()) {
            peer.send("40");
            peer.expectExactly("44{\"message\":\"database down\"}");
        }
    }

    @Test
    void aServerEmitWithAckFailsAtItsTimeout() throws Exception {
        start(b -> b);
        CompletableFuture<EventSocket> connected = onConnection();
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            CompletableFuture<Arguments> answer = connected.get(30, TimeUnit.SECONDS)
                    .emitWithAck(Duration.ofSeconds(3), "question");
            peer.expect("420[");
            clock.advance(Duration.ofSeconds(2));
            assertFalse(answer.isDone());
            clock.advance(Duration.ofSeconds(2));
            ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof TimeoutException, e.getCause().toString());
            peer.send("430[\"late\"]"); // a late answer is ignored
        }
    }

    @Test
    void pendingAcksFailWhenTheSocketDisconnects() throws Exception {
        start(b -> b);
        CompletableFuture<EventSocket> connected = onConnection();
        RawClient peer = raw();
        peer.connect("/", null);
        CompletableFuture<Arguments> answer = connected.get(30, TimeUnit.SECONDS).emitWithAck("question");
        peer.expect("420[");
        peer.abort();
        ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IOException, e.getCause().toString());
    }

    @Test
    void binaryAnywhereInTheArgumentsGoesAsAttachmentsBothWays() throws Exception {
        start(b -> b);
        BlockingQueue<Upload> uploads = new LinkedBlockingQueue<>();
        events.sockets().onConnection(socket -> socket.on("upload", Upload.class, (upload, event) -> {
            uploads.add(upload);
            event.ack(ByteBuffer.wrap("stored".getBytes(StandardCharsets.UTF_8)), new Upload("copy", upload.content()));
        }));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.send("451-5[\"upload\",{\"name\":\"a.bin\",\"content\":{\"_placeholder\":true,\"num\":0}}]");
            peer.sendBinary(new byte[] {1, 2, 3});
            Upload upload = uploads.poll(30, TimeUnit.SECONDS);
            assertEquals("a.bin", upload.name());
            assertArrayEquals(new byte[] {1, 2, 3}, upload.content());
            peer.expectExactly("462-5[{\"_placeholder\":true,\"num\":0},{\"name\":\"copy\",\"content\":{\"_placeholder\":true,\"num\":1}}]");
            assertArrayEquals("stored".getBytes(StandardCharsets.UTF_8), peer.nextBinary());
            assertArrayEquals(new byte[] {1, 2, 3}, peer.nextBinary());
        }
    }

    @Test
    void catchAllListenersSeeEveryEventFirstAndEventMiddlewareMayRefuse() throws Exception {
        start(b -> b);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        events.sockets().onConnection(socket -> socket
                .use(event -> {
                    if (event.name().startsWith("admin:")) {
                        throw new RefusedException("forbidden");
                    }
                })
                .onError(errors::add)
                .onAny(event -> seen.add("any " + event.name()))
                .on("hello", event -> seen.add("hello")));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.send("42[\"admin:drop\"]");
            peer.send("42[\"hello\"]");
            assertEquals("forbidden", errors.poll(30, TimeUnit.SECONDS).getMessage());
            assertEquals("any hello", seen.poll(30, TimeUnit.SECONDS));
            assertEquals("hello", seen.poll(30, TimeUnit.SECONDS));
            assertTrue(seen.isEmpty());
        }
    }

    @Test
    void reservedEventNamesCannotBeEmitted() throws Exception {
        start(b -> b);
        CompletableFuture<EventSocket> connected = onConnection();
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            EventSocket socket = connected.get(30, TimeUnit.SECONDS);
            assertThrows(IllegalArgumentException.class, () -> socket.emit("disconnect"));
            assertThrows(IllegalArgumentException.class, () -> socket.emit("connect_error"));
        }
    }

    @Test
    void eventsOfANamespaceCarryItsName() throws Exception {
        start(b -> b);
        CompletableFuture<EventSocket> connected = new CompletableFuture<>();
        events.of("/chat").onConnection(socket -> {
            connected.complete(socket);
            socket.on("ping", event -> event.ack("pong"));
        });
        try (RawClient peer = raw()) {
            peer.connect("/chat", null);
            connected.get(30, TimeUnit.SECONDS).emit("welcome", List.of(1, 2));
            peer.expectExactly("42/chat,[\"welcome\",[1,2]]");
            peer.send("42/chat,3[\"ping\"]");
            peer.expectExactly("43/chat,3[\"pong\"]");
            peer.send("42[\"ping\"]"); // the main namespace was not joined: ignored
            assertTrue(peer.quietFor(200));
        }
    }

    @Test
    void theRateLimitDropsEventsAndTellsTheClientOncePerRun() throws Exception {
        start(b -> b.rateLimit(RateLimit.of(2, Duration.ofSeconds(1))));
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        events.sockets().onConnection(socket -> socket.on("e", event -> seen.add(event.args().get(0, String.class))));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            for (int i = 1; i <= 4; i++) {
                peer.send("42[\"e\",\"" + i + "\"]");
            }
            JsonNode error = peer.expect("42");
            assertEquals("rate_limit", error.get(0).asText());
            assertEquals("rate limit exceeded", error.get(1).get("message").asText());
            assertEquals("e", error.get(1).get("event").asText());
            assertTrue(peer.quietFor(200), "told once for the run");
            assertEquals("1", seen.poll(30, TimeUnit.SECONDS));
            assertEquals("2", seen.poll(30, TimeUnit.SECONDS));
            assertTrue(seen.isEmpty());
            clock.advance(Duration.ofMillis(500));
            peer.send("42[\"e\",\"5\"]");
            assertEquals("5", seen.poll(30, TimeUnit.SECONDS));
        }
    }
}
