package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.Hex;
import ws.protocol.Opcode;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;
import ws.protocol.engine.Engines.Feed;

/** RFC 6455 section 5.5.1 (the close frame) and section 7 (closing the connection), both sides. */
@DisplayName("RFC 6455 sections 5.5.1 and 7: closing")
class Rfc6455Section7ClosingTest {

    static final int[] VALID = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999};
    static final int[] INVALID = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};

    static byte[] closePayload(int code, byte[] reason) {
        return Hex.concat(new byte[] {(byte) (code >> 8), (byte) code}, reason);
    }

    @Nested
    @DisplayName("7.4: status codes received")
    class CodesReceived {
        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("valid codes (1000-1003, 1007-1014, 3000-4999) are reported and echoed")
        void valid(Side side, Feed feed) {
            for (int code : VALID) {
                Protocol engine = Engines.open(side);
                feed.feed(engine, Engines.fromPeer(side, 0x88, closePayload(code, "why".getBytes())));
                List<ProtocolEvent> events = engine.events();
                assertEquals(List.of(new ProtocolEvent.CloseReceived(new CloseStatus(code, "why")),
                        new ProtocolEvent.Closed(new CloseStatus(code, "why"))), events, "code " + code);
                List<RecordingHandler.Frame> sent = Engines.sentFrames(engine);
                assertEquals(Opcode.CLOSE, sent.get(0).opcode());
                int expectedEcho = side == Side.SERVER && code == 1010 ? 1000 : code;
                assertEquals(expectedEcho, Engines.closeCode(sent.get(0)), "echo of " + code);
                assertEquals(ProtocolState.CLOSED, engine.state());
            }
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("codes that may not be on the wire (0, 999, 1004-1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535): 1002")
        void invalid(Side side, Feed feed) {
            for (int code : INVALID) {
                Protocol engine = Engines.open(side);
                CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed,
                        Engines.fromPeer(side, 0x88, closePayload(code, new byte[0])), CloseCodes.PROTOCOL_ERROR);
                assertEquals("close code " + code + " may not be sent on the wire", status.reason());
            }
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("an empty close is 1005 (no status) and is echoed with no code")
        void empty(Side side, Feed feed) {
            Protocol engine = Engines.open(side);
            feed.feed(engine, Engines.fromPeer(side, 0x88, new byte[0]));
            assertEquals(List.of(new ProtocolEvent.CloseReceived(new CloseStatus(1005, "")),
                    new ProtocolEvent.Closed(new CloseStatus(1005, ""))), engine.events());
            RecordingHandler.Frame echo = Engines.sentFrames(engine).get(0);
            assertEquals(Opcode.CLOSE, echo.opcode());
            assertEquals(0, echo.payload().length);
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("a 1-byte close payload: 1002")
        void oneByte(Side side, Feed feed) {
            CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(Engines.open(side), feed,
                    Engines.fromPeer(side, 0x88, new byte[] {3}), CloseCodes.PROTOCOL_ERROR);
            assertEquals("close frame payload of 1 byte (a status code needs 2)", status.reason());
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("a reason that is not valid UTF-8: 1007")
        void invalidReason(Side side, Feed feed) {
            Rfc6455Section5_2BaseFramingTest.assertFails(Engines.open(side), feed,
                    Engines.fromPeer(side, 0x88, closePayload(1000, Hex.bytes("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80"))),
                    CloseCodes.INVALID_PAYLOAD);
            Rfc6455Section5_2BaseFramingTest.assertFails(Engines.open(side), feed,
                    Engines.fromPeer(side, 0x88, closePayload(1000, Hex.bytes("41 e2 82"))), CloseCodes.INVALID_PAYLOAD);
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("a close with the longest reason (123 bytes) is accepted; data after the close is ignored")
        void longestReasonAndTrailingData(Side side, Feed feed) {
            Protocol engine = Engines.open(side);
            String reason = "r".repeat(123);
            feed.feed(engine, Hex.concat(Engines.fromPeer(side, 0x88, closePayload(1000, reason.getBytes())),
                    Engines.fromPeer(side, 0x81, "after close")));
            assertEquals(List.of(new ProtocolEvent.CloseReceived(new CloseStatus(1000, reason)),
                    new ProtocolEvent.Closed(new CloseStatus(1000, reason))), engine.events());
        }
    }

    @Nested
    @DisplayName("7.4: status codes sent")
    class CodesSent {
        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("valid codes are sent; 1010 only by a client")
        void valid(Side side) {
            for (int code : VALID) {
                Protocol engine = Engines.open(side);
                if (code == 1010 && side == Side.SERVER) {
                    assertThrows(IllegalArgumentException.class, () -> engine.sendClose(1010, ""));
                    continue;
                }
                engine.sendClose(code, "");
                assertEquals(code, Engines.closeCode(Engines.sentFrames(engine).get(0)));
            }
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("invalid codes are the caller's error: IllegalArgumentException, nothing sent, still open")
        void invalid(Side side) {
            for (int code : INVALID) {
                Protocol engine = Engines.open(side);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.sendClose(code, ""));
                assertTrue(e.getMessage().startsWith("close code " + code), e.getMessage());
                assertEquals(ProtocolState.OPEN, engine.state());
                assertEquals(0, engine.pendingOutputBytes());
            }
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("a reason of 123 UTF-8 bytes is sent; 124 bytes is refused (also when multi-byte characters make it long)")
        void reasonLength(Side side) {
            Protocol engine = Engines.open(side);
            String longest = "é".repeat(61) + "x"; // 123 bytes
            engine.sendClose(1000, longest);
            RecordingHandler.Frame frame = Engines.sentFrames(engine).get(0);
            assertEquals(125, frame.payload().length);
            Protocol other = Engines.open(side);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.sendClose(1000, "é".repeat(62)));
            assertEquals("close reason of 124 UTF-8 bytes > 123", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> other.sendClose(1000, "x".repeat(124)));
            assertEquals(ProtocolState.OPEN, other.state());
        }
    }

    @Nested
    @DisplayName("7.1: the closing handshake")
    class Handshake {
        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("we close first: CLOSE_SENT, data still arrives, then the peer's close ends it with the peer's status")
        void weCloseFirst(Side side, Feed feed) {
            Protocol engine = Engines.open(side);
            assertFalse(engine.closeExpected());
            engine.sendClose(CloseCodes.GOING_AWAY, "shutdown");
            assertEquals(ProtocolState.CLOSE_SENT, engine.state());
            assertTrue(engine.closeExpected());
            RecordingHandler.Frame close = Engines.sentFrames(engine).get(0);
            assertArrayEquals(closePayload(1001, "shutdown".getBytes()), close.payload());

            engine.sendClose(CloseCodes.NORMAL_CLOSURE, "again"); // a no-op once closing
            assertEquals(0, engine.pendingOutputBytes());
            assertThrows(IllegalStateException.class, () -> engine.sendText("nothing after close"));
            assertThrows(IllegalStateException.class, () -> engine.sendBinary(ByteBuffer.allocate(1)));
            assertThrows(IllegalStateException.class, () -> engine.sendPing(ByteBuffer.allocate(1)));

            feed.feed(engine, Engines.fromPeer(side, 0x81, "in flight"));
            assertEquals(List.of(new ProtocolEvent.TextMessage("in flight")), engine.events());
            feed.feed(engine, Engines.fromPeer(side, 0x88, closePayload(1000, new byte[0])));
            assertEquals(List.of(new ProtocolEvent.CloseReceived(new CloseStatus(1000, "")),
                    new ProtocolEvent.Closed(new CloseStatus(1000, ""))), engine.events());
            assertEquals(List.of(), engine.dataToSend(), "no second close frame");
            assertFalse(engine.closeExpected());
            assertEquals(ProtocolState.CLOSED, engine.state());
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("the close timer fires (receiveEof while CLOSE_SENT): 1006, Closed exactly once")
        void peerNeverAnswers(Side side) {
            Protocol engine = Engines.open(side);
            engine.sendClose(CloseCodes.NORMAL_CLOSURE, "");
            engine.receiveEof();
            assertEquals(List.of(new ProtocolEvent.Closed(new CloseStatus(1006, "connection ended without a close frame"))), engine.events());
            engine.receiveEof();
            engine.fail(1011, "late", null);
            engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x81, "x")));
            assertEquals(List.of(), engine.events());
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("7.1.5: the input ends without a close frame: 1006; in the middle of a frame: Failed then Closed, 1006")
        void eof(Side side) {
            Protocol engine = Engines.open(side);
            engine.receiveEof();
            List<ProtocolEvent> events = engine.events();
            assertEquals(1, events.size());
            assertEquals(1006, assertInstanceOf(ProtocolEvent.Closed.class, events.get(0)).status().code());

            Protocol midFrame = Engines.open(side);
            byte[] frame = Engines.fromPeer(side, 0x81, "cut short");
            midFrame.receiveData(ByteBuffer.wrap(frame, 0, frame.length - 2));
            midFrame.receiveEof();
            Engines.assertFailed(midFrame, midFrame.events(), 1006);
            assertEquals(List.of(), midFrame.dataToSend());
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("7.1.7: fail() sends a close frame with the code, ends with Closed carrying the cause; nothing after")
        void failByDriver(Side side) {
            Protocol engine = Engines.open(side);
            RuntimeException cause = new RuntimeException("handler blew up");
            engine.fail(CloseCodes.INTERNAL_ERROR, "handler error", cause);
            assertEquals(List.of(new ProtocolEvent.Closed(new CloseStatus(1011, "handler error", cause))), engine.events());
            RecordingHandler.Frame close = Engines.sentFrames(engine).get(0);
            assertEquals(1011, Engines.closeCode(close));
            assertEquals(ProtocolState.CLOSED, engine.state());
            assertThrows(IllegalStateException.class, () -> engine.sendText("x"));
            engine.sendClose(1000, ""); // no-op once closed
            assertEquals(List.of(), engine.dataToSend());
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("fail() after our close was sent sends no second close frame; a long reason is cut to fit")
        void failAfterClose(Side side) {
            Protocol engine = Engines.open(side);
            engine.sendClose(1000, "");
            engine.dataToSend();
            engine.fail(CloseCodes.POLICY_VIOLATION, "x".repeat(500), null);
            assertEquals(List.of(), engine.dataToSend());
            assertEquals(1008, ((ProtocolEvent.Closed) engine.events().get(0)).status().code());

            Protocol other = Engines.open(side);
            other.fail(CloseCodes.POLICY_VIOLATION, "é".repeat(100), null);
            // 61 two-byte characters fit in 123 bytes; the 62nd would not, and is not cut in half.
            assertEquals(2 + 122, Engines.sentFrames(other).get(0).payload().length);
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("5.5.1 \"as soon as practical\": with the echo held, the application answers the message before the close, then the echo follows")
        void heldEcho(Side side, Feed feed) {
            Protocol engine = Engines.open(side);
            engine.holdClose(true);
            feed.feed(engine, Hex.concat(Engines.fromPeer(side, 0x81, "Hello World!"),
                    Engines.fromPeer(side, 0x88, closePayload(1000, new byte[0])), Engines.fromPeer(side, 0x81, "after")));
            assertEquals(List.of(new ProtocolEvent.TextMessage("Hello World!"), new ProtocolEvent.CloseReceived(new CloseStatus(1000, ""))),
                    engine.events());
            assertEquals(ProtocolState.CLOSE_RECEIVED, engine.state());
            assertFalse(engine.closeExpected());
            assertEquals(List.of(), engine.dataToSend());
            engine.sendText("Hello World!"); // the application's echo
            engine.releaseClose();
            List<RecordingHandler.Frame> sent = Engines.sentFrames(engine);
            assertEquals(List.of(Opcode.TEXT, Opcode.CLOSE), sent.stream().map(RecordingHandler.Frame::opcode).toList());
            assertEquals(1000, Engines.closeCode(sent.get(1)));
            assertEquals(List.of(new ProtocolEvent.Closed(new CloseStatus(1000, ""))), engine.events());
            engine.releaseClose(); // no-op
            assertEquals(List.of(), engine.dataToSend());
            assertThrows(IllegalStateException.class, () -> engine.sendText("too late"));
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("with the echo held: our own sendClose answers instead; an empty close is echoed empty; EOF ends with the peer's status")
        void heldEchoAlternatives(Side side) {
            Protocol engine = Engines.open(side);
            engine.holdClose(true);
            engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x88, closePayload(4000, "bye".getBytes()))));
            engine.events();
            engine.sendClose(1001, "going");
            assertEquals(1001, Engines.closeCode(Engines.sentFrames(engine).get(0)));
            assertEquals(List.of(new ProtocolEvent.Closed(new CloseStatus(4000, "bye"))), engine.events());

            Protocol empty = Engines.open(side);
            empty.holdClose(true);
            empty.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x88, new byte[0])));
            empty.releaseClose();
            assertEquals(0, Engines.sentFrames(empty).get(0).payload().length);

            Protocol eof = Engines.open(side);
            eof.holdClose(true);
            eof.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x88, closePayload(1000, new byte[0]))));
            eof.receiveEof();
            List<ProtocolEvent> events = eof.events();
            assertEquals(new ProtocolEvent.Closed(new CloseStatus(1000, "")), events.get(events.size() - 1));

            Protocol failed = Engines.open(side);
            failed.holdClose(true);
            failed.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x88, closePayload(1000, new byte[0]))));
            failed.fail(CloseCodes.INTERNAL_ERROR, "handler", null);
            assertEquals(1011, Engines.closeCode(Engines.sentFrames(failed).get(0)));
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("7.1.7 with the close held: Failed at once, input no longer read, the answer to the earlier message, then our 1002")
        void heldFailure(Side side, Feed feed) {
            Protocol engine = Engines.open(side);
            engine.holdClose(true);
            feed.feed(engine, Hex.concat(Engines.fromPeer(side, 0x81, "Hello"), Engines.fromPeer(side, 0x83, "reserved"),
                    Engines.fromPeer(side, 0x81, "ignored")));
            List<ProtocolEvent> events = engine.events();
            assertEquals(new ProtocolEvent.TextMessage("Hello"), events.get(0));
            assertEquals(1002, assertInstanceOf(ProtocolEvent.Failed.class, events.get(1)).status().code());
            assertEquals(2, events.size());
            assertEquals(ProtocolState.CLOSE_RECEIVED, engine.state());
            engine.sendText("Hello");
            engine.fail(CloseCodes.INTERNAL_ERROR, "a handler threw meanwhile", null); // the peer's error stays the one reported
            List<RecordingHandler.Frame> sent = Engines.sentFrames(engine);
            assertEquals(List.of(Opcode.TEXT, Opcode.CLOSE), sent.stream().map(RecordingHandler.Frame::opcode).toList());
            assertEquals(1002, Engines.closeCode(sent.get(1)));
            assertEquals(1002, assertInstanceOf(ProtocolEvent.Closed.class, engine.events().get(0)).status().code());
        }

        @Test
        @DisplayName("a client-only code (1010) is refused by fail() on a server, which changes nothing")
        void failWithUnsendableCode() {
            Protocol engine = Engines.open(Side.SERVER);
            assertThrows(IllegalArgumentException.class, () -> engine.fail(1010, "", null));
            assertThrows(IllegalArgumentException.class, () -> engine.fail(1006, "", null));
            assertEquals(ProtocolState.OPEN, engine.state());
            assertEquals(List.of(), engine.events());
        }
    }
}
