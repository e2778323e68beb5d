package ws.protocol.driver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import ws.protocol.CloseCodes;
import ws.protocol.engine.OutputHandler;
import ws.protocol.engine.Protocol;
import ws.protocol.engine.ProtocolEvent;
import ws.protocol.engine.ProtocolState;

/**
 * A connection's engine under the driver's lock, and what it hands over: its output to the outgoing
 * queue ({@link Outbound}, made by the first output) and its events to the inbox (made by the first
 * events); both dropped again when the connection goes idle ({@link #shed}), with the engine's
 * buffers. Stateless: the queue, the inbox and the engine are the driver's fields.
 */
final class EngineCalls {
    private EngineCalls() {
    }

    /**
     * Calls the engine under the lock (when {@code call} is not null), then moves its output to the
     * queue (with {@code future} on the last of it) and its events to the inbox.
     */
    static void withEngine(ConnectionDriver d, Consumer<Protocol> call, CompletableFuture<Void> future) {
        d.lock.lock();
        try {
            if (call != null) {
                recycleOutput(d);
                call.accept(d.engine);
            }
            collectLocked(d, future);
        } finally {
            d.lock.unlock();
        }
    }

    /**
     * Once everything the engine handed over is written, its output buffer is written over again
     * rather than a new one allocated (the sinks copy what they write). Under the lock.
     */
    static void recycleOutput(ConnectionDriver d) {
        Outbound out = d.outbound;
        if (out != null && out.allWritten()) {
            d.engine.recycleOutput();
        }
    }

    /**
     * Moves the engine's output to the queue (with {@code future} on the last of it) and its events to
     * the inbox; notes who started the end and arms the close timer once the engine closes. Under the lock.
     */
    static void collectLocked(ConnectionDriver d, CompletableFuture<Void> future) {
        Protocol engine = d.engine;
        Outbound out = d.outbound;
        if (out == null && d.sink != null && (future != null || engine.hasOutput())) {
            out = outboundLocked(d);
        }
        if (out != null) {
            out.collect(engine, future, d.state == ProtocolState.CONNECTING); // still the state before this call
        }
        List<ProtocolEvent> kept = engine.events(); // events of an engine that had no inbox to feed
        if (!kept.isEmpty()) {
            inbox(d).addAll(kept);
        }
        ProtocolState now = engine.state();
        // the engine adds its events to the inbox as they happen; one that ends the connection (the
        // peer's close, a failure) leaves the engine no longer open, so only then is the inbox looked at
        ArrayDeque<ProtocolEvent> events = d.inbox;
        if (d.initiator == null && now != ProtocolState.OPEN && events != null) {
            for (ProtocolEvent event : events) {
                if (event instanceof ProtocolEvent.CloseReceived) {
                    d.initiator = ConnectionObserver.Initiator.REMOTE;
                    break;
                }
                if (event instanceof ProtocolEvent.Failed failed
                        && failed.status().code() != CloseCodes.ABNORMAL_CLOSURE) {
                    // a failure this side detected (not an input that ended in the middle of a frame)
                    d.initiator = ConnectionObserver.Initiator.LOCAL;
                    break;
                }
            }
        }
        d.state = now;
        if (!d.closeTimerArmed && (now == ProtocolState.CLOSED || engine.closeExpected())) {
            d.armCloseTimer();
        }
    }

    /**
     * Calls the engine under the lock to answer the opening handshake ({@code call}: the server's
     * accept) and takes the answer (the 101 response) from the engine's output, held by the driver
     * until the reading thread's pump ends, as a queued answer was: by then the connection counts
     * as open on this side, and {@code onOpen} has run. {@link #flushInline} then writes it straight
     * to the sink: the socket nearly always takes it whole, and no outgoing queue is made for it only
     * to be dropped once it is written (the connection being idle). A queue made meanwhile ({@code
     * onOpen} sent) takes the answer first; whatever the sink does not take, or all of it on a sink
     * that cannot write without blocking, goes into a queue made for it, first in line.
     */
    static void withEngineAnswering(ConnectionDriver d, Consumer<Protocol> call) {
        d.lock.lock();
        try {
            recycleOutput(d);
            call.accept(d.engine);
            if (d.outbound == null && d.sink != null && d.engine.hasOutput()) {
                Answer answer = new Answer();
                d.engine.drainOutput(answer);
                d.answer = answer;
            }
            collectLocked(d, null);
        } finally {
            d.lock.unlock();
        }
    }

