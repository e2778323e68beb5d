package ws.benchmark.jmh;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import ws.protocol.FrameWriter;
import ws.protocol.Opcode;
import ws.protocol.Side;

/**
 * Frame writing with masking, as a client does it: {@link FrameWriter#writeFrame} with a fresh
 * masking key per frame, header and masked payload into one buffer. Bytes per operation: 64 KiB of
 * payload (1024 frames of 64 bytes, or one of 64 KiB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameWriteBenchmark {
    /** Payload bytes per frame. */
    @Param({"64", "65536"})
    public int size;

    private int count;
    private ByteBuffer payload;
    private ByteBuffer out;
    private final FrameWriter writer = new FrameWriter(Side.CLIENT, new SplittableRandom(7));

    /** Allocates the payload and the output. */
    @Setup
    public void setUp() {
        count = Math.max(1, 65536 / size);
        payload = ByteBuffer.wrap(Payloads.ascii(size));
        out = ByteBuffer.allocate((FrameWriter.MAX_HEADER_LENGTH + size) * count);
    }

    /** Writes {@code count} masked frames. */
    @Benchmark
    public int writeAndMask() {
        out.clear();
        for (int i = 0; i < count; i++) {
            writer.writeFrame(out, true, 0, Opcode.BINARY, payload.duplicate());
        }
        return out.position();
    }
}
