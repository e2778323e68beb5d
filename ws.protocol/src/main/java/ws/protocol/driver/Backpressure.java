package ws.protocol.driver;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import ws.protocol.CloseCodes;
import ws.protocol.api.BackpressureException;
import ws.protocol.api.BackpressurePolicy;

/**
 * A connection's admission of messages under its high-water mark: whether a message fits now, and
 * if not, its {@link BackpressurePolicy} ({@code WAIT}, {@code FAIL}, {@code CLOSE}; a broadcast's
 * {@code WAIT} is a {@code FAIL}). Stateless: the state is the driver's (its outgoing queue's
 * buffered amount, its options), so a connection costs no object for it.
 */
final class Backpressure {
    private Backpressure() {
    }

    /**
     * Why a broadcast skipped a connection that is not open, or one over its high-water mark under
     * {@code WAIT} or {@code FAIL}: one instance each, made once. A broadcast to many connections
     * skips the same stalled ones message after message; an exception of its own each time (a stack
     * trace filled, a message formatted, and a second exception wrapping it for a completion
     * handler) cost microseconds per skipped connection per message, which a few stalled clients
     * turned into a broadcaster several times slower for everyone else (bench/slow-consumers).
     */
    static final IllegalStateException BROADCAST_NOT_OPEN =
            new IllegalStateException("broadcast skipped: the connection is not open");
    static final BackpressureException BROADCAST_OVER_MARK =
            new BackpressureException("broadcast skipped: the connection's buffered amount is over its high-water mark");

    /**
     * Applies the backpressure policy: whether a message of {@code size} bytes may be queued now.
     * Nothing queued means room for any message, so one larger than the mark is never refused forever.
     */
    static boolean makeRoom(ConnectionDriver d, Outbound out, long size, CompletableFuture<Void> future,
                            boolean broadcast) {
        if (hasRoom(d, out, size)) {
            return true;
        }
        long mark = d.options().highWaterMark();
        long buffered = out.bufferedAmount();
        BackpressurePolicy policy = d.options().backpressure();
        if (broadcast && policy == BackpressurePolicy.WAIT) {
            // a broadcaster never waits for one slow client
            policy = BackpressurePolicy.FAIL;
        }
        if (policy == BackpressurePolicy.WAIT && out.isWriterThread()) {
            // a send from an action chained to an earlier send's future runs on the writer, which
            // alone makes room: it must not wait for itself, and its bytes go right after
            return true;
        }
        d.observer().backpressure(d, policy, buffered, size, mark);
        switch (policy) {
            case WAIT -> {
                EngineCalls.collectDeferred(d, out); // a deferred flush (the reader's own sends) must not wait for itself
                out.flushAsync();
                Duration bound = d.options().closeTimeout();
                try {
                    if (out.awaitRoom(size, mark, System.nanoTime() + bound.toNanos())) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    future.completeExceptionally(e);
                    return false;
                }
                IOException failed = out.failure();
                future.completeExceptionally(failed != null ? failed
                        : new BackpressureException("buffered amount " + out.bufferedAmount() + " + " + size
                        + " stayed above the high-water mark " + mark + " for " + bound));
                return false;
            }
            case FAIL -> {
                future.completeExceptionally(new BackpressureException("buffered amount " + buffered + " + " + size
                        + " > high-water mark " + mark));
                return false;
            }
            case CLOSE -> {
                BackpressureException error = new BackpressureException("buffered amount " + buffered + " + " + size
                        + " > high-water mark " + mark + ": closing with 1008");
                future.completeExceptionally(error);
                d.log().debug("{}: {}", d.id(), error.getMessage());
                Closing.failConnection(d, CloseCodes.POLICY_VIOLATION, "send buffer over the high-water mark", error);
                return false;
            }
        }
        return false;
    }

    /** Whether {@code size} more bytes fit under the high-water mark now (an empty queue takes any message). */
    static boolean hasRoom(ConnectionDriver d, Outbound out, long size) {
        long buffered = out == null ? 0 : out.bufferedAmount();
        return buffered == 0 || buffered + size <= d.options().highWaterMark();
    }

    /**
     * The size the backpressure check counts for a text: its exact UTF-8 length when the queue is so
     * full that it matters, else the bound of three bytes per char, which the check passes without a
     * scan of the text (the engine measures it exactly when it encodes).
     */
    static long textSize(ConnectionDriver d, CharSequence text) {
        long bound = 3L * text.length();
        return hasRoom(d, d.outbound, bound) ? bound : utf8Length(text);
    }

    /** The UTF-8 length of {@code text}, without encoding it. */
    static long utf8Length(CharSequence text) {
        long length = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
