package ws.benchmark.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import ws.benchmark.candidates.ArrayMasker;
import ws.benchmark.candidates.DfaUtf8Validator;
import ws.protocol.Masker;
import ws.protocol.Utf8Validator;

/**
 * The SDK's masking and UTF-8 validation next to candidate implementations
 * ({@link ArrayMasker}, {@link DfaUtf8Validator}) on the same 64 KiB input: what the owners of the
 * engine would gain by adopting them. {@code setUp} checks that each candidate gives the SDK's result.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CandidateBenchmark {
    /** ascii or mixed text (for the validators; masking uses the same bytes either way). */
    @Param({"ascii", "mixed"})
    public String text;

    private byte[] bytes;
    private byte[] out;
    private ByteBuffer src;
    private ByteBuffer dst;
    private final Utf8Validator sdkValidator = new Utf8Validator();
    private final DfaUtf8Validator dfaValidator = new DfaUtf8Validator();
    private static final int KEY = 0x37FA213D;

    /** Builds the input and checks that the candidates agree with the SDK. */
    @Setup
    public void setUp() {
        bytes = text.equals("ascii") ? Payloads.ascii(65536) : Payloads.mixedUtf8(65536);
        out = new byte[bytes.length];
        src = ByteBuffer.wrap(bytes);
        dst = ByteBuffer.wrap(new byte[bytes.length]);
        for (int offset = 0; offset < 4; offset++) {
            Masker.mask(src.duplicate().position(offset), dst.clear().position(offset), KEY, offset);
            ArrayMasker.mask(bytes, offset, out, offset, bytes.length - offset, KEY, offset);
            if (!java.util.Arrays.equals(dst.array(), offset, bytes.length, out, offset, bytes.length)) {
                throw new IllegalStateException("ArrayMasker differs from Masker at offset " + offset);
            }
        }
        byte[][] samples = {bytes, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90},
            {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {(byte) 0x80}};
        for (byte[] sample : samples) {
            sdkValidator.reset();
            dfaValidator.reset();
            int a = sdkValidator.feed(sample, 0, sample.length);
            int b = dfaValidator.feed(sample, 0, sample.length);
            if (a != b || sdkValidator.isComplete() != dfaValidator.isComplete()) {
                throw new IllegalStateException("DfaUtf8Validator differs from Utf8Validator: " + a + " vs " + b);
            }
        }
    }

    /** The SDK's masking (ByteBuffer, 8 bytes at a time). */
    @Benchmark
    public ByteBuffer maskSdk() {
        Masker.mask(src.duplicate(), dst.clear(), KEY, 0);
        return dst;
    }

    /** The candidate masking (long view of the array, 32 bytes per iteration). */
    @Benchmark
    public byte[] maskCandidate() {
        ArrayMasker.mask(bytes, 0, out, 0, bytes.length, KEY, 0);
        return out;
    }

    /** The SDK's validator. */
    @Benchmark
    public boolean utf8Sdk() {
        sdkValidator.reset();
        return sdkValidator.feed(bytes, 0, bytes.length) < 0 && sdkValidator.isComplete();
    }

    /** The candidate validator. */
    @Benchmark
    public boolean utf8Candidate() {
        dfaValidator.reset();
        return dfaValidator.feed(bytes, 0, bytes.length) < 0 && dfaValidator.isComplete();
    }
}
