package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.Hex;
import ws.protocol.Side;
import ws.protocol.engine.Engines.Feed;

/**
 * RFC 6455 section 8.1: a text message must be valid UTF-8, checked as the bytes arrive (a message
 * fails at the fragment that makes it invalid, not at its end), across fragment boundaries that may
 * split a character anywhere.
 */
@DisplayName("RFC 6455 section 8.1: UTF-8 in text messages")
class Rfc6455Section8_1Utf8Test {

    static final String VALID_HEX = "ce ba e1 bd b9 cf 83 ce bc ce b5 f0 9f 98 80 24"; // "κόσμε😀$"
    static final String VALID_TEXT = new String(Hex.bytes(VALID_HEX), StandardCharsets.UTF_8);

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("valid text split into two fragments at every byte position arrives whole")
    void validSplitEverywhere(Side side, Feed feed) {
        byte[] bytes = Hex.bytes(VALID_HEX);
        for (int split = 0; split <= bytes.length; split++) {
            Protocol engine = Engines.open(side);
            feed.feed(engine, Hex.concat(
                    Engines.fromPeer(side, 0x01, java.util.Arrays.copyOfRange(bytes, 0, split)),
                    Engines.fromPeer(side, 0x80, java.util.Arrays.copyOfRange(bytes, split, bytes.length))));
            assertEquals(List.of(new ProtocolEvent.TextMessage(VALID_TEXT)), engine.events(), "split at " + split);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("invalid text (a surrogate, F4 90, an overlong, a stray continuation, F5) split at every position: 1007")
    void invalidSplitEverywhere(Side side, Feed feed) {
        for (String hex : new String[] {"ce ba ed a0 80 41", "f4 90 80 80", "c0 af", "41 80 41", "f5 41"}) {
            byte[] bytes = Hex.bytes(hex);
            for (int split = 0; split <= bytes.length; split++) {
                Protocol engine = Engines.open(side);
                CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed, Hex.concat(
                        Engines.fromPeer(side, 0x01, java.util.Arrays.copyOfRange(bytes, 0, split)),
                        Engines.fromPeer(side, 0x80, java.util.Arrays.copyOfRange(bytes, split, bytes.length))),
                        CloseCodes.INVALID_PAYLOAD);
                assertTrue(status.reason().startsWith("invalid UTF-8 in a text message"), status.reason());
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("fail fast: the first fragment's invalid byte fails the connection before the message ends")
    void failFast(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        feed.feed(engine, Engines.fromPeer(side, 0x01, Hex.bytes("48 65 f4 90")));
        CloseStatus status = Engines.assertFailed(engine, engine.events(), CloseCodes.INVALID_PAYLOAD);
        assertEquals("invalid UTF-8 in a text message: byte 0x90 at offset 3", status.reason());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("a message that ends inside a character: 1007 at its final frame")
    void truncatedAtEnd(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed,
                Hex.concat(Engines.fromPeer(side, 0x01, Hex.bytes("41 f0 9f")), Engines.fromPeer(side, 0x80, Hex.bytes("98"))),
                CloseCodes.INVALID_PAYLOAD);
        assertEquals("text message ends inside a UTF-8 sequence (byte 4)", status.reason());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("binary messages are not checked")
    void binaryNotChecked(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        feed.feed(engine, Engines.fromPeer(side, 0x82, Hex.bytes("ff fe ed a0 80")));
        assertEquals(1, Engines.only(engine.events(), ProtocolEvent.BinaryMessage.class).size());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("sending: a character split across two text parts is sent whole; an unpaired surrogate is the caller's error")
    void sendingSurrogates(Side side) {
        Protocol engine = Engines.open(side);
        String emoji = "😀"; // a surrogate pair
        engine.sendText("a" + emoji.charAt(0), false);
        engine.sendText(emoji.charAt(1) + "b", true);
        var frames = Engines.sentFrames(engine);
        assertEquals("a", frames.get(0).text());
        assertEquals(emoji + "b", frames.get(1).text());

        assertThrows(IllegalArgumentException.class, () -> engine.sendText("x\uD800y"));
        assertThrows(IllegalArgumentException.class, () -> engine.sendText("\uDC00"));
        engine.sendText("\uD83D", false);
        assertThrows(IllegalArgumentException.class, () -> engine.sendText("", true), "the parts together must be valid");
        assertThrows(IllegalArgumentException.class, () -> engine.sendText("z", true));
        engine.sendText("\uDE00", true);
        frames = Engines.sentFrames(engine);
        assertEquals(2, frames.size());
        assertEquals("", frames.get(0).text());
        assertEquals(emoji, frames.get(1).text());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("sending: a text of every UTF-8 width (1 to 4 bytes) arrives whole, at every header length, masked by a client")
    void sendingEveryWidth(Side side) {
        Protocol engine = Engines.open(side);
        String mixed = "a\u00e9\u20ac\uD83D\uDE00"; // 1, 2, 3 and 4 bytes: 10 bytes
        java.util.List<String> texts = java.util.List.of(mixed, "", mixed.repeat(13), // 130 bytes: a 16-bit length
                "x".repeat(16383), "x".repeat(16384), mixed.repeat(7000)); // around the 16 KiB copy limit, and a 64-bit length
        for (String text : texts) {
            engine.sendText(text);
        }
        var frames = Engines.sentFrames(engine);
        assertEquals(texts.size(), frames.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), frames.get(i).text(), "text " + i);
        }
    }
}
