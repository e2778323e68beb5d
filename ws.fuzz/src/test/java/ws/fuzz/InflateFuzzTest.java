package ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import ws.protocol.CloseCodes;
import ws.protocol.Side;
import ws.protocol.engine.Protocol;

/**
 * The permessage-deflate inflate path (RFC 7692 section 7.2.2) and its size limit: the input is the
 * compressed payload of two binary messages (byte 0: bits 0-1 and 2-3 give their frame counts, bytes 1-2
 * the first one's length), each in one to three frames, sent to a client that
 * agreed permessage-deflate (context takeover on). The oracle is the JDK's own raw {@link Inflater}
 * over the same bytes plus the {@code 00 00 ff ff} tail, fed whole and fed frame by frame: the message
 * it yields arrives intact; more than the limit fails with 1009 without inflating further; data it
 * rejects fails with 1007.
 */
class InflateFuzzTest {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    @FuzzTest
    void inflate(byte[] data) {
        if (data.length < 3) {
            return;
        }
        int frames1 = 1 + (data[0] & 0x03) % 3;
        int frames2 = 1 + ((data[0] >>> 2) & 0x03) % 3;
        int split = Math.min(data.length, 3 + (((data[1] & 0xFF) << 8) | (data[2] & 0xFF)));
        byte[] first = Arrays.copyOfRange(data, 3, split);
        byte[] second = Arrays.copyOfRange(data, split, data.length);
        if (first.length > Peers.LIMITS.maxFramePayload() || second.length > Peers.LIMITS.maxFramePayload()) {
            return;
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<byte[]> pieces1 = frames(wire, first, frames1);
        List<byte[]> pieces2 = frames(wire, second, frames2);

        List<String> whole = oracle(List.of(first), List.of(second));
        List<String> framed = oracle(pieces1, pieces2);

        Protocol engine = Peers.open(Side.CLIENT, true);
        Peers.Run run = Peers.feed(engine, wire.toByteArray(), 0);
        List<String> seen = new ArrayList<>();
        for (String event : run.events()) {
            if (event.startsWith("binary ")) {
                seen.add(event);
            } else if (event.startsWith("failed ")) {
                seen.add(event.substring(0, "failed 1234".length()));
            } else if (event.startsWith("closed 1006")) {
                seen.add("failed 1006"); // the input ended after both messages: no close handshake
            }
        }
        // The two oracles differ only for a message that is both over the limit and corrupt near the
        // limit: the JDK's Inflater throws away the output of a call that ends in an error, so where
        // the input is cut decides which of 1007 and 1009 shows first. Either is right.
        if (!seen.equals(whole) && !seen.equals(framed)) {
            throw new AssertionError("engine " + seen + "\noracle " + whole
                    + (whole.equals(framed) ? "" : "\noracle frame by frame " + framed) + "\nevents " + run.events());
        }
    }

    /** What the JDK's Inflater makes of two messages, fed in these pieces. */
    private static List<String> oracle(List<byte[]> message1, List<byte[]> message2) {
        List<String> expected = new ArrayList<>();
        Inflater inflater = new Inflater(true);
        try {
            if (expect(inflater, message1, expected) && expect(inflater, message2, expected)) {
                expected.add("failed 1006");
            }
        } finally {
            inflater.end();
        }
        return expected;
    }

    /** One message's payload as {@code count} frames: RSV1 on the first only (section 6.1). Returns the payloads. */
    private static List<byte[]> frames(ByteArrayOutputStream wire, byte[] payload, int count) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < count; i++) {
            int end = i == count - 1 ? payload.length : Math.min(payload.length, at + payload.length / count);
            int b0 = (i == count - 1 ? 0x80 : 0) | (i == 0 ? 0x40 | 0x2 : 0x0);
            int length = end - at;
            wire.write(b0);
            if (length < 126) {
                wire.write(length);
            } else {
                wire.write(126);
                wire.write(length >>> 8);
                wire.write(length);
            }
            wire.write(payload, at, length);
            pieces.add(Arrays.copyOfRange(payload, at, end));
            at = end;
        }
        return pieces;
    }

    /** Adds what the oracle expects of one message, fed in {@code pieces}; whether the connection goes on. */
    private static boolean expect(Inflater inflater, List<byte[]> pieces, List<String> expected) {
        long limit = Peers.LIMITS.maxMessageSize();
        byte[] out = new byte[(int) limit + 1];
        int length = 0;
        List<byte[]> input = new ArrayList<>(pieces);
        input.add(TAIL);
        try {
            for (byte[] piece : input) {
                inflater.setInput(piece);
                length = inflate(inflater, out, length);
            }
        } catch (DataFormatException e) {
            expected.add("failed " + CloseCodes.INVALID_PAYLOAD);
            return false;
        }
        if (length > limit) {
            expected.add("failed " + CloseCodes.MESSAGE_TOO_BIG);
            return false;
        }
        if (inflater.finished()) {
            inflater.reset(); // a stream ended with BFINAL: the next message starts a new one
        }
        expected.add("binary " + HexFormat.of().formatHex(out, 0, length));
        return true;
    }

    /**
     * Inflates the input set into {@code out} from {@code length} until the input runs out, the
     * stream ends (the rest of a message after a final block is ignored), or {@code out} is full.
     */
    private static int inflate(Inflater inflater, byte[] out, int length) throws DataFormatException {
        while (length < out.length && !inflater.finished() && !inflater.needsInput()) {
            int n = inflater.inflate(out, length, out.length - length);
            if (inflater.needsDictionary()) {
                throw new DataFormatException("a raw deflate stream never asks for a dictionary");
            }
            if (n == 0) {
                break;
            }
            length += n;
        }
        return length;
    }
}
