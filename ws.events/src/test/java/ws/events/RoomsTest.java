package ws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rooms and broadcasts: to rooms, all but the sender, except, fetchSockets, socketsJoin, disconnectSockets. */
class RoomsTest extends EventsFixture {
    private final BlockingQueue<EventSocket> sockets = new LinkedBlockingQueue<>();
    private final RawClient[] peers = new RawClient[3];
    private final EventSocket[] server = new EventSocket[3];

    private void threeClients() throws Exception {
        start(b -> b);
        events.sockets().onConnection(sockets::add);
        for (int i = 0; i < 3; i++) {
            peers[i] = raw();
            peers[i].connect("/", null);
            server[i] = sockets.poll(30, TimeUnit.SECONDS);
        }
    }

    /** The ack id of an event packet of the main namespace ({@code 42<id>[...]}). */
    private static long ackIdOf(String packet) {
        assertTrue(packet.startsWith("42"), packet);
        return Long.parseLong(packet.substring(2, packet.indexOf('[')));
    }

    private void closePeers() {
        for (RawClient peer : peers) {
            peer.close();
        }
    }

    @Test
    void everySocketIsInItsOwnRoomAndJoinsAndLeavesOthers() throws Exception {
        threeClients();
        try {
            server[0].join("a", "b");
            assertEquals(Set.of(server[0].id(), "a", "b"), server[0].rooms());
            server[0].leave("a");
            assertEquals(Set.of(server[0].id(), "b"), server[0].rooms());
            assertTrue(events.sockets().rooms().containsAll(Set.of("b", server[1].id())));
        } finally {
            closePeers();
        }
    }

    @Test
    void emitsReachRoomsOnceEachAndLeaveOutTheSenderOrExceptedRooms() throws Exception {
        threeClients();
        try {
            server[0].join("red");
            server[1].join("red", "blue");
            server[2].join("blue", "muted");
            events.sockets().to("red", "blue").emit("m", 1);
            for (RawClient peer : peers) {
                peer.expectExactly("42[\"m\",1]");
            }
            server[1].to("red").emit("m", 2); // the sender is left out
            peers[0].expectExactly("42[\"m\",2]");
            server[1].broadcast().emit("m", 3);
            peers[0].expectExactly("42[\"m\",3]");
            peers[2].expectExactly("42[\"m\",3]");
            events.sockets().except("muted").emit("m", 4);
            peers[0].expectExactly("42[\"m\",4]");
            peers[1].expectExactly("42[\"m\",4]");
            events.sockets().to(server[2].id()).emit("m", 5); // a socket by its own room
            peers[2].expectExactly("42[\"m\",5]");
            for (RawClient peer : peers) {
                assertTrue(peer.quietFor(150), "no duplicates, no strays");
            }
        } finally {
            closePeers();
        }
    }

    @Test
    void fetchSocketsSocketsJoinAndDisconnectSocketsWorkOnTheSelection() throws Exception {
        threeClients();
        try {
            server[0].join("red");
            server[0].data().put("name", "ann");
            server[1].join("red");
            List<RemoteSocket> red = events.sockets().to("red").fetchSockets().get(30, TimeUnit.SECONDS);
            assertEquals(Set.of(server[0].id(), server[1].id()), Set.copyOf(red.stream().map(RemoteSocket::id).toList()));
            RemoteSocket ann = red.stream().filter(s -> s.id().equals(server[0].id())).findFirst().orElseThrow();
            assertEquals("ann", ann.data("name", String.class));
            assertTrue(ann.rooms().contains("red"));

            events.sockets().to("red").socketsJoin("green");
            assertTrue(server[1].rooms().contains("green"));
            events.sockets().to("green").socketsLeave("red");
            assertEquals(Set.of(server[0].id(), "green"), server[0].rooms());
            ann.emit("direct", "hi");
            peers[0].expectExactly("42[\"direct\",\"hi\"]");

            events.sockets().to("green").disconnectSockets(false);
            peers[0].expectExactly("41");
            peers[1].expectExactly("41");
            assertTrue(peers[2].quietFor(150));
            assertEquals(1, events.sockets().sockets().size());
        } finally {
            closePeers();
        }
    }

    @Test
    void aBroadcastWithAckGathersEveryAnswerOrFailsAtItsTimeout() throws Exception {
        threeClients();
        try {
            server[0].join("red");
            server[1].join("red");
            java.util.concurrent.CompletableFuture<List<Arguments>> votes =
                    events.sockets().to("red").emitWithAck(java.time.Duration.ofSeconds(5), "vote?", "lunch");
            for (int i = 0; i < 2; i++) {
                peers[i].send("43" + ackIdOf(peers[i].nextText()) + "[\"yes\"," + i + "]");
            }
            assertTrue(peers[2].quietFor(150));
            List<Arguments> answers = votes.get(30, TimeUnit.SECONDS);
            assertEquals(2, answers.size());
            assertEquals(Set.of(0, 1), Set.of(answers.get(0).get(1, int.class), answers.get(1).get(1, int.class)));

            java.util.concurrent.CompletableFuture<List<Arguments>> unanswered =
                    events.sockets().all().emitWithAck(java.time.Duration.ofSeconds(5), "vote?", "dinner");
            peers[0].send("43" + ackIdOf(peers[0].nextText()) + "[\"yes\"]");
            clock.advance(java.time.Duration.ofSeconds(6));
            java.util.concurrent.ExecutionException timedOut = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> unanswered.get(30, TimeUnit.SECONDS));
            assertTrue(timedOut.getCause() instanceof java.util.concurrent.TimeoutException, timedOut.getCause().toString());
        } finally {
            closePeers();
        }
    }

    @Test
    void aVolatileEmitReachesWebSocketClientsThatAreNotBusy() throws Exception {
        threeClients();
        try {
            events.sockets().all().asVolatile().emit("tick", 1); // WebSocket clients with an idle socket get it
            for (RawClient peer : peers) {
                peer.expectExactly("42[\"tick\",1]");
            }
        } finally {
            closePeers();
        }
    }
}
