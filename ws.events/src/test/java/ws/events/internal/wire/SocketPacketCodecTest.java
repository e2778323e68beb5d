package ws.events.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** socket.io-protocol v5, "Packet encoding" and its examples. */
class SocketPacketCodecTest {
    private final SocketPacketDecoder decoder = new SocketPacketDecoder(WireLimits.DEFAULTS);

    private static JsonNode json(String text) {
        return WireJson.read(text, 100);
    }

    private static ArrayNode array(String text) {
        return (ArrayNode) json(text);
    }

    private static String encodeText(SocketPacket packet) {
        EncodedPacket encoded = SocketPacketEncoder.encode(packet);
        assertTrue(encoded.attachments().isEmpty());
        return encoded.text();
    }

    @Nested
    class Encoding {
        @Test
        void connectToTheMainNamespaceAndItsAnswer() {
            assertEquals("0", encodeText(SocketPacket.connect("/", null)));
            assertEquals("0{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}",
                    encodeText(SocketPacket.connect("/", json("{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}"))));
        }

        @Test
        void anotherNamespaceIsFollowedByAComma() {
            assertEquals("0/admin,{\"token\":\"123\"}", encodeText(SocketPacket.connect("/admin", json("{\"token\":\"123\"}"))));
            assertEquals("1/admin,", encodeText(SocketPacket.disconnect("/admin")));
            assertEquals("4/admin,{\"message\":\"Not authorized\"}",
                    encodeText(SocketPacket.connectError("/admin", json("{\"message\":\"Not authorized\"}"))));
        }

        @Test
        void eventsAndAcksCarryTheirAckIdBeforeThePayload() {
            assertEquals("2[\"foo\"]", encodeText(SocketPacket.event("/", array("[\"foo\"]"), SocketPacket.NO_ACK)));
            assertEquals("2/admin,12[\"bar\"]", encodeText(SocketPacket.event("/admin", array("[\"bar\"]"), 12)));
            assertEquals("3/admin,13[\"bar\"]", encodeText(SocketPacket.ack("/admin", 13, array("[\"bar\"]"))));
        }

        @Test
        void binaryAnywhereBecomesPlaceholdersAndAttachmentsInDocumentOrder() {
            ArrayNode data = array("[\"baz\",{\"nested\":[null]}]");
            data.insert(1, new byte[] {1, 2, 3});
            ((ArrayNode) data.get(2).get("nested")).set(0, WireJson.NODES.binaryNode(new byte[] {4}));

            EncodedPacket encoded = SocketPacketEncoder.encode(SocketPacket.event("/", data, SocketPacket.NO_ACK));

            assertEquals("52-[\"baz\",{\"_placeholder\":true,\"num\":0},{\"nested\":[{\"_placeholder\":true,\"num\":1}]}]",
                    encoded.text());
            assertEquals(2, encoded.attachments().size());
            assertArrayEquals(new byte[] {1, 2, 3}, encoded.attachments().get(0));
            assertArrayEquals(new byte[] {4}, encoded.attachments().get(1));
            assertTrue(data.get(1).isBinary(), "the caller's tree is left as it was");
            assertEquals(3, encoded.enginePackets().size());
        }

        @Test
        void aBinaryAckInANamespace() {
            ArrayNode data = WireJson.NODES.arrayNode().add(new byte[] {9});
            assertEquals("61-/admin,15[{\"_placeholder\":true,\"num\":0}]",
                    SocketPacketEncoder.encode(SocketPacket.ack("/admin", 15, data)).text());
        }
    }

    @Nested
    class Decoding {
        @Test
        void everyPartIsRead() {
            SocketPacket packet = decoder.decodeText("2/admin,12[\"bar\",{\"a\":1}]");
            assertEquals(PacketType.EVENT, packet.type());
            assertEquals("/admin", packet.namespace());
            assertEquals(12, packet.ackId());
            assertEquals("bar", packet.eventName());
            assertEquals(1, packet.data().get(1).get("a").intValue());
        }

        @Test
        void defaultsAreTheMainNamespaceAndNoAck() {
            SocketPacket packet = decoder.decodeText("0");
            assertEquals(PacketType.CONNECT, packet.type());
            assertEquals("/", packet.namespace());
            assertFalse(packet.hasAckId());
            assertNull(packet.data());
            assertEquals("/chat", decoder.decodeText("1/chat,").namespace());
            assertEquals("/chat", decoder.decodeText("1/chat").namespace());
        }

        @Test
        void aBinaryEventIsCompleteAfterItsAttachments() throws Exception {
            assertNull(decoder.decodeText("52-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"));
            assertTrue(decoder.awaitingAttachments());
            assertNull(decoder.decodeBinary(new byte[] {1}));
            SocketPacket packet = decoder.decodeBinary(new byte[] {2, 3});
            assertEquals(PacketType.BINARY_EVENT, packet.type());
            assertArrayEquals(new byte[] {1}, packet.data().get(1).binaryValue());
            assertArrayEquals(new byte[] {2, 3}, packet.data().get(2).binaryValue());
            assertFalse(decoder.awaitingAttachments());
        }

