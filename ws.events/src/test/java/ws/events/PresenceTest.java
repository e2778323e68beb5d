package ws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import ws.events.spi.BroadcastOptions;
import ws.events.spi.InMemoryAdapter;
import ws.events.spi.SocketInfo;

/** The user list: pushed to the room on every join, rename, leave and disconnection. */
class PresenceTest extends EventsFixture {

    @Test
    void theRoomSeesWhoIsThereUnderTheirNames() throws Exception {
        start(b -> b);
        Presence presence = Presence.attach(events.sockets());
        try (RawClient ann = raw(); RawClient bob = raw()) {
            String annId = ann.connect("/", null);
            String bobId = bob.connect("/", null);
            ann.send("421[\"presence:join\",{\"room\":\"lobby\",\"name\":\"ann\"}]");
            String annOnly = "[{\"id\":\"" + annId + "\",\"name\":\"ann\"}]";
            assertEquals(annOnly, listIn(ann));
            assertEquals("{\"room\":\"lobby\",\"members\":" + annOnly + "}", ann.expect("431").get(0).toString());
            bob.send("42[\"presence:join\",{\"room\":\"lobby\",\"name\":\"bob\"}]");
            String both = "[{\"id\":\"" + annId + "\",\"name\":\"ann\"},{\"id\":\"" + bobId + "\",\"name\":\"bob\"}]";
            assertEquals(both, listIn(ann));
            assertEquals(both, listIn(bob));
            bob.send("42[\"presence:rename\",\"aaron\"]");
            String renamed = "[{\"id\":\"" + bobId + "\",\"name\":\"aaron\"},{\"id\":\"" + annId + "\",\"name\":\"ann\"}]";
            assertEquals(renamed, listIn(ann));
            assertEquals(renamed, listIn(bob));
            bob.abort();
            assertEquals(annOnly, listIn(ann));
            assertEquals(1, presence.members("lobby").join().size());
            ann.send("422[\"presence:join\",{\"room\":\"lobby\",\"name\":\"\"}]");
            assertEquals("{\"error\":\"a presence name has 1 to 64 characters\"}", ann.expect("432").get(0).toString());
        }
    }

    /**
     * A cluster adapter answers fetchSockets when the other nodes have: the join is acked then, and
     * the socket's thread does not wait for it (its next event is handled meanwhile).
     */
    @Test
    void aSlowMemberListDoesNotHoldTheSocketsOtherEvents() throws Exception {
        CompletableFuture<Void> otherNodes = new CompletableFuture<>();
        start(b -> b.adapter(namespace -> new InMemoryAdapter(namespace) {
            @Override
            public CompletableFuture<List<SocketInfo>> fetchSockets(BroadcastOptions options) {
                return otherNodes.thenCompose(answered -> super.fetchSockets(options));
            }
        }));
        Presence.attach(events.sockets());
        events.sockets().onConnection(socket -> socket.on("ping", event -> event.ack("pong")));
        try (RawClient ann = raw()) {
            String annId = ann.connect("/", null);
            ann.send("421[\"presence:join\",{\"room\":\"lobby\",\"name\":\"ann\"}]");
            ann.send("422[\"ping\"]");
            try {
                assertEquals("[\"pong\"]", ann.expect("432").toString()); // while the list is still awaited
            } finally {
                otherNodes.complete(null); // (a socket thread waiting for it would hold the server's close)
            }
            assertJoinAnsweredWithTheList(ann, annId);
        }
    }

