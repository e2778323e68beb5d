package ws.benchmark.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import ws.protocol.Utf8Validator;

/**
 * Incremental UTF-8 validation ({@link Utf8Validator}) of 64 KiB of text: all ASCII (the
 * eight-bytes-at-a-time path) or mixed scripts (a third of the bytes outside ASCII).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Utf8Benchmark {
    /** The kind of text. */
    @Param({"ascii", "mixed"})
    public String text;

    private byte[] bytes;
    private final Utf8Validator validator = new Utf8Validator();

    /** Builds the text. */
    @Setup
    public void setUp() {
        bytes = text.equals("ascii") ? Payloads.ascii(65536) : Payloads.mixedUtf8(65536);
        if (!Utf8Validator.isValid(bytes, 0, bytes.length)) {
            throw new IllegalStateException("benchmark input is not valid UTF-8");
        }
    }

    /** Validates the whole text. */
    @Benchmark
    public boolean validate() {
        validator.reset();
        return validator.feed(bytes, 0, bytes.length) < 0 && validator.isComplete();
    }
}
