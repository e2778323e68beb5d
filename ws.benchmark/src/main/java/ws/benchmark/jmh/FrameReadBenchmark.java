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
import ws.protocol.FrameReader;
import ws.protocol.Masker;
import ws.protocol.Opcode;
import ws.protocol.ProtocolViolationException;
import ws.protocol.Side;

/**
 * Frame reading with unmasking, as a server does it: {@link FrameReader} parses a buffer of masked
 * client frames and its handler unmasks each payload chunk into a destination buffer
 * ({@link Masker#mask}, eight bytes at a time). Bytes per operation: the payload bytes of all
 * frames in the buffer (64 KiB either way: 1024 frames of 64 bytes, or one of 64 KiB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameReadBenchmark {
    /** Payload bytes per frame. */
    @Param({"64", "65536"})
    public int size;

    private ByteBuffer wire;
    private FrameReader reader;
    private final ByteBuffer unmasked = ByteBuffer.allocate(1 << 17);

    /** Encodes the frames and builds the reader. */
    @Setup
    public void setUp() {
        int count = Math.max(1, 65536 / size);
        wire = Payloads.maskedFrames(Opcode.BINARY, size, count, false);
        reader = new FrameReader(Side.SERVER, 0, 16 << 20, new FrameReader.Handler() {
            private int key;

            @Override
            public void onFrameStart(boolean fin, int rsv, Opcode opcode, long payloadLength, boolean masked, int maskKey) {
                key = maskKey;
            }

            @Override
            public void onPayload(ByteBuffer chunk, long frameOffset) {
                Masker.mask(chunk, unmasked, key, frameOffset);
            }

            @Override
            public void onFrameEnd() {
            }
        });
    }

    /** Parses and unmasks every frame of the buffer. */
    @Benchmark
    public int readAndUnmask() throws ProtocolViolationException {
        unmasked.clear();
        reader.feed(wire.duplicate());
        return unmasked.position();
    }
}
