package ws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery (socket.io 4.6): the CONNECT answer carries a pid, every event an
 * offset; a client back within the window with {pid, offset} gets its id, rooms, data and the events
 * it missed, in order, once each.
 */
class RecoveryTest extends EventsFixture {
    private final BlockingQueue<EventSocket> sockets = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> left = new LinkedBlockingQueue<>();

    private void startWithRecovery() throws Exception {
        start(b -> b.recovery(new Recovery(Duration.ofMinutes(2), true)));
        events.sockets().use(socket -> {
            if (socket.handshake().authField("token").isEmpty()) {
                throw new RefusedException("no token");
            }
        });
        events.sockets().onConnection(socket -> {
            socket.onDisconnect(reason -> left.add(socket.id()));
            sockets.add(socket);
        });
    }

    /** Waits until the socket left, its session persisted. */
    private void awaitLeft(EventSocket socket) throws InterruptedException {
        assertEquals(socket.id(), left.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aClientBackInTimeGetsItsIdRoomsDataAndMissedEventsInOrderOnce() throws Exception {
        startWithRecovery();
        RawClient first = raw();
        first.send("40{\"token\":\"t\"}");
        JsonNode answer = first.expect("40");
        String sid = answer.get("sid").asText();
        String pid = answer.get("pid").asText();
        EventSocket socket = sockets.poll(30, TimeUnit.SECONDS);
        socket.join("news");
        socket.data().put("name", "ann");
        events.sockets().to("news").emit("headline", 1);
        JsonNode seen = first.expect("42");
        assertEquals("headline", seen.get(0).asText());
        String offset = seen.get(2).asText();
        first.abort();
        awaitLeft(socket);

        events.sockets().to("news").emit("headline", 2);
        events.sockets().emit("all", 3);
        events.sockets().to("other").emit("not-for-ann", 4);
        events.sockets().to(sid).emit("direct", 5);

        try (RawClient second = raw()) {
            second.send("40{\"token\":\"t\",\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
            JsonNode again = second.expect("40");
            assertEquals(sid, again.get("sid").asText());
            assertEquals(pid, again.get("pid").asText());
            assertEquals("[\"headline\",2]", withoutOffset(second.expect("42")));
            assertEquals("[\"all\",3]", withoutOffset(second.expect("42")));
            assertEquals("[\"direct\",5]", withoutOffset(second.expect("42")));
            assertTrue(second.quietFor(200), "each missed event once");
            EventSocket recovered = sockets.poll(30, TimeUnit.SECONDS);
            assertTrue(recovered.recovered());
            assertEquals(sid, recovered.id());
            assertTrue(recovered.rooms().contains("news"));
            assertEquals("ann", recovered.data().get("name"));
            events.sockets().to("news").emit("headline", 6);
            assertEquals("[\"headline\",6]", withoutOffset(second.expect("42")));
        }
    }

    @Test
    void afterTheWindowTheClientStartsAfreshAndMiddlewaresRun() throws Exception {
        startWithRecovery();
        RawClient first = raw();
        Seen seen = connectAndReceiveOne(first);
        first.abort();
        awaitLeft(seen.socket());
        JsonNode answer = seen.answer();
        String offset = seen.offset();
        clock.advance(Duration.ofMinutes(3));
        try (RawClient second = raw()) {
            second.send("40{\"pid\":\"" + answer.get("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
            second.expectExactly("44{\"message\":\"no token\"}");
            second.send("40{\"token\":\"t\",\"pid\":\"" + answer.get("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
            JsonNode fresh = second.expect("40");
            assertNotEquals(answer.get("sid").asText(), fresh.get("sid").asText());
            assertNotEquals(answer.get("pid").asText(), fresh.get("pid").asText());
            assertFalse(sockets.poll(30, TimeUnit.SECONDS).recovered());
        }
    }

    @Test
    void aClientThatLeftOnPurposeDoesNotRecover() throws Exception {
        startWithRecovery();
        RawClient first = raw();
        Seen seen = connectAndReceiveOne(first);
        first.send("41");
        awaitLeft(seen.socket());
        JsonNode answer = seen.answer();
        String offset = seen.offset();
        first.close();
        try (RawClient second = raw()) {
            second.send("40{\"token\":\"t\",\"pid\":\"" + answer.get("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
            assertNotEquals(answer.get("sid").asText(), second.expect("40").get("sid").asText());
        }
    }

    /** The CONNECT answer, the server's socket, and the offset of the one event received. */
    private record Seen(JsonNode answer, EventSocket socket, String offset) {
    }

    private Seen connectAndReceiveOne(RawClient peer) throws Exception {
        peer.send("40{\"token\":\"t\"}");
        JsonNode answer = peer.expect("40");
        EventSocket socket = sockets.poll(30, TimeUnit.SECONDS);
        socket.emit("hello");
        return new Seen(answer, socket, peer.expect("42").get(1).asText());
    }

    private static String withoutOffset(JsonNode event) {
        assertTrue(event.get(event.size() - 1).isTextual(), "the last argument is the offset: " + event);
        ((com.fasterxml.jackson.databind.node.ArrayNode) event).remove(event.size() - 1);
        return event.toString();
    }
}
