package ws.protocol.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The bytes an engine has produced and its driver has not yet taken, in two lanes (see
 * {@link OutputHandler}): control frames (ping, pong), which may overtake data, and the data lane.
 * Small frames are written one after another into a shared chunk (so a burst of small frames becomes
 * one buffer, and no buffer is allocated per frame); large payloads that need no copy are queued as
 * they are. The data lane marks frame ends after large frames ({@link #SPLIT}) so that a driver can put
 * a control frame between them. What is drained are slices the driver owns: the engine never writes
 * into them again, unless the driver says it has written them all ({@link #recycle()}).
 */
final class Output {
    /** The size of a fresh chunk; larger frames get a chunk of their own size. */
    static final int CHUNK_SIZE = 8192;
    /** Data-lane bytes since the last marked frame end from which a frame end is marked. */
    static final int SPLIT = 64 * 1024;

    /**
     * Made on first use, grown to what the connection's bursts need and kept until {@link #trim}: an idle
     * connection holds none. Use {@link #ready()} to add.
     */
    private ArrayList<ByteBuffer> ready;
    /** The list {@link #drainTo} hands over while {@link #ready} fills again: two lists, no list per drain. */
    private ArrayList<ByteBuffer> spare;
    /** Indexes into {@link #ready} of buffers that end a frame worth splitting after; made on first use. */
    private BitSet frameEnds;
    /** Indexes into {@link #ready} of control frames (ping, pong); made on first use. */
    private BitSet controls;
    private long readyBytes;
    private long sinceMark;
    private ByteBuffer chunk;
    /** Where the bytes of {@link #chunk} not yet sealed into {@link #ready} start. */
    private int start;
    /** The end of output is due (the connection closed) and not yet drained. */
    private boolean eofPending;
    private boolean eofDone;

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
            ready().add(buffer);
            readyBytes += buffer.remaining();
            sinceMark += buffer.remaining();
        }
    }

    /** Queues a whole control frame (ping, pong) in the control lane. */
    void addControl(ByteBuffer frame) {
        seal();
        if (controls == null) {
            controls = new BitSet();
        }
        ArrayList<ByteBuffer> list = ready();
        controls.set(list.size());
        list.add(frame);
        readyBytes += frame.remaining();
    }

    /** A data frame was written completely: after a large one, a frame end is marked. */
    void frameEnd() {
        long unsealed = chunk == null ? 0 : chunk.position() - start;
        if (sinceMark + unsealed < SPLIT) {
            return;
        }
        seal();
        if (ready != null && !ready.isEmpty()) {
            if (frameEnds == null) {
                frameEnds = new BitSet();
            }
            frameEnds.set(ready.size() - 1);
        }
        sinceMark = 0;
    }

    /** The connection is closed: the end of output follows the bytes produced so far. */
    void endOfOutput() {
        if (!eofDone) {
            eofPending = true;
        }
    }

    /** Bytes produced and not yet drained. */
    long pending() {
        return readyBytes + (chunk == null ? 0 : chunk.position() - start);
    }

    /** The capacity of the chunk kept for the next small frames (0 when none). */
    int retained() {
        return chunk == null ? 0 : chunk.capacity();
    }

    /** Whether a drain would hand anything over: bytes, or the end of output. */
    boolean hasOutput() {
        return eofPending || pending() > 0;
    }

    /**
     * The driver has written every buffer drained so far and holds none of their bytes: the current
     * chunk is written over from its start rather than a new one allocated when it fills (a small
     * echo then reuses one chunk for good). A no-op while any output is not yet drained.
     */
    void recycle() {
        if (chunk != null && start > 0 && start == chunk.position() && (ready == null || ready.isEmpty())) {
            chunk.clear();
            start = 0;
        }
    }

    /** Everything produced since the last call, in the engine's order; the buffers belong to the caller. */
    List<ByteBuffer> drain() {
        seal();
        clearMarks();
        sinceMark = 0;
        if (ready == null || ready.isEmpty()) {
            return List.of();
        }
        List<ByteBuffer> out = ready;
        ready = new ArrayList<>();
        readyBytes = 0;
        return out;
    }

    /** Everything produced since the last call, by lane, then the end of output if due. */
    void drainTo(OutputHandler handler) {
        seal();
        if (ready != null && !ready.isEmpty()) {
            ArrayList<ByteBuffer> out = ready;
            ready = spare;
            spare = out;
            readyBytes = 0;
            int last = out.size() - 1;
            BitSet control = controls;
            BitSet ends = frameEnds;
            try {
                for (int i = 0; i <= last; i++) {
                    if (control != null && control.get(i)) {
                        handler.control(out.get(i));
                    } else {
                        handler.data(out.get(i), i == last || ends != null && ends.get(i));
                    }
                }
            } finally {
                out.clear(); // the buffers are the handler's now: none kept here
                clearMarks();
                sinceMark = 0;
            }
        }
        if (eofPending) {
            eofPending = false;
            eofDone = true;
            handler.endOfOutput();
        }
    }

    /**
     * Nothing pending: lets go of the lists, the marks and the current chunk (its unused room too), so
     * that an idle connection holds none of them; they are made again by the next output.
     *
     * @return whether this output is now as a new one would be (nothing pending, no end of output due
     *         or done): its connection may drop it and make a new one for the next output
     */
    boolean trim() {
        if (pending() != 0) {
            return false;
        }
        ready = null;
        spare = null;
        frameEnds = null;
        controls = null;
        chunk = null;
        start = 0;
        sinceMark = 0;
        return !eofPending && !eofDone;
    }

    private ArrayList<ByteBuffer> ready() {
        ArrayList<ByteBuffer> list = ready;
        if (list == null) {
            list = new ArrayList<>(2);
            ready = list;
        }
        return list;
    }

    private void clearMarks() {
        if (frameEnds != null) {
            frameEnds.clear();
        }
        if (controls != null) {
            controls.clear();
        }
    }

    private void seal() {
        if (chunk != null) {
            int end = chunk.position();
            if (end > start) {
                ready().add(chunk.slice(start, end - start));
                readyBytes += end - start;
                sinceMark += end - start;
                start = end;
            }
            if (!chunk.hasRemaining()) {
                chunk = null;
            }
        }
    }
}
