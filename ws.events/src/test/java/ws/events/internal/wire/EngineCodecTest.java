package ws.events.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** engine.io-protocol v4, "Packet encoding". */
class EngineCodecTest {

    @Nested
    class OverWebSocket {
        @Test
        void aTextPacketIsItsTypeDigitThenItsData() {
            assertEquals("4hello", EngineCodec.encodeText(EnginePacket.message("hello")));
            assertEquals("2", EngineCodec.encodeText(EnginePacket.ping()));
            assertEquals("3probe", EngineCodec.encodeText(EnginePacket.of(EnginePacketType.PONG, "probe")));
            assertEquals("6", EngineCodec.encodeText(EnginePacket.noop()));
            assertEquals("0{\"sid\":\"x\"}", EngineCodec.encodeText(EnginePacket.open("{\"sid\":\"x\"}")));
        }

        @Test
        void textFramesDecodeToTypedPackets() {
            assertEquals(EnginePacket.message("hello"), EngineCodec.decodeText("4hello"));
            assertEquals(EnginePacket.message(""), EngineCodec.decodeText("4"));
            EnginePacket probe = EngineCodec.decodeText("2probe");
            assertEquals(EnginePacketType.PING, probe.type());
            assertTrue(probe.isProbe());
            assertEquals(EnginePacket.upgrade(), EngineCodec.decodeText("5"));
        }

        @Test
        void aBinaryFrameIsABinaryMessageWithNoTypePrefix() {
            EnginePacket packet = EngineCodec.decodeBinary(new byte[] {1, 2, 3});
            assertEquals(EnginePacketType.MESSAGE, packet.type());
            assertArrayEquals(new byte[] {1, 2, 3}, packet.binary());
            assertThrows(IllegalArgumentException.class, () -> EngineCodec.encodeText(packet));
        }

        @Test
        void anEmptyFrameOrAnUnknownTypeIsMalformed() {
            assertThrows(WireFormatException.class, () -> EngineCodec.decodeText(""));
            WireFormatException e = assertThrows(WireFormatException.class, () -> EngineCodec.decodeText("7x"));
            assertEquals("Engine.IO packet type must be a digit 0-6, got '7'", e.getMessage());
            assertThrows(WireFormatException.class, () -> EngineCodec.decodeText("abc"));
        }
    }

    @Nested
    class OverLongPolling {
        @Test
        void packetsAreSeparatedByTheRecordSeparatorAndBinaryIsBase64WithB() {
            String payload = EngineCodec.encodePayload(List.of(
                    EnginePacket.message("hello"), EnginePacket.message(new byte[] {1, 2, 3, 4}), EnginePacket.ping()));
            assertEquals("4hello\u001ebAQIDBA==\u001e2", payload);
        }

        @Test
        void aPayloadDecodesToItsPackets() {
            List<EnginePacket> packets = EngineCodec.decodePayload("4hello\u001ebAQIDBA==\u001e3", 16);
            assertEquals(3, packets.size());
            assertEquals(EnginePacket.message("hello"), packets.get(0));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, packets.get(1).binary());
            assertEquals(EnginePacket.pong(), packets.get(2));
        }

        @Test
        void textMayHoldAnyUnicodeButNotTheSeparator() {
            String text = "€ 漢字 😀";
            List<EnginePacket> packets = EngineCodec.decodePayload(
                    EngineCodec.encodePayload(List.of(EnginePacket.message(text))), 1);
            assertEquals(text, packets.get(0).text());
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, packets.get(0).dataLength());
        }

        @Test
        void arbitraryPayloadsEitherDecodeOrAreRefusedWithAWireFormatException() {
            String alphabet = "0123456789b\u001eAQID=+/x";
            java.util.Random random = new java.util.Random(11);
            for (int run = 0; run < 20_000; run++) {
                StringBuilder payload = new StringBuilder();
                int length = random.nextInt(30);
                for (int i = 0; i < length; i++) {
                    payload.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                try {
                    EngineCodec.decodePayload(payload.toString(), 8);
                } catch (WireFormatException expected) {
                    assertTrue(expected.getMessage() != null);
                }
            }
        }

        @Test
        void theDataLengthIsTheUtf8LengthCountedWithoutEncoding() {
            for (String text : new String[] {"", "a", "é", "€", "😀", "a€😀é", "\ud800x", "x\udc00"}) {
                assertEquals(text.getBytes(StandardCharsets.UTF_8).length, EnginePacket.message(text).dataLength(), text);
            }
        }

        @Test
        void emptyPacketsBadBase64AndTooManyPacketsAreMalformed() {
            assertThrows(WireFormatException.class, () -> EngineCodec.decodePayload("", 4));
            assertThrows(WireFormatException.class, () -> EngineCodec.decodePayload("4a\u001e\u001e4b", 4));
            assertThrows(WireFormatException.class, () -> EngineCodec.decodePayload("4a\u001e", 4));
            assertThrows(WireFormatException.class, () -> EngineCodec.decodePayload("b!!!", 4));
            WireFormatException e = assertThrows(WireFormatException.class,
                    () -> EngineCodec.decodePayload("4a\u001e4b\u001e4c", 2));
            assertEquals("a payload holds at most 2 packets", e.getMessage());
        }
    }
}
