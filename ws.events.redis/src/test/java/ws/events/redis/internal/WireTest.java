package ws.events.redis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ws.events.spi.BroadcastOptions;

/**
 * The messages of @socket.io/redis-adapter as its encoder (notepack.io) writes them: the byte
 * vectors here were produced by notepack.io 3 in Node, and ours decode to the same values.
 */
class WireTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // notepack.encode(["abc", {type: 2, data: ["ev", Buffer.from([1, 2]), 1.5, -3, null], nsp: "/chat"},
    //                  {rooms: ["r"], except: ["x"], flags: {volatile: true}}])
    private static final String NODE_BROADCAST = "93a361626383a47479706502a46461746195a26576c4020102cb3ff8000000000000fdc0"
            + "a36e7370a52f6368617483a5726f6f6d7391a172a665786365707491a178a5666c61677381a8766f6c6174696c65c3";
    // notepack.encode({uid: "u", requestId: "q", type: 9, packet: "hi"})
    private static final String NODE_ACK = "84a3756964a175a9726571756573744964a171a47479706509a67061636b6574a26869";

    @Test
    void aBroadcastFromANodeServerDecodesToItsEventSelectionAndFlags() {
        Wire.Broadcast broadcast = Wire.broadcast(HexFormat.of().parseHex(NODE_BROADCAST));

        assertEquals("abc", broadcast.uid());
        assertEquals("/chat", broadcast.nsp());
        assertEquals("ev", broadcast.data().get(0).textValue());
        assertArrayEquals(new byte[] {1, 2}, ((com.fasterxml.jackson.databind.node.BinaryNode) broadcast.data().get(1)).binaryValue());
        assertEquals(1.5, broadcast.data().get(2).doubleValue());
        assertEquals(-3, broadcast.data().get(3).intValue());
        assertTrue(broadcast.data().get(4).isNull());
        assertEquals(new BroadcastOptions(Set.of("r"), Set.of("x"), true, true), broadcast.options());
    }

    @Test
    void ourBroadcastIsWhatANodeServerReads() {
        ArrayNode data = NODES.arrayNode().add("ev").add(NODES.binaryNode(new byte[] {1, 2})).add(1.5).add(-3).addNull();
        byte[] ours = Wire.broadcast("abc", "/chat", data, new BroadcastOptions(Set.of("r"), Set.of("x"), true, false), null);

        assertEquals(MsgPack.decode(HexFormat.of().parseHex(NODE_BROADCAST)), MsgPack.decode(ours));
    }

    @Test
    void requestsAreJsonOrMessagePackByTheirFirstByte() {
        JsonNode ack = Wire.object(HexFormat.of().parseHex(NODE_ACK));
        assertEquals(Wire.BROADCAST_ACK, ack.get("type").intValue());
        assertEquals("hi", ack.get("packet").textValue());

        JsonNode join = Wire.object(Wire.json(Wire.socketsRequest("u", Wire.REMOTE_JOIN,
                new BroadcastOptions(Set.of("a"), Set.of(), false, false), Set.of("b"), false)));
        assertEquals("{\"uid\":\"u\",\"type\":2,\"opts\":{\"rooms\":[\"a\"],\"except\":[]},\"rooms\":[\"b\"]}", join.toString());
    }

    @Test
    void aBroadcastWithAcksCarriesItsTimeout() {
        JsonNode request = Wire.object(Wire.broadcastWithAck("u", "q", "/", NODES.arrayNode().add("poll"),
                BroadcastOptions.all(), Duration.ofSeconds(3)));

        assertEquals(Wire.BROADCAST, request.get("type").intValue());
        assertEquals(3000, request.at("/opts/flags/timeout").longValue());
        assertEquals("poll", Wire.eventData(request.get("packet")).get(0).textValue());
    }

    @Test
    void valuesSurviveARoundTrip() {
        JsonNode tree = NODES.objectNode().put("big", new BigInteger("18446744073709551615")).put("long", Long.MIN_VALUE)
                .put("text", "héllo ✓").put("yes", true).set("nested", NODES.arrayNode().add(NODES.objectNode()));

        assertEquals(tree, MsgPack.decode(MsgPack.encode(tree)));
    }

    @Test
    void malformedOrHostileBytesAreRefused() {
        ArrayNode deep = NODES.arrayNode();
        ArrayNode inner = deep;
        for (int i = 0; i < MsgPack.MAX_DEPTH + 5; i++) {
            inner = inner.addArray();
        }
        byte[] tooDeep = MsgPack.encode(deep);
        assertThrows(IllegalArgumentException.class, () -> MsgPack.decode(tooDeep));
        assertThrows(IllegalArgumentException.class, () -> MsgPack.decode(new byte[] {(byte) 0x92, 1}), "truncated");
        assertThrows(IllegalArgumentException.class, () -> MsgPack.decode(new byte[] {1, 2}), "trailing bytes");
        assertThrows(IllegalArgumentException.class, () -> MsgPack.decode(new byte[] {(byte) 0xdd, 0x7f, -1, -1, -1}),
                "an array header claiming 2^31 elements");
        assertThrows(IllegalArgumentException.class, () -> Wire.object("{not json".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> Wire.broadcast(MsgPack.encode(NODES.arrayNode().add("u"))));
        assertThrows(IllegalArgumentException.class, () -> Wire.broadcast(Wire.json(NODES.objectNode())));
    }

    @Test
    void theSendersUidIsReadFromTheHeaderOfEitherShape() {
        assertEquals("abc", MsgPack.senderUid(HexFormat.of().parseHex(NODE_BROADCAST)), "a pub/sub broadcast [uid, ...]");
        assertEquals("u", MsgPack.senderUid(HexFormat.of().parseHex(NODE_ACK)), "a request {uid, ...}");
        // the sharded mode's messages as socket.io-adapter builds them: {type, data, uid, nsp}, uid not first
        JsonNode sharded = NODES.objectNode().put("type", 3).set("data", NODES.objectNode().put("uid", "inner"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) sharded).put("uid", "n1").put("nsp", "/");
        assertEquals("n1", MsgPack.senderUid(MsgPack.encode(sharded)));
        assertEquals("n2", MsgPack.senderUid(ShardedAdapter.broadcast("n2", "/", NODES.arrayNode().add("ev"),
                BroadcastOptions.all(), "o1")), "ours");
        assertEquals(null, MsgPack.senderUid(Wire.json(NODES.objectNode().put("uid", "j"))), "JSON: decoded in full");
        assertEquals(null, MsgPack.senderUid(new byte[] {(byte) 0x92}), "truncated");
        assertEquals(null, MsgPack.senderUid(MsgPack.encode(NODES.objectNode().put("uid", 7))), "not a string");
        assertEquals(null, MsgPack.senderUid(new byte[0]));
    }

    @Test
    void anEncodedArrayIsWrittenAsTheArrayOrWithOneMoreString() {
        ArrayNode data = NODES.arrayNode().add("ev").add(NODES.binaryNode(new byte[] {1, 2})).add(1.5)
                .add(NODES.objectNode().put("k", "v"));
        MsgPack.EncodedArray encoded = MsgPack.EncodedArray.of(data);
        BroadcastOptions options = new BroadcastOptions(Set.of("r"), Set.of(), false, false);

        assertArrayEquals(Wire.broadcast("u", "/", data, options, "o1"), Wire.broadcast("u", "/", encoded.node(), options, "o1"));
        assertArrayEquals(ShardedAdapter.broadcast("u", "/", data, options, "o1"),
                ShardedAdapter.broadcast("u", "/", encoded.node(), options, "o1"));
        ArrayNode logged = data.deepCopy().add("o1"); // what the stream keeps: the offset as the last argument
        assertArrayEquals(MsgPack.encode(logged), MsgPack.encode(encoded.plus("o1").node()));
    }

    @Test
    void channelsAreNamedAsTheNpmAdapterNamesThem() {
        Channels channels = Channels.of("socket.io", "/chat", "u1");

        assertEquals("socket.io#/chat#", channels.broadcastChannel(Set.of()));
        assertEquals("socket.io#/chat#room#", channels.broadcastChannel(Set.of("room")));
        assertEquals("socket.io#/chat#", channels.broadcastChannel(Set.of("a", "b")));
        assertEquals("socket.io#/chat#*", channels.broadcastPattern());
        assertEquals("socket.io-request#/chat#", channels.request());
        assertEquals("socket.io-response#/chat#", channels.response());
        assertEquals("socket.io-response#/chat#u1#", channels.specificResponse());
        assertEquals("room", channels.roomOf("socket.io#/chat#room#"));
        assertEquals("", channels.roomOf("socket.io#/chat#"));
        assertEquals(null, channels.roomOf("socket.io#/other#"));
    }
}
