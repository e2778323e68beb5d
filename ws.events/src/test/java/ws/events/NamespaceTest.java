package ws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** socket.io-protocol v5: connecting to namespaces, CONNECT with auth, CONNECT_ERROR, DISCONNECT. */
class NamespaceTest extends EventsFixture {

    @Test
    void theServerAnswersConnectWithASidAndSendsNothingBefore() throws Exception {
        start(b -> b);
        try (RawClient peer = raw()) {
            assertTrue(peer.quietFor(200), "nothing is sent before the client's CONNECT");
            peer.send("40");
            JsonNode answer = peer.expect("40");
            assertEquals(20, answer.get("sid").asText().length());
            assertNotEquals(peer.sid, answer.get("sid").asText(), "the socket id is not the Engine.IO sid");
        }
    }

    @Test
    void eachNamespaceGivesTheSameConnectionADifferentSocketId() throws Exception {
        start(b -> b);
        events.of("/admin");
        try (RawClient peer = raw()) {
            String main = peer.connect("/", null);
            String admin = peer.connect("/admin", null);
            assertNotEquals(main, admin);
        }
    }

    @Test
    void anUnknownNamespaceIsRefusedWithInvalidNamespace() throws Exception {
        start(b -> b);
        try (RawClient peer = raw()) {
            peer.send("40/random,");
            peer.expectExactly("44/random,{\"message\":\"Invalid namespace\"}");
        }
    }

    @Test
    void dynamicNamespacesAreMadeOnFirstUseAndShareTheGroupsHandlers() throws Exception {
        start(b -> b);
        CompletableFuture<String> joined = new CompletableFuture<>();
        events.of(java.util.regex.Pattern.compile("/team-\\d+")).onConnection(socket -> joined.complete(socket.namespace().name()));
        try (RawClient peer = raw()) {
            peer.connect("/team-42", null);
            assertEquals("/team-42", joined.get(30, TimeUnit.SECONDS));
            peer.send("40/team-x,");
            peer.expectExactly("44/team-x,{\"message\":\"Invalid namespace\"}");
        }
    }

    @Test
    void theAuthPayloadReachesTheMiddlewareWhichMayRefuseWithMessageAndData() throws Exception {
        start(b -> b);
        events.of("/secure").use(socket -> {
            if (!"s3cret".equals(socket.handshake().authField("token").orElse(null))) {
                throw new RefusedException("not authorized", Map.of("code", 401));
            }
            socket.data().put("user", "ann");
        });
        CompletableFuture<Object> user = new CompletableFuture<>();
        events.of("/secure").onConnection(socket -> user.complete(socket.data().get("user")));
        try (RawClient peer = raw()) {
            peer.send("40/secure,");
            peer.expectExactly("44/secure,{\"message\":\"not authorized\",\"data\":{\"code\":401}}");
            peer.send("40/secure,{\"token\":\"wrong\"}");
            peer.expectExactly("44/secure,{\"message\":\"not authorized\",\"data\":{\"code\":401}}");
            peer.connect("/secure", "{\"token\":\"s3cret\"}");
            assertEquals("ann", user.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aClientDisconnectLeavesTheNamespaceButKeepsTheConnection() throws Exception {
        start(b -> b);
        CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
        events.of("/chat").onConnection(socket -> socket.onDisconnect(reason::complete));
        try (RawClient peer = raw()) {
            peer.connect("/chat", null);
            peer.send("41/chat,");
            assertEquals(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT, reason.get(30, TimeUnit.SECONDS));
            assertEquals("client namespace disconnect", reason.get().wireName());
            peer.connect("/chat", null);
            assertTrue(!peer.isClosed());
        }
    }

    @Test
    void aServerDisconnectSendsDisconnectAndCloseClosesTheConnection() throws Exception {
        start(b -> b);
        CompletableFuture<EventSocket> connected = new CompletableFuture<>();
        CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
        events.sockets().onConnection(socket -> {
            socket.onDisconnect(reason::complete);
            connected.complete(socket);
        });
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            connected.get(30, TimeUnit.SECONDS).disconnect(false);
            peer.expectExactly("41");
            assertEquals(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, reason.get(30, TimeUnit.SECONDS));
        }
        CompletableFuture<EventSocket> second = new CompletableFuture<>();
        events.of("/b").onConnection(second::complete);
        try (RawClient peer = raw()) {
            peer.connect("/b", null);
            second.get(30, TimeUnit.SECONDS).disconnect(true);
            peer.expectExactly("41/b,");
            peer.awaitClosed();
        }
    }

    @Test
    void theTransportClosingDisconnectsWithTransportClose() throws Exception {
        start(b -> b);
        CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
        events.sockets().onConnection(socket -> socket.onDisconnect(reason::complete));
        RawClient peer = raw();
        peer.connect("/", null);
        peer.abort();
        DisconnectReason why = reason.get(10, TimeUnit.SECONDS);
        assertTrue(why == DisconnectReason.TRANSPORT_CLOSE || why == DisconnectReason.TRANSPORT_ERROR, why.toString());
    }

    @Test
    void aConnectionJoinsAtMostMaxNamespaces() throws Exception {
        start(b -> b.maxNamespacesPerConnection(2));
        events.of(name -> name.startsWith("/n"));
        try (RawClient peer = raw()) {
            peer.connect("/n1", null);
            peer.connect("/n2", null);
            peer.send("40/n3,");
            peer.expectExactly("44/n3,{\"message\":\"Too many namespaces\"}");
            peer.send("41/n2,");
            peer.connect("/n3", null);
        }
    }

    @Test
    void clientsCannotMakeDynamicNamespacesWithoutEnd() throws Exception {
        start(b -> b.maxDynamicNamespaces(3)); // "/" is one
        events.of(name -> name.startsWith("/n"));
        try (RawClient peer = raw()) {
            peer.connect("/n1", null);
            peer.connect("/n2", null);
            peer.send("40/n3,");
            peer.expectExactly("44/n3,{\"message\":\"Invalid namespace\"}");
            peer.send("41/n1,");
            peer.connect("/n1", null); // an existing one is still served
        }
    }

    @Test
    void anAddressOpensAtMostMaxSessions() throws Exception {
        start(b -> b.maxSessionsPerAddress(2));
        try (RawClient first = raw(); RawClient second = raw()) {
            HttpPeer.Response refused = new HttpPeer(port()).get("/socket.io/?EIO=4&transport=polling");
            assertEquals(403, refused.status());
            assertEquals("{\"code\":4,\"message\":\"Forbidden\"}", refused.body());
            first.close();
            long deadline = System.nanoTime() + 10_000_000_000L; // the closed session is forgotten asynchronously
            while (events.connectionCount() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(200, new HttpPeer(port()).get("/socket.io/?EIO=4&transport=polling").status());
        }
    }

    @Test
    void withoutAnyNamespaceTheConnectionClosesAfterTheConnectTimeout() throws Exception {
        start(b -> b.connectTimeout(java.time.Duration.ofSeconds(45)));
        try (RawClient peer = raw()) {
            clock.advance(java.time.Duration.ofSeconds(44));
            assertTrue(!peer.isClosed());
            clock.advance(java.time.Duration.ofSeconds(2));
            peer.awaitClosed();
        }
    }
}
