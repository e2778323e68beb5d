package ws.protocol.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes an engine has produced and its driver has not yet taken. Small frames are written one
 * after another into a shared chunk (so a burst of small frames becomes one buffer, and no buffer is
 * allocated per frame); large payloads that need no copy are queued as they are. What
 * {@link #drain()} returns are slices the driver owns: the engine never writes into them again.
 */
final class Output {
    /** The size of a fresh chunk; larger frames get a chunk of their own size. */
    static final int CHUNK_SIZE = 8192;

    private ArrayList<ByteBuffer> ready = new ArrayList<>();
    private long readyBytes;
    private ByteBuffer chunk;
    /** Where the bytes of {@link #chunk} not yet sealed into {@link #ready} start. */
    private int start;

    /**
     * A buffer with at least {@code size} bytes of room at its position; the caller writes exactly
     * the bytes it needs there, advancing the position.
     */
    ByteBuffer reserve(int size) {
        if (chunk == null || chunk.remaining() < size) {
            seal();
            chunk = ByteBuffer.allocate(Math.max(size, CHUNK_SIZE));
            start = 0;
        }
        return chunk;
    }

    /** Queues a buffer as it is (from position to limit), after everything written before. */
    void add(ByteBuffer buffer) {
        seal();
        if (buffer.hasRemaining()) {
            ready.add(buffer);
            readyBytes += buffer.remaining();
        }
    }

    /** Bytes produced and not yet drained. */
    long pending() {
        return readyBytes + (chunk == null ? 0 : chunk.position() - start);
    }

    /** Everything produced since the last call, in order; the buffers belong to the caller. */
    List<ByteBuffer> drain() {
        seal();
        if (ready.isEmpty()) {
            return List.of();
        }
        List<ByteBuffer> out = ready;
        ready = new ArrayList<>();
        readyBytes = 0;
        return out;
    }

    private void seal() {
        if (chunk != null) {
            int end = chunk.position();
            if (end > start) {
                ready.add(chunk.slice(start, end - start));
                readyBytes += end - start;
                start = end;
            }
            if (!chunk.hasRemaining()) {
                chunk = null;
            }
        }
    }
}
