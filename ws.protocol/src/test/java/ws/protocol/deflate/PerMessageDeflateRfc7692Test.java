package ws.protocol.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.CloseCodes;
import ws.protocol.Opcode;
import ws.protocol.Side;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;
import ws.protocol.extension.ExtensionFactory;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.internal.deflate.Bomb;
import ws.protocol.internal.deflate.Corpus;
import ws.protocol.internal.deflate.PerMessageDeflateExtension;
import ws.protocol.internal.deflate.WindowCheck;

/** permessage-deflate (RFC 7692), grouped by section: negotiation, compression, the section 7.2.3 examples. */
class PerMessageDeflateRfc7692Test {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final PerMessageDeflate DEFAULT = new PerMessageDeflate();
    private static final PerMessageDeflate NO_THRESHOLD = PerMessageDeflate.builder().threshold(0).build();

    // ---- helpers -------------------------------------------------------------------------------

    /** A test-only header element parser: {@code permessage-deflate; a=1; b} (no quoting). */
    static ExtensionParameters ext(String element) {
        String[] parts = element.split(";");
        ExtensionParameters e = new ExtensionParameters(parts[0].trim());
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            e = eq < 0 ? e.with(p, null) : e.with(p.substring(0, eq), p.substring(eq + 1));
        }
        return e;
    }

    static List<ExtensionParameters> exts(String... elements) {
        return Arrays.stream(elements).map(PerMessageDeflateRfc7692Test::ext).toList();
    }

    static Optional<String> serverResponse(PerMessageDeflate factory, String... offers) {
        Optional<Extension> e = factory.acceptOffer(exts(offers));
        e.ifPresent(Extension::close);
        return e.map(x -> x.parameters().format());
    }

    static PerMessageDeflateExtension internal(Extension e) {
        return (PerMessageDeflateExtension) e;
    }

    /** Negotiates a client and a server through offers and response, both with their own factory. */
    record Pair(Extension client, Extension server) implements AutoCloseable {
        static Pair of(PerMessageDeflate clientFactory, PerMessageDeflate serverFactory) throws ExtensionException {
            Extension server = serverFactory.acceptOffer(clientFactory.offers()).orElseThrow();
            Extension client = clientFactory.acceptResponse(server.parameters());
            return new Pair(client, server);
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    static String hex(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return HEX.formatHex(a);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    /** Sends one message from one extension to the other in {@code fragments} frames; returns the frames. */
    static List<Extension.EncodedFrame> send(Extension from, byte[] message, int fragments) {
        List<Extension.EncodedFrame> frames = new ArrayList<>();
        int step = Math.max(1, (message.length + fragments - 1) / fragments);
        int offset = 0;
        for (int i = 0; i < fragments; i++) {
            int end = i == fragments - 1 ? message.length : Math.min(message.length, offset + step);
            frames.add(from.encode(Opcode.BINARY, ByteBuffer.wrap(message, offset, end - offset), i == 0,
                    i == fragments - 1, true));
            offset = end;
        }
        return frames;
    }

    static byte[] receive(Extension to, List<Extension.EncodedFrame> frames, long maxMessage) throws ExtensionException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rsv = frames.get(0).rsv();
        for (int i = 0; i < frames.size(); i++) {
            ByteBuffer b = to.decode(rsv, frames.get(i).payload(), i == frames.size() - 1, maxMessage - out.size());
            out.writeBytes(bytes(b));
        }
        return out.toByteArray();
    }

    static byte[] roundTrip(Extension from, Extension to, byte[] message, int fragments) throws ExtensionException {
        return receive(to, send(from, message, fragments), Long.MAX_VALUE);
    }

    // ---- section 5 / 7.1: the client's offers --------------------------------------------------

    @Nested
    class Section7_1_ClientOffers {
        @Test
        void defaultOfferSaysTheServerMayLimitOurWindow() {
            assertEquals(List.of("permessage-deflate; client_max_window_bits"),
                    DEFAULT.offers().stream().map(ExtensionParameters::format).toList());
        }

        @Test
        void requestsOfTheServerComeFirstThenAFallbackThatAsksNothing() {
            PerMessageDeflate f = PerMessageDeflate.builder().requestPeerNoContextTakeover(true).peerMaxWindowBits(10)
                    .noContextTakeover(true).maxWindowBits(12).build();
            assertEquals(List.of(
                    "permessage-deflate; client_no_context_takeover; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12",
                    "permessage-deflate; client_no_context_takeover; client_max_window_bits=12"),
                    f.offers().stream().map(ExtensionParameters::format).toList());
        }

        @Test
        void withoutFallbackThereIsOneOffer() {
            PerMessageDeflate f = PerMessageDeflate.builder().peerMaxWindowBits(9).fallbackOffer(false).build();
            assertEquals(List.of("permessage-deflate; server_max_window_bits=9; client_max_window_bits"),
                    f.offers().stream().map(ExtensionParameters::format).toList());
        }

        @Test
        void builderRejectsWindowsOutsideEightToFifteen() {
            assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().maxWindowBits(7));
            assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().peerMaxWindowBits(16));
            assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().minWindowBits(12).maxWindowBits(10).build());
            assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().compressionLevel(10));
            assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().threshold(-1));
        }

        @Test
        void factoryIsAValueAndFoundByServiceLoader() {
            assertEquals(NO_THRESHOLD, DEFAULT.toBuilder().threshold(0).build());
            assertEquals(NO_THRESHOLD.hashCode(), DEFAULT.toBuilder().threshold(0).build().hashCode());
            assertEquals("permessage-deflate", DEFAULT.name());
            assertTrue(ServiceLoader.load(ExtensionFactory.class).stream()
                    .anyMatch(p -> p.type() == PerMessageDeflate.class));
        }
    }

    // ---- section 7.1: the server's choice and response -------------------------------------------

    @Nested
    class Section7_1_ServerResponse {
        @Test
        void plainOfferGetsPlainResponse() {
            assertEquals(Optional.of("permessage-deflate"), serverResponse(DEFAULT, "permessage-deflate"));
        }

        @Test
        void section7_1_1_1_serverNoContextTakeoverIsAcceptedByEchoingIt() {
            assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                    serverResponse(DEFAULT, "permessage-deflate; server_no_context_takeover"));
        }

        @Test
        void section7_1_1_1_serverMayResetUnasked() {
            PerMessageDeflate f = PerMessageDeflate.builder().noContextTakeover(true).build();
            assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"), serverResponse(f, "permessage-deflate"));
        }

        @Test
        void section7_1_1_1_serverThatMustKeepContextDeclinesAndTakesTheNextOffer() {
            PerMessageDeflate f = PerMessageDeflate.builder().allowNoContextTakeover(false).build();
            assertEquals(Optional.empty(), serverResponse(f, "permessage-deflate; server_no_context_takeover"));
            assertEquals(Optional.of("permessage-deflate"),
                    serverResponse(f, "permessage-deflate; server_no_context_takeover", "permessage-deflate"));
        }

        @Test
        void section7_1_1_2_clientNoContextTakeoverIsEchoedAndCanBeRequested() {
            assertEquals(Optional.of("permessage-deflate; client_no_context_takeover"),
                    serverResponse(DEFAULT, "permessage-deflate; client_no_context_takeover"));
            PerMessageDeflate f = PerMessageDeflate.builder().requestPeerNoContextTakeover(true).build();
            assertEquals(Optional.of("permessage-deflate; client_no_context_takeover"), serverResponse(f, "permessage-deflate"));
        }

        @ParameterizedTest(name = "server_max_window_bits={0}")
        @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
        void section7_1_2_1_serverMaxWindowBitsIsHonouredWithTheSameValue(int bits) {
            Extension e = DEFAULT.acceptOffer(exts("permessage-deflate; server_max_window_bits=" + bits)).orElseThrow();
            assertEquals("permessage-deflate; server_max_window_bits=" + bits, e.parameters().format());
            assertEquals(bits, internal(e).compressorWindowBits());
            assertEquals(bits < 15, internal(e).usesWindowedEncoder());
            e.close();
        }

        @Test
        void section7_1_2_1_serverAnswersWithASmallerWindowOfItsOwn() {
            PerMessageDeflate f = PerMessageDeflate.builder().maxWindowBits(10).build();
            assertEquals(Optional.of("permessage-deflate; server_max_window_bits=10"),
                    serverResponse(f, "permessage-deflate; server_max_window_bits=12"));
            assertEquals(Optional.of("permessage-deflate; server_max_window_bits=9"),
                    serverResponse(f, "permessage-deflate; server_max_window_bits=9"));
            assertEquals(Optional.of("permessage-deflate; server_max_window_bits=10"), serverResponse(f, "permessage-deflate"));
        }

        @Test
        void section7_1_2_1_serverThatRefusesSmallWindowsDeclines() {
            PerMessageDeflate zlibOnly = PerMessageDeflate.builder().minWindowBits(15).build();
            assertEquals(Optional.empty(), serverResponse(zlibOnly, "permessage-deflate; server_max_window_bits=10"));
            assertEquals(Optional.of("permessage-deflate; client_max_window_bits=9"),
                    serverResponse(zlibOnly.toBuilder().peerMaxWindowBits(9).build(),
                            "permessage-deflate; server_max_window_bits=14", "permessage-deflate; client_max_window_bits"));
        }

        @Test
        void section7_1_2_2_clientMaxWindowBitsIsAnsweredOnlyWhenOffered() {
            PerMessageDeflate f = PerMessageDeflate.builder().peerMaxWindowBits(10).build();
            assertEquals(Optional.of("permessage-deflate; client_max_window_bits=10"),
                    serverResponse(f, "permessage-deflate; client_max_window_bits"));
            assertEquals(Optional.of("permessage-deflate; client_max_window_bits=9"),
                    serverResponse(f, "permessage-deflate; client_max_window_bits=9"));
            assertEquals(Optional.of("permessage-deflate"), serverResponse(f, "permessage-deflate"));
            assertEquals(Optional.of("permessage-deflate"),
                    serverResponse(DEFAULT, "permessage-deflate; client_max_window_bits"));
        }

        @ParameterizedTest(name = "declined: {0}")
        @ValueSource(strings = {
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
                "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
                "permessage-deflate; unknown_parameter",
                "permessage-deflate; server_no_context_takeover=1",
                "permessage-deflate; client_no_context_takeover=true",
                "permessage-deflate; server_max_window_bits",
                "permessage-deflate; server_max_window_bits=7",
                "permessage-deflate; server_max_window_bits=16",
                "permessage-deflate; server_max_window_bits=010",
                "permessage-deflate; server_max_window_bits=0x0a",
                "permessage-deflate; server_max_window_bits=+10",
                "permessage-deflate; server_max_window_bits=",
                "permessage-deflate; client_max_window_bits=08",
                "permessage-deflate; client_max_window_bits=1",
                "x-webkit-deflate-frame",
        })
        void section7_invalidOffersAreDeclinedNotFailed(String offer) {
            assertEquals(Optional.empty(), serverResponse(DEFAULT, offer));
            assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                    serverResponse(DEFAULT, offer, "permessage-deflate; server_no_context_takeover"), "the next offer wins");
        }

        @Test
        void section5_firstAcceptableOfferWins() {
            assertEquals(Optional.of("permessage-deflate; server_max_window_bits=10"), serverResponse(DEFAULT,
                    "permessage-deflate; server_max_window_bits=10", "permessage-deflate"));
            assertEquals(Optional.empty(), serverResponse(DEFAULT));
        }

        @Test
        void parameterNamesAreCaseInsensitive() {
            assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                    serverResponse(DEFAULT, "Permessage-Deflate; Server_No_Context_Takeover"));
        }
    }

    // ---- section 7.1: the client checks the response -------------------------------------------

    @Nested
    class Section7_1_ClientAcceptsResponse {
        Extension accept(PerMessageDeflate f, String response) throws ExtensionException {
            return f.acceptResponse(ext(response));
        }

        void fails(PerMessageDeflate f, String response, String messagePart) {
            ExtensionException e = assertThrows(ExtensionException.class, () -> accept(f, response));
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        }

        @Test
        void plainResponse() throws ExtensionException {
            try (Extension e = accept(DEFAULT, "permessage-deflate")) {
                assertEquals(15, internal(e).compressorWindowBits());
                assertEquals(Side.CLIENT, internal(e).side());
                assertEquals(Extension.RSV1, e.rsvBits());
            }
        }

        @Test
        void section7_1_1_1_serverNoContextTakeoverUnaskedIsAccepted() throws ExtensionException {
            try (Extension e = accept(DEFAULT, "permessage-deflate; server_no_context_takeover")) {
                assertTrue(internal(e).agreement().serverNoContextTakeover());
            }
        }

        @Test
        void section7_1_1_1_askedButDroppedFailsWithoutFallback() throws ExtensionException {
            PerMessageDeflate f = PerMessageDeflate.builder().requestPeerNoContextTakeover(true).fallbackOffer(false).build();
            fails(f, "permessage-deflate", "server_no_context_takeover was offered but not accepted");
            accept(f.toBuilder().fallbackOffer(true).build(), "permessage-deflate").close();
        }

        @Test
        void section7_1_1_2_clientNoContextTakeoverMakesUsReset() throws ExtensionException {
            try (Extension e = accept(DEFAULT, "permessage-deflate; client_no_context_takeover")) {
                assertTrue(internal(e).agreement().clientNoContextTakeover());
            }
            fails(PerMessageDeflate.builder().allowNoContextTakeover(false).build(),
                    "permessage-deflate; client_no_context_takeover", "not allowed");
        }

        @ParameterizedTest(name = "client_max_window_bits={0}")
        @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
        void section7_1_2_2_clientMaxWindowBitsLimitsOurCompressor(int bits) throws ExtensionException {
            try (Extension e = accept(DEFAULT, "permessage-deflate; client_max_window_bits=" + bits)) {
                assertEquals(bits, internal(e).compressorWindowBits());
            }
        }

        @Test
        void section7_1_2_2_windowAboveWhatWeOfferedOrBelowWhatWeAcceptFails() throws ExtensionException {
            fails(PerMessageDeflate.builder().maxWindowBits(10).build(),
                    "permessage-deflate; client_max_window_bits=12", "12 > the 10 offered");
            fails(PerMessageDeflate.builder().minWindowBits(10).build(),
                    "permessage-deflate; client_max_window_bits=9", "smallest window");
            try (Extension e = accept(PerMessageDeflate.builder().maxWindowBits(10).build(),
                    "permessage-deflate; client_max_window_bits=9")) {
                assertEquals(9, internal(e).compressorWindowBits());
            }
            try (Extension e = accept(PerMessageDeflate.builder().maxWindowBits(10).build(), "permessage-deflate")) {
                assertEquals(10, internal(e).compressorWindowBits(), "our own limit holds without a response value");
            }
        }

        @Test
        void section7_1_2_1_serverMaxWindowBitsAtMostWhatWeAsked() throws ExtensionException {
            PerMessageDeflate f = PerMessageDeflate.builder().peerMaxWindowBits(10).fallbackOffer(false).build();
            accept(f, "permessage-deflate; server_max_window_bits=10").close();
            accept(f, "permessage-deflate; server_max_window_bits=8").close();
            fails(f, "permessage-deflate; server_max_window_bits=11", "11 > the 10 offered");
            fails(f, "permessage-deflate", "server_max_window_bits was offered but not accepted");
            accept(DEFAULT, "permessage-deflate; server_max_window_bits=12").close(); // unasked: allowed
        }

        @ParameterizedTest(name = "fails: {0}")
        @ValueSource(strings = {
                "permessage-deflate; client_max_window_bits",
                "permessage-deflate; client_max_window_bits=16",
                "permessage-deflate; client_max_window_bits=010",
                "permessage-deflate; server_max_window_bits=7",
                "permessage-deflate; server_max_window_bits",
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                "permessage-deflate; client_no_context_takeover=1",
                "permessage-deflate; mystery",
                "deflate-frame",
        })
        void section7_invalidResponsesFailTheConnection(String response) {
            ExtensionException e = assertThrows(ExtensionException.class, () -> accept(DEFAULT, response));
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertTrue(e.getMessage().contains(response.split(";")[0]), e.getMessage());
        }

        @Test
        void fullNegotiationBothWays() throws ExtensionException {
            PerMessageDeflate client = PerMessageDeflate.builder().peerMaxWindowBits(10).requestPeerNoContextTakeover(true).build();
            PerMessageDeflate server = PerMessageDeflate.builder().peerMaxWindowBits(9).build();
            try (Pair p = Pair.of(client, server)) {
                assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=9",
                        p.server().parameters().format());
                assertEquals(10, internal(p.server()).compressorWindowBits());
                assertEquals(9, internal(p.client()).compressorWindowBits());
            }
        }
    }

    // ---- section 7.2.3: the examples, byte for byte --------------------------------------------

    @Nested
    class Section7_2_3_Examples {
        Extension server(PerMessageDeflate f, String offer) {
            return f.acceptOffer(exts(offer)).orElseThrow();
        }

        @Test
        void section7_2_3_1_helloInOneCompressedBlock() throws ExtensionException {
            for (Side side : Side.values()) {
                try (Extension e = side == Side.SERVER ? server(NO_THRESHOLD, "permessage-deflate")
                        : NO_THRESHOLD.acceptResponse(ext("permessage-deflate"))) {
                    Extension.EncodedFrame f = e.encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), true, true, true);
                    assertEquals("f2 48 cd c9 c9 07 00", hex(f.payload()), side.toString());
                    assertEquals(Extension.RSV1, f.rsv());
                    assertArrayEquals(HELLO, bytes(e.decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 48 cd c9 c9 07 00")), true, 100)));
                }
            }
        }

        @Test
        void section7_2_3_1_helloFragmentedInTwoFrames() throws ExtensionException {
            try (Extension e = server(DEFAULT, "permessage-deflate")) {
                ByteBuffer first = e.decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 48 cd")), false, 100);
                ByteBuffer second = e.decode(Extension.RSV1, ByteBuffer.wrap(hex("c9 c9 07 00")), true, 100 - first.remaining());
                assertEquals("Hello", new String(bytes(first)) + new String(bytes(second)));
            }
        }

        @Test
        void section7_2_3_2_secondHelloSharesTheWindow() throws ExtensionException {
            try (Pair p = Pair.of(NO_THRESHOLD, NO_THRESHOLD)) {
                for (Extension e : List.of(p.client(), p.server())) {
                    assertEquals("f2 48 cd c9 c9 07 00", hex(e.encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), true, true, true).payload()));
                    assertEquals("f2 00 11 00 00", hex(e.encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), true, true, true).payload()));
                }
                assertArrayEquals(HELLO, bytes(p.client().decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 48 cd c9 c9 07 00")), true, 5)));
                assertArrayEquals(HELLO, bytes(p.client().decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 00 11 00 00")), true, 5)));
            }
        }

        @Test
        void section7_2_3_2_withoutContextTakeoverTheSecondHelloIsCompressedAfresh() throws ExtensionException {
            PerMessageDeflate reset = NO_THRESHOLD.toBuilder().noContextTakeover(true).build();
            try (Extension server = server(reset, "permessage-deflate")) {
                assertEquals("permessage-deflate; server_no_context_takeover", server.parameters().format());
                for (int i = 0; i < 2; i++) {
                    assertEquals("f2 48 cd c9 c9 07 00", hex(server.encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), true, true, true).payload()));
                }
            }
            // The client, told the server resets, resets its inflater: a back-reference into the previous
            // message is then corrupt data.
            try (Extension client = NO_THRESHOLD.acceptResponse(ext("permessage-deflate; server_no_context_takeover"))) {
                assertArrayEquals(HELLO, bytes(client.decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 48 cd c9 c9 07 00")), true, 5)));
                ExtensionException e = assertThrows(ExtensionException.class,
                        () -> client.decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 00 11 00 00")), true, 5));
                assertEquals(CloseCodes.INVALID_PAYLOAD, e.closeCode());
            }
        }

        @Test
        void section7_2_3_3_helloInAStoredBlock() throws ExtensionException {
            try (Extension e = server(DEFAULT, "permessage-deflate")) {
                assertArrayEquals(HELLO, bytes(e.decode(Extension.RSV1,
                        ByteBuffer.wrap(hex("00 05 00 fa ff 48 65 6c 6c 6f 00")), true, 5)));
            }
        }

        @Test
        void section7_2_3_4_helloInAFinalBlockAndTheNextMessageStillDecodes() throws ExtensionException {
            try (Extension e = server(DEFAULT, "permessage-deflate")) {
                assertArrayEquals(HELLO, bytes(e.decode(Extension.RSV1, ByteBuffer.wrap(hex("f3 48 cd c9 c9 07 00 00")), true, 5)));
                assertArrayEquals(HELLO, bytes(e.decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 48 cd c9 c9 07 00")), true, 5)));
            }
        }

        @Test
        void section7_2_3_5_twoBlocksInOneMessage() throws ExtensionException {
            try (Extension e = server(DEFAULT, "permessage-deflate")) {
                assertArrayEquals(HELLO, bytes(e.decode(Extension.RSV1,
                        ByteBuffer.wrap(hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")), true, 5)));
            }
        }

        @Test
        void section7_2_3_6_emptyFinalFragmentIsOneZeroByte() throws ExtensionException {
            for (PerMessageDeflate f : List.of(NO_THRESHOLD, NO_THRESHOLD.toBuilder().maxWindowBits(9).build())) {
                try (Pair p = Pair.of(f, f)) {
                    Extension.EncodedFrame one = p.server().encode(Opcode.TEXT, ByteBuffer.wrap("He".getBytes()), true, false, true);
                    Extension.EncodedFrame two = p.server().encode(Opcode.TEXT,
                            ByteBuffer.allocate(0), false, true, true);
                    assertEquals("f2 48 05 00 00 00 ff ff", hex(one.payload()), f.toString());
                    assertEquals("00", hex(two.payload()));
                    assertEquals(Extension.RSV1, one.rsv());
                    assertEquals(0, two.rsv(), "RSV1 on the first frame only");
                    assertEquals("He", new String(receive(p.client(), List.of(one, two), 100)));
                    // and the stream stays aligned for the next message
                    assertArrayEquals(HELLO, roundTrip(p.server(), p.client(), HELLO, 1));
                }
            }
            try (Extension e = server(DEFAULT, "permessage-deflate")) {
                ByteBuffer a = e.decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 48 05 00 00 00 ff ff")), false, 100);
                ByteBuffer b = e.decode(Extension.RSV1, ByteBuffer.wrap(hex("00")), true, 100);
                assertEquals("He", new String(bytes(a)) + new String(bytes(b)));
            }
        }

        @Test
        void emptyMessageCompressesToOneZeroByte() throws ExtensionException {
            try (Pair p = Pair.of(NO_THRESHOLD, NO_THRESHOLD)) {
                Extension.EncodedFrame f = p.client().encode(Opcode.BINARY, ByteBuffer.allocate(0), true, true, true);
                assertEquals("00", hex(f.payload()));
                assertEquals(0, p.server().decode(f.rsv(), f.payload(), true, 0).remaining());
            }
        }
    }

    // ---- section 7.2.1: compression --------------------------------------------------------------

    @Nested
    class Section7_2_1_Compression {
        @Test
        void fragmentedMessagesCarryRsv1OnTheFirstFrameOnly() throws ExtensionException {
            byte[] m = Corpus.json(new Random(1), 20_000);
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                for (int fragments : new int[] {1, 2, 7, 100}) {
                    List<Extension.EncodedFrame> frames = send(p.client(), m, fragments);
                    assertEquals(Extension.RSV1, frames.get(0).rsv());
                    frames.subList(1, frames.size()).forEach(f -> assertEquals(0, f.rsv()));
                    assertArrayEquals(m, receive(p.server(), frames, Long.MAX_VALUE), fragments + " fragments");
                }
            }
        }

        @Test
        void messagesBelowTheThresholdGoUncompressed() throws ExtensionException {
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                byte[] small = new byte[1023];
                ByteBuffer payload = ByteBuffer.wrap(small);
                Extension.EncodedFrame f = p.server().encode(Opcode.BINARY, payload, true, true, true);
                assertEquals(0, f.rsv());
                assertSame(payload, f.payload());
                Extension.EncodedFrame g = p.server().encode(Opcode.BINARY, ByteBuffer.wrap(new byte[1024]), true, true, true);
                assertEquals(Extension.RSV1, g.rsv());
                assertTrue(g.payload().remaining() < 20);
                // A fragmented message is compressed whatever its first frame's size.
                Extension.EncodedFrame h = p.server().encode(Opcode.BINARY, ByteBuffer.wrap(new byte[10]), true, false, true);
                assertEquals(Extension.RSV1, h.rsv());
                p.server().encode(Opcode.BINARY, ByteBuffer.wrap(new byte[10]), false, true, true);
            }
        }

        @Test
        void transformFalseOptsTheWholeMessageOut() throws ExtensionException {
            try (Pair p = Pair.of(NO_THRESHOLD, NO_THRESHOLD)) {
                ByteBuffer a = ByteBuffer.wrap(HELLO);
                Extension.EncodedFrame f1 = p.client().encode(Opcode.TEXT, a, true, false, false);
                Extension.EncodedFrame f2 = p.client().encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), false, true, true);
                assertSame(a, f1.payload());
                assertEquals(0, f1.rsv());
                assertEquals(0, f2.rsv());
                assertArrayEquals(HELLO, bytes(f2.payload()), "binding for the whole message");
                assertArrayEquals("HelloHello".getBytes(), receive(p.server(), List.of(f1, f2), 100));
                // The next compressed message is unaffected: the RFC's first-message bytes.
                assertEquals("f2 48 cd c9 c9 07 00",
                        hex(p.client().encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), true, true, true).payload()));
            }
        }

        @Test
        void theCallersBufferIsNotConsumed() throws ExtensionException {
            try (Pair p = Pair.of(NO_THRESHOLD, NO_THRESHOLD.toBuilder().maxWindowBits(10).build())) {
                for (Extension e : List.of(p.client(), p.server())) {
                    ByteBuffer b = ByteBuffer.wrap(HELLO);
                    e.encode(Opcode.TEXT, b, true, true, true);
                    assertEquals(0, b.position());
                }
            }
        }

        @Test
        void directBuffersWork() throws ExtensionException {
            byte[] m = Corpus.json(new Random(2), 5000);
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                ByteBuffer direct = ByteBuffer.allocateDirect(m.length).put(m).flip();
                Extension.EncodedFrame f = p.client().encode(Opcode.TEXT, direct, true, true, true);
                ByteBuffer compressed = ByteBuffer.allocateDirect(f.payload().remaining()).put(f.payload().duplicate()).flip();
                assertArrayEquals(m, bytes(p.server().decode(f.rsv(), compressed, true, m.length)));
            }
        }

        @Test
        void contextTakeoverShrinksRepeatedMessagesAndNoContextTakeoverDoesNot() throws ExtensionException {
            byte[] m = Corpus.json(new Random(5), 3000);
            for (boolean reset : new boolean[] {false, true}) {
                PerMessageDeflate f = DEFAULT.toBuilder().noContextTakeover(reset).build();
                try (Pair p = Pair.of(f, f)) {
                    List<Extension.EncodedFrame> once = send(p.server(), m, 1);
                    List<Extension.EncodedFrame> again = send(p.server(), m, 1);
                    int first = once.get(0).payload().remaining();
                    int second = again.get(0).payload().remaining();
                    assertArrayEquals(m, receive(p.client(), once, m.length));
                    assertArrayEquals(m, receive(p.client(), again, m.length));
                    if (reset) {
                        assertEquals(first, second);
                    } else {
                        assertTrue(second < 60 && first > 600, "first " + first + ", second copy " + second + " bytes");
                    }
                }
            }
        }

        @Test
        void misuseThrowsAtOnce() throws ExtensionException {
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                Extension e = p.server();
                assertThrows(IllegalStateException.class, () -> e.encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), false, true, true));
                e.encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), true, false, true);
                assertThrows(IllegalStateException.class, () -> e.encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), true, true, true));
                assertThrows(IllegalArgumentException.class, () -> e.encode(Opcode.PING, ByteBuffer.wrap(HELLO), false, true, true));
            }
        }

        @Test
        void manyMessagesBothWaysEveryConfiguration() throws ExtensionException {
            Random random = new Random(11);
            for (int level : new int[] {0, 1, 6, 9}) {
                for (boolean reset : new boolean[] {false, true}) {
                    for (int bits : new int[] {8, 9, 12, 15}) {
                        PerMessageDeflate f = PerMessageDeflate.builder().compressionLevel(level).noContextTakeover(reset)
                                .requestPeerNoContextTakeover(reset).maxWindowBits(bits).peerMaxWindowBits(bits)
                                .threshold(0).build();
                        try (Pair p = Pair.of(f, f)) {
                            for (int i = 0; i < 8; i++) {
                                byte[] m = i % 3 == 0 ? Corpus.random(random, random.nextInt(2000))
                                        : Corpus.json(random, random.nextInt(10_000));
                                int fragments = 1 + random.nextInt(4);
                                assertArrayEquals(m, roundTrip(p.client(), p.server(), m, fragments), f.toString());
                                assertArrayEquals(m, roundTrip(p.server(), p.client(), m, fragments), f.toString());
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- section 7.2.2: decompression ------------------------------------------------------------

    @Nested
    class Section7_2_2_Decompression {
        @Test
        void framesWithoutRsv1PassThrough() throws ExtensionException {
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                ByteBuffer b = ByteBuffer.wrap(HELLO);
                assertSame(b, p.server().decode(0, b, true, 5));
                ExtensionException e = assertThrows(ExtensionException.class, () -> p.server().decode(0, ByteBuffer.wrap(HELLO), true, 4));
                assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            }
        }

        @Test
        void inflatingExactlyToTheLimitIsFineOneByteMoreIs1009() throws ExtensionException {
            byte[] m = new byte[100_000];
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                Extension.EncodedFrame f = send(p.client(), m, 1).get(0);
                assertEquals(m.length, p.server().decode(f.rsv(), f.payload(), true, m.length).remaining());
            }
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                Extension.EncodedFrame f = send(p.client(), m, 1).get(0);
                ExtensionException e = assertThrows(ExtensionException.class,
                        () -> p.server().decode(f.rsv(), f.payload(), true, m.length - 1));
                assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
                assertTrue(e.getMessage().contains("99999 bytes left"), e.getMessage());
            }
        }

        @Test
        void corruptDataIs1007() throws ExtensionException {
            for (String corrupt : new String[] {"ff ff ff ff", "f2 48 cd c9 c9 07 00 ff ff ff ff ff", "02 ff 00", "01 05 00 00 00 41"}) {
                try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                    ExtensionException e = assertThrows(ExtensionException.class,
                            () -> p.server().decode(Extension.RSV1, ByteBuffer.wrap(hex(corrupt)), true, 1000), corrupt);
                    assertEquals(CloseCodes.INVALID_PAYLOAD, e.closeCode(), corrupt);
                    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
                }
            }
        }

        @Test
        void aBackReferenceBeforeTheStartIsCorrupt() throws ExtensionException {
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                ExtensionException e = assertThrows(ExtensionException.class,
                        () -> p.server().decode(Extension.RSV1, ByteBuffer.wrap(hex("f2 00 11 00 00")), true, 1000));
                assertEquals(CloseCodes.INVALID_PAYLOAD, e.closeCode());
            }
        }

        @Test
        void byteAtATimeFramesDecode() throws ExtensionException {
            byte[] m = Corpus.json(new Random(9), 4000);
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                byte[] c = bytes(send(p.client(), m, 1).get(0).payload());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 0; i < c.length; i++) {
                    out.writeBytes(bytes(p.server().decode(Extension.RSV1, ByteBuffer.wrap(c, i, 1), i == c.length - 1,
                            m.length - out.size())));
                }
                assertArrayEquals(m, out.toByteArray());
            }
        }

        @Test
        void decompressionBombOfOneGibibyteStopsAtTheLimitAndAllocatesLittle() throws ExtensionException {
            // 1 GiB of zeros, streamed through Deflater: about 1 MiB of compressed data.
            byte[] compressed = Bomb.oneGibibyteOfZeros();
            assertTrue(compressed.length < 2 << 20, "bomb is " + compressed.length + " bytes");

            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                Runtime rt = Runtime.getRuntime();
                long before = rt.totalMemory() - rt.freeMemory();
                long limit = 1 << 20;
                ExtensionException e = assertThrows(ExtensionException.class,
                        () -> p.server().decode(Extension.RSV1, ByteBuffer.wrap(compressed), true, limit));
                assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
                long after = rt.totalMemory() - rt.freeMemory();
                assertTrue(internal(p.server()).peakInflateBuffer() <= limit, "peak " + internal(p.server()).peakInflateBuffer());
                System.out.printf("bomb: %d bytes compressed (1 GiB inflated), stopped at %d bytes, heap delta %d KiB%n",
                        compressed.length, limit, (after - before) / 1024);
            }
            // The same bomb split in frames: the engine passes what is left of the message limit.
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                long left = 4 << 20;
                int frame = 4096;
                ExtensionException e = null;
                for (int off = 0; off < compressed.length && e == null; off += frame) {
                    int len = Math.min(frame, compressed.length - off);
                    try {
                        left -= p.server().decode(Extension.RSV1, ByteBuffer.wrap(compressed, off, len),
                                off + len == compressed.length, left).remaining();
                    } catch (ExtensionException x) {
                        e = x;
                    }
                }
                assertEquals(CloseCodes.MESSAGE_TOO_BIG, e == null ? 0 : e.closeCode());
                assertTrue(internal(p.server()).peakInflateBuffer() <= 4 << 20);
            }
        }
    }

    // ---- section 7.1.2: windows below 15 bits are honoured truly --------------------------------

    @Nested
    class Section7_1_2_WindowEnforcement {
        @ParameterizedTest(name = "server_max_window_bits={0}")
        @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14})
        void serverKeepsWithinTheWindowTheClientAskedFor(int bits) throws ExtensionException {
            PerMessageDeflate client = PerMessageDeflate.builder().peerMaxWindowBits(bits).threshold(0).build();
            try (Pair p = Pair.of(client, NO_THRESHOLD)) {
                assertEquals(bits, internal(p.server()).compressorWindowBits());
                WindowCheck.assertWithinWindow(p.server(), p.client(), bits);
            }
        }

        @ParameterizedTest(name = "client_max_window_bits={0}")
        @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14})
        void clientKeepsWithinTheWindowTheServerImposed(int bits) throws ExtensionException {
            PerMessageDeflate server = PerMessageDeflate.builder().peerMaxWindowBits(bits).threshold(0).build();
            try (Pair p = Pair.of(NO_THRESHOLD, server)) {
                assertEquals(bits, internal(p.client()).compressorWindowBits());
                WindowCheck.assertWithinWindow(p.client(), p.server(), bits);
            }
        }
    }

    // ---- resources ------------------------------------------------------------------------------

    @Nested
    class Resources {
        @Test
        void closeIsIdempotentAndUseAfterCloseThrows() throws ExtensionException {
            Pair p = Pair.of(NO_THRESHOLD, NO_THRESHOLD);
            roundTrip(p.client(), p.server(), HELLO, 1);
            p.close();
            p.close();
            assertThrows(IllegalStateException.class, () -> p.client().encode(Opcode.TEXT, ByteBuffer.wrap(HELLO), true, true, true));
            assertThrows(IllegalStateException.class, () -> p.server().decode(Extension.RSV1, ByteBuffer.wrap(HELLO), true, 5));
        }

        @Test
        void nothingIsAllocatedUntilUsed() throws ExtensionException {
            try (Pair p = Pair.of(DEFAULT, DEFAULT)) {
                assertFalse(internal(p.client()).hasCodecState());
                roundTrip(p.client(), p.server(), new byte[5000], 1);
                assertTrue(internal(p.client()).hasCodecState());
                assertTrue(internal(p.server()).hasCodecState());
            }
        }
    }
}