    /**
     * Two joins whose lists are taken at nearly the same time: the lists reach the room in the order
     * they were taken, so the last one shows both. Here the member lists are answered newest first;
     * with a push per change, the older list (ann alone) would come last and stay on every page.
     */
    @Test
    void theLastListARoomGetsShowsEveryChange() throws Exception {
        Deque<Runnable> answers = new ConcurrentLinkedDeque<>(); // the list taken now, answered when run
        start(b -> b.adapter(namespace -> new InMemoryAdapter(namespace) {
            @Override
            public CompletableFuture<List<SocketInfo>> fetchSockets(BroadcastOptions options) {
                List<SocketInfo> now = super.fetchSockets(options).join();
                CompletableFuture<List<SocketInfo>> later = new CompletableFuture<>();
                answers.push(() -> later.complete(now));
                return later;
            }
        }));
        Presence presence = Presence.attach(events.sockets());
        BlockingQueue<EventSocket> connected = new LinkedBlockingQueue<>();
        events.sockets().onConnection(connected::add);
        try (RawClient ann = raw(); RawClient bob = raw()) {
            String annId = ann.connect("/", null);
            String bobId = bob.connect("/", null);
            Map<String, EventSocket> sockets = byId(connected, 2);
            CompletableFuture<List<Presence.Member>> annJoined = presence.join(sockets.get(annId), "lobby", "ann");
            CompletableFuture<List<Presence.Member>> bobJoined = presence.join(sockets.get(bobId), "lobby", "bob");
            for (Runnable answer; (answer = answers.poll()) != null; ) {
                answer.run(); // the newest list first
            }
            events.sockets().to("lobby").emit("end");
            String annOnly = "[{\"id\":\"" + annId + "\",\"name\":\"ann\"}]";
            String both = "[{\"id\":\"" + annId + "\",\"name\":\"ann\"},{\"id\":\"" + bobId + "\",\"name\":\"bob\"}]";
            assertEquals(List.of(annOnly, both), listsUntilEnd(ann));
            assertEquals(List.of(annOnly, both), listsUntilEnd(bob));
            assertEquals(1, annJoined.join().size(), "ann's join: the list taken after it");
            assertEquals(2, bobJoined.join().size(), "bob's join: the list taken after it");
        }
    }

    /**
     * A join's lists are pushed once the socket's room subscription is confirmed (the future of the
     * adapter's {@code addAll}: a cluster adapter's subscription to the room, at once in memory), so a
     * list another node pushes meanwhile cannot miss the joiner. Here the confirmation is held: the
     * socket's next event is answered and no list went out before it; the list and the join's ack come
     * once it is confirmed.
     */
    @Test
    void aJoinsListsArePushedOnceTheRoomSubscriptionIsConfirmed() throws Exception {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        AtomicInteger listsTaken = new AtomicInteger();
        start(b -> b.adapter(namespace -> new InMemoryAdapter(namespace) {
            @Override
            public CompletableFuture<Void> addAll(String socketId, Set<String> rooms) {
                CompletableFuture<Void> added = super.addAll(socketId, rooms); // a member at once, as in a cluster
                return rooms.contains("lobby") ? subscribed : added;
            }

            @Override
            public CompletableFuture<List<SocketInfo>> fetchSockets(BroadcastOptions options) {
                listsTaken.incrementAndGet();
                return super.fetchSockets(options);
            }
        }));
        Presence.attach(events.sockets());
        events.sockets().onConnection(socket -> socket.on("ping", event -> event.ack("pong")));
        try (RawClient ann = raw()) {
            String annId = ann.connect("/", null);
            ann.send("421[\"presence:join\",{\"room\":\"lobby\",\"name\":\"ann\"}]");
            ann.send("422[\"ping\"]");
            assertEquals("432[\"pong\"]", ann.nextText(), "nothing before the next event's answer: no list yet");
            assertEquals(0, listsTaken.get(), "no member list taken before the subscription is confirmed");

            subscribed.complete(null);
            assertJoinAnsweredWithTheList(ann, annId);
        }
    }