        @Test
        void encodeThenDecodeGivesThePacketBack() {
            ArrayNode data = array("[\"file\",\"name\"]").add(new byte[] {7, 7});
            EncodedPacket encoded = SocketPacketEncoder.encode(SocketPacket.event("/files", data, 42));
            assertNull(decoder.decodeText(encoded.text()));
            SocketPacket back = decoder.decodeBinary(encoded.attachments().get(0));
            assertEquals("/files", back.namespace());
            assertEquals(42, back.ackId());
            assertEquals(data, back.data());
        }
    }

    @Nested
    class MalformedPackets {
        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {
                "", "7", "a", "4abc", "2", "2{}", "2[]", "2[{}]", "2[\"connect\"]", "2[\"disconnect\",1]",
                "3{}", "1{}", "0[]", "0\"x\"", "2[\"a\"", "2[\"a\"]x", "2[\"a\"][1]", "5[\"a\"]", "5x-[\"a\"]",
                "5-[\"a\"]", "50-[\"a\"]", "60-[]", "2/admin,99999999999999999[\"a\"]", "21-[\"a\",{\"_placeholder\":true,\"num\":0}]"})
        void areRefused(String text) {
            assertThrows(WireFormatException.class, () -> decoder.decodeText(text));
            assertFalse(decoder.awaitingAttachments());
        }

        @Test
        void nestingDeeperThanTheLimitIsRefusedBeforeATreeIsBuilt() {
            String deep = "2[\"echo\"," + "[".repeat(100_000) + "]".repeat(100_000) + "]";
            WireFormatException e = assertThrows(WireFormatException.class,
                    () -> new SocketPacketDecoder(new WireLimits(10_000_000, 32, 10)).decodeText(deep));
            assertTrue(e.getMessage().contains("nesting"), e.getMessage());
        }

        @Test
        void moreAttachmentsThanTheLimitAreRefusedBeforeAnyArrives() {
            WireFormatException e = assertThrows(WireFormatException.class, () -> decoder.decodeText("511-[\"a\"]"));
            assertEquals("11 attachments > limit 10", e.getMessage());
        }

        @Test
        void aPacketLargerThanTheLimitIsRefused() {
            SocketPacketDecoder small = new SocketPacketDecoder(new WireLimits(16, 32, 10));
            assertThrows(WireFormatException.class, () -> small.decodeText("2[\"" + "x".repeat(20) + "\"]"));
        }

        @Test
        void aPlaceholderOutOfRangeIsRefused() {
            assertNull(decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":1}]"));
            assertThrows(WireFormatException.class, () -> decoder.decodeBinary(new byte[] {1}));
            assertFalse(decoder.awaitingAttachments());
        }

        @Test
        void textWhileAttachmentsAreDueAndBinaryWhenNoneAreDueAreRefused() {
            assertThrows(WireFormatException.class, () -> decoder.decodeBinary(new byte[] {1}));
            assertNull(decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]"));
            assertThrows(WireFormatException.class, () -> decoder.decodeText("2[\"b\"]"));
            assertFalse(decoder.awaitingAttachments());
            assertEquals("b", decoder.decodeText("2[\"b\"]").eventName());
        }

        @Test
        void arbitraryInputEitherDecodesOrIsRefusedWithAWireFormatException() {
            String alphabet = "0123456789-/,[]{}\":_placeholdertruenum ab\\\u00e9";
            java.util.Random random = new java.util.Random(7);
            for (int run = 0; run < 20_000; run++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(40);
                for (int i = 0; i < length; i++) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                SocketPacketDecoder fresh = new SocketPacketDecoder(WireLimits.DEFAULTS);
                try {
                    if (fresh.decodeText(text.toString()) == null) {
                        fresh.decodeBinary(new byte[] {1});
                    }
                } catch (WireFormatException expected) {
                    // refused, with a message
                    assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
                }
            }
        }

        @Test
        void aNumberBeyondADoublesRangeIsAParseErrorNotAnInfinityRelayedAsAString() {
            // found by the socketPacket fuzz target: 1e400 read as Infinity, re-encoded as "Infinity"
            WireFormatException refused = assertThrows(WireFormatException.class,
                    () -> decoder.decodeText("2[\"n\",1e400]"));
            assertTrue(refused.getMessage().contains("beyond the range of a double"), refused.getMessage());
            assertThrows(WireFormatException.class, () -> decoder.decodeText("2[\"n\",{\"x\":-1e999}]"));
            JsonNode data = decoder.decodeText("2[\"n\",1e300,-0.0,0.1]").data();
            assertEquals("[\"n\",1.0E300,-0.0,0.1]", SocketPacketEncoder.encode(
                    SocketPacket.event("/", (ArrayNode) data, SocketPacket.NO_ACK)).text().substring(1));
        }

        @Test
        void theLargestAckIdIsJavaScriptsLargestSafeInteger() {
            assertEquals(SocketPacketDecoder.MAX_ACK_ID, decoder.decodeText("29007199254740991[\"a\"]").ackId());
            assertThrows(WireFormatException.class, () -> decoder.decodeText("29007199254740992[\"a\"]"));
        }

        @Test
        void numericEventNamesAreAllowedAsTheParserDoes() {
            assertEquals(PacketType.EVENT, decoder.decodeText("2[1,\"x\"]").type());
            ObjectNode node = (ObjectNode) decoder.decodeText("0{\"token\":\"abc\"}").data();
            assertEquals("abc", node.get("token").asText());
        }
    }
}
