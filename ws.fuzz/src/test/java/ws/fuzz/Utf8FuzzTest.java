package ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import ws.protocol.Utf8Validator;

/**
 * The UTF-8 validator (RFC 3629; RFC 6455 section 8.1) against the JDK's UTF-8 decoder as the oracle:
 * the same verdict on every input; fed in two pieces, on a heap and on a direct buffer, the same
 * verdict; and where the input is invalid, the first byte the validator rejects is the first byte of
 * the first malformed sequence the decoder reports, or within it. Bytes 0-1 of an input give where
 * to split it (big-endian); the rest is the text.
 */
class Utf8FuzzTest {

    @FuzzTest
    void utf8(byte[] data) {
        if (data.length < 2) {
            return;
        }
        byte[] input = Arrays.copyOfRange(data, 2, data.length);
        int split = Math.min(((data[0] & 0xFF) << 8) | (data[1] & 0xFF), input.length);

        int malformedAt = firstMalformed(input);
        boolean valid = malformedAt < 0;
        check(Utf8Validator.isValid(input, 0, input.length) == valid, "isValid(array) says " + !valid);
        check(Utf8Validator.isValid(ByteBuffer.wrap(input)) == valid, "isValid(heap buffer) says " + !valid);
        ByteBuffer direct = ByteBuffer.allocateDirect(input.length).put(input).flip();
        check(Utf8Validator.isValid(direct) == valid, "isValid(direct buffer) says " + !valid);

        for (boolean useDirect : new boolean[] {false, true}) {
            Utf8Validator validator = new Utf8Validator();
            int first = feed(validator, input, 0, split, useDirect);
            int rejectedAt = first >= 0 ? first : feed(validator, input, split, input.length - split, useDirect);
            if (first < 0 && rejectedAt >= 0) {
                rejectedAt += split;
            }
            boolean complete = rejectedAt < 0 && validator.isComplete();
            check(complete == valid, "fed in two pieces at " + split + (useDirect ? " (direct)" : "") + " the verdict is " + complete);
            check(validator.isFailed() == (rejectedAt >= 0), "isFailed() disagrees with the index returned");
            if (!valid && rejectedAt >= 0) {
                // The validator fails at the first byte that cannot continue; the decoder reports the
                // malformed sequence that starts at or before it.
                check(rejectedAt >= malformedAt, "rejected at " + rejectedAt + " before the decoder's malformed sequence at " + malformedAt);
                check(rejectedAt <= malformedAt + 3, "rejected at " + rejectedAt + ", the decoder's malformed sequence starts at " + malformedAt);
            }
            if (!valid && rejectedAt < 0) {
                // Not rejected: the input must end inside a sequence the decoder calls malformed at the end.
                check(!validator.isComplete() && malformedAt >= input.length - 3, "a truncated tail, else rejected");
            }
        }
    }

    private static int feed(Utf8Validator validator, byte[] input, int offset, int length, boolean direct) {
        if (!direct) {
            return validator.feed(input, offset, length);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(length).put(input, offset, length).flip();
        return validator.feed(buffer);
    }

    /** Where the JDK's decoder finds the first malformed input, or -1 when all is valid. */
    private static int firstMalformed(byte[] input) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(input);
        CharBuffer out = CharBuffer.allocate(input.length + 1);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            return in.position();
        }
        result = decoder.flush(out);
        return result.isError() ? in.position() : -1;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

}
