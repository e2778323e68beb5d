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

/**
 * The baseline every hot path is compared with: a plain copy of the same number of bytes, heap
 * buffer to heap buffer ({@code ByteBuffer.put}, an intrinsic arraycopy). A path that touches every
 * byte once cannot beat it; the ratio says how close it comes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryCopyBenchmark {
    /** Bytes per operation. */
    @Param({"64", "65536"})
    public int size;

    private ByteBuffer src;
    private ByteBuffer dst;

    /** Fills the source. */
    @Setup
    public void setUp() {
        src = ByteBuffer.wrap(Payloads.ascii(size));
        dst = ByteBuffer.allocate(size);
    }

    /** One copy of {@code size} bytes. */
    @Benchmark
    public ByteBuffer copy() {
        dst.clear();
        return dst.put(src.duplicate());
    }
}