    /**
     * One push per room at a time, the changes made meanwhile sharing the next: with an adapter that
     * answers at once, the thread that started the push would loop for as long as changes keep coming.
     * Here each list taken brings another change (bob renames himself), {@value #CHURN} times: the
     * thread of the first change pushes exactly {@link Presence#ROUNDS_PER_CALL} lists, the rest go
     * on as the scheduler's actions, and the room's last list shows the last change.
     */
    @Test
    void endlessChangesDoNotKeepOneThreadPushing() throws Exception {
        AtomicReference<Runnable> churn = new AtomicReference<>(() -> { });
        AtomicReference<Thread> starter = new AtomicReference<>();
        AtomicInteger onStarter = new AtomicInteger();
        start(b -> b.adapter(namespace -> new InMemoryAdapter(namespace) {
            @Override
            public CompletableFuture<List<SocketInfo>> fetchSockets(BroadcastOptions options) {
                if (Thread.currentThread() == starter.get()) {
                    onStarter.incrementAndGet();
                }
                CompletableFuture<List<SocketInfo>> list = super.fetchSockets(options);
                churn.get().run(); // a change while this push is under way
                return list;
            }
        }));
        Presence presence = Presence.attach(events.sockets());
        BlockingQueue<EventSocket> connected = new LinkedBlockingQueue<>();
        events.sockets().onConnection(connected::add);
        try (RawClient ann = raw(); RawClient bob = raw()) {
            String annId = ann.connect("/", null);
            String bobId = bob.connect("/", null);
            Map<String, EventSocket> sockets = byId(connected, 2);
            presence.join(sockets.get(annId), "lobby", "ann").get(5, TimeUnit.SECONDS);
            presence.join(sockets.get(bobId), "lobby", "bob").get(5, TimeUnit.SECONDS);
            AtomicInteger renames = new AtomicInteger();
            churn.set(() -> {
                int n = renames.incrementAndGet();
                if (n <= CHURN) {
                    presence.rename(sockets.get(bobId), "bob" + n);
                }
            });

            starter.set(Thread.currentThread());
            presence.rename(sockets.get(annId), "annie"); // the first change: its push starts on this thread
            starter.set(null);
            assertEquals(Presence.ROUNDS_PER_CALL, onStarter.get(), "lists taken by the first change's thread");
            for (int i = 0; i < CHURN && renames.get() <= CHURN; i++) {
                clock.advance(Duration.ZERO); // the scheduler's actions: the pushes handed off
            }
            assertTrue(renames.get() > CHURN, "every change was pushed: " + renames.get());
            events.sockets().to("lobby").emit("end");
            List<String> lists = listsUntilEnd(ann);
            assertEquals("[{\"id\":\"" + annId + "\",\"name\":\"annie\"},{\"id\":\"" + bobId
                    + "\",\"name\":\"bob" + CHURN + "\"}]", lists.get(lists.size() - 1), "the last list: the last change");
        }
    }

    private static final int CHURN = 50;

    /** Ann's {@code presence:join} (ack id 1) answered with the list of her alone, and that list pushed, in either order. */
    private static void assertJoinAnsweredWithTheList(RawClient ann, String annId) throws Exception {
        String annOnly = "[{\"id\":\"" + annId + "\",\"name\":\"ann\"}]";
        Set<String> packets = new HashSet<>(List.of(ann.nextText(), ann.nextText()));
        assertEquals(Set.of("431[{\"room\":\"lobby\",\"members\":" + annOnly + "}]",
                "42[\"presence\",{\"room\":\"lobby\",\"members\":" + annOnly + "}]"), packets);
    }

    /** The next {@code count} sockets that connect, by id. */
    private static Map<String, EventSocket> byId(BlockingQueue<EventSocket> connected, int count) throws Exception {
        Map<String, EventSocket> sockets = new HashMap<>();
        for (int i = 0; i < count; i++) {
            EventSocket socket = connected.poll(5, TimeUnit.SECONDS);
            sockets.put(socket.id(), socket);
        }
        return sockets;
    }

    private static List<String> listsUntilEnd(RawClient peer) throws Exception {
        List<String> lists = new ArrayList<>();
        for (String text; !(text = peer.nextText()).equals("42[\"end\"]"); ) {
            JsonNode event = RawClient.json(text.substring(2));
            assertEquals("presence", event.get(0).asText(), text);
            lists.add(event.get(1).get("members").toString());
        }
        return lists;
    }

    private static String listIn(RawClient peer) throws Exception {
        JsonNode event = peer.expect("42");
        assertEquals("presence", event.get(0).asText());
        assertEquals("lobby", event.get(1).get("room").asText());
        return event.get(1).get("members").toString();
    }
}