    /** Writes the held answer as far as the sink takes it now and queues the rest. Under the lock, on the reading thread. */
    private static void writeAnswer(ConnectionDriver d, Answer answer) {
        d.answer = null;
        long written = 0;
        if (!answer.end && answer.count > 0) {
            try {
                written = Math.max(0, d.sink.tryWrite(answer.buffers, 0, answer.count));
            } catch (IOException | RuntimeException e) {
                written = 0; // the queue's write fails the same way and reports it as every write failure
            }
        }
        if (written > 0) {
            d.writtenBefore += written;
            d.observer().bytesWritten(written);
        }
        if (written < answer.size || answer.end) {
            outboundLocked(d).enqueueOpening(answer.buffers, answer.count, answer.end); // what is left, first
        }
    }

    /** The engine's answer to the opening handshake, as drained: data buffers in order (no control frames come before the 101). */
    static final class Answer implements OutputHandler {
        ByteBuffer[] buffers = new ByteBuffer[2];
        int count;
        long size;
        boolean end;

        @Override
        public void control(ByteBuffer frame) {
            data(frame, true);
        }

        @Override
        public void data(ByteBuffer bytes, boolean frameEnd) {
            if (!bytes.hasRemaining()) {
                return;
            }
            if (count == buffers.length) {
                buffers = java.util.Arrays.copyOf(buffers, count * 2);
            }
            buffers[count++] = bytes;
            size += bytes.remaining();
        }

        @Override
        public void endOfOutput() {
            end = true;
        }
    }

    /** The outgoing queue, made if the connection has none (under the lock; the sink exists). */
    static Outbound outboundLocked(ConnectionDriver d) {
        Outbound out = d.outbound;
        if (out == null) {
            out = new Outbound(d.sink, d.host.writers(), error -> Closing.writeFailed(d, error), d.observer());
            d.outbound = out;
            d.outputQueuesMade++;
            Answer answer = d.answer;
            if (answer != null) { // the opening handshake's answer, not yet written: first in line
                d.answer = null;
                out.enqueueOpening(answer.buffers, answer.count, answer.end);
            }
        }
        return out;
    }

    /**
     * The inbox, made with the first events after the connection was idle (under the lock); the
     * engine then adds its events to it as they happen, with no list per read, until it is dropped.
     */
    private static ArrayDeque<ProtocolEvent> inbox(ConnectionDriver d) {
        ArrayDeque<ProtocolEvent> queue = d.inbox;
        if (queue == null) {
            queue = new ArrayDeque<>(2);
            d.inbox = queue;
            d.engine.deliverEventsTo(queue);
        }
        return queue;
    }

    /** Takes what the reader's sends left in the engine into the output queue. */
    static void collectDeferred(ConnectionDriver d, Outbound out) {
        d.lock.lock();
        try {
            if (out.hasDeferred()) {
                collectLocked(d, null);
            }
        } finally {
            d.lock.unlock();
        }
    }

    /** Writes what is queued as far as the sink takes it at once, on this thread; the rest goes to the writer. */
    static void flushInline(ConnectionDriver d) {
        if (d.answer != null) {
            d.lock.lock();
            try {
                Answer answer = d.answer;
                if (answer != null) {
                    writeAnswer(d, answer);
                }
            } finally {
                d.lock.unlock();
            }
        }
        Outbound out = d.outbound;
        if (out != null) {
            out.flushInline();
        }
    }

    /** Has the hand-off writer write what is queued, if anything is. */
    static void flushAsync(ConnectionDriver d) {
        Outbound out = d.outbound;
        if (out != null) {
            out.flushAsync();
        }
    }

    /**
     * If the connection is open and nothing is queued, being written or waited for: drops the outgoing
     * queue, the empty inbox and the engine's buffers kept for the next message and output (the next
     * output, event or message makes them again). An idle connection then holds none of them.
     */
    static void shed(ConnectionDriver d) {
        d.lock.lock();
        try {
            if (d.state != ProtocolState.OPEN) {
                return;
            }
            Outbound out = d.outbound;
            if (out != null) {
                if (!out.isIdle()) {
                    return;
                }
                d.writtenBefore += out.bytesWritten();
                d.outbound = null;
            }
            ArrayDeque<ProtocolEvent> queue = d.inbox;
            if (queue != null && queue.isEmpty()) {
                d.inbox = null;
                d.engine.deliverEventsTo(null); // the engine keeps its next events until an inbox is made again
            }
            d.engine.trim();
        } finally {
            d.lock.unlock();
        }
    }
}
