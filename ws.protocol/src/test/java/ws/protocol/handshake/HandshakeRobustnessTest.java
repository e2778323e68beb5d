package ws.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile input, deterministically generated: mutated heads never make the parser or the validators
 * throw anything but {@link HandshakeException} with a status they document, whole or byte at a time.
 */
class HandshakeRobustnessTest {
    private static final Set<Integer> REQUEST_STATUSES = Set.of(400, 414, 431, 505);
    private static final Set<Integer> VALIDATION_STATUSES = Set.of(400, 405, 426);

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(bytes.length);
            byte value = switch (random.nextInt(5)) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> (byte) " \t\r\n:,;=\"\\".charAt(random.nextInt(10));
                case 2 -> 0;
                case 3 -> (byte) (0x80 + random.nextInt(128));
                default -> (byte) ('!' + random.nextInt(94));
            };
            if (random.nextBoolean()) {
                bytes[at] = value;
            } else {
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = value;
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                bytes = longer;
            }
        }
        return bytes;
    }

    private record Outcome(Object value, int status, int consumed) {
    }

    private static Outcome parseRequest(byte[] bytes, int limit, boolean byteAtATime) {
        HttpHeadParser parser = HttpHeadParser.requests(limit);
        int consumed = 0;
        try {
            if (!byteAtATime) {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                try {
                    return new Outcome(parser.parseRequest(in), -1, in.position());
                } finally {
                    consumed = in.position();
                }
            }
            for (int i = 0; i < bytes.length; i++) {
                consumed = i + 1;
                HandshakeRequest request = parser.parseRequest(ByteBuffer.wrap(bytes, i, 1));
                if (request != null) {
                    return new Outcome(request, -1, consumed);
                }
            }
            return new Outcome(null, -1, consumed);
        } catch (HandshakeException e) {
            assertTrue(REQUEST_STATUSES.contains(e.status()), e.status() + " " + e.getMessage());
            return new Outcome(null, e.status(), consumed);
        }
    }

    @Test
    void mutatedRequestsFailCleanlyTheSameWayWholeAndByteAtATime() {
        byte[] sample = Heads.bytes(Heads.upgrade("Sec-WebSocket-Protocol", "chat, superchat",
                "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\""));
        SplittableRandom random = new SplittableRandom(6455);
        int parsed = 0;
        int valid = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = mutate(sample, random);
            int limit = 200 + random.nextInt(200);
            Outcome whole = parseRequest(bytes, limit, false);
            Outcome slow = parseRequest(bytes, limit, true);
            assertEquals(whole.status(), slow.status(), "status differs for round " + round);
            assertEquals(whole.value(), slow.value(), "result differs for round " + round);
            if (whole.status() >= 0) {
                assertEquals(whole.consumed(), slow.consumed(), "failed at another byte in round " + round);
            }
            if (whole.value() instanceof HandshakeRequest request) {
                parsed++;
                ServerHandshake.isUpgradeRequest(request);
                try {
                    ServerHandshake.validate(request);
                    valid++;
                    // a valid request can be answered, and its offers read
                    request.extensions();
                    request.subprotocols();
                    ServerHandshake.encode(ServerHandshake.accept(request, "", List.of(), HttpHeaders.empty()));
                } catch (HandshakeException e) {
                    assertTrue(VALIDATION_STATUSES.contains(e.status()), e.status() + " " + e.getMessage());
                    ServerHandshake.encode(ServerHandshake.errorResponse(e));
                }
            }
        }
        assertTrue(parsed > 100, "too few mutants parsed: " + parsed);
        assertTrue(valid > 10, "too few mutants valid: " + valid);
    }

    @Test
    void mutatedResponsesFailCleanly() {
        String key = Rfc6455Section1_3OpeningHandshakeTest.SAMPLE_KEY;
        byte[] sample = Heads.bytes(Rfc6455Section1_3OpeningHandshakeTest.SAMPLE_RESPONSE);
        SplittableRandom random = new SplittableRandom(7692);
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = mutate(sample, random);
            HandshakeResponse response;
            try {
                response = HttpHeadParser.responses(1024).parseResponse(ByteBuffer.wrap(bytes));
            } catch (HandshakeException e) {
                assertEquals(0, e.status());
                continue;
            }
            if (response != null) {
                try {
                    ClientHandshake.validate(response, key, List.of("chat"));
                } catch (HandshakeException e) {
                    assertTrue(e.status() == 0 || e.status() == response.status() && response.status() != 101, e.getMessage());
                }
            }
        }
    }

    @Test
    void mutatedExtensionHeadersOnlyEverThrowIllegalArgument() {
        String sample = "permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\", x-foo;a=b";
        SplittableRandom random = new SplittableRandom(91);
        for (int round = 0; round < 5000; round++) {
            String mutated = new String(mutate(Heads.bytes(sample), random), java.nio.charset.StandardCharsets.ISO_8859_1);
            try {
                var parsed = ws.protocol.extension.ExtensionParameters.parseAll(List.of(mutated));
                // what parses, formats and parses back the same
                assertEquals(parsed, ws.protocol.extension.ExtensionParameters.parseAll(
                        List.of(ws.protocol.extension.ExtensionParameters.formatAll(parsed))));
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("at index"), expected.getMessage());
            }
        }
    }
}
