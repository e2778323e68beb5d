package ws.protocol.driver;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.Side;
import ws.protocol.engine.Protocol;
import ws.protocol.engine.ProtocolState;

/**
 * The end of a connection, once, on its own thread after its input ended or failed
 * ({@link ConnectionDriver#finish()}): the output written and ended, the sink closed, the timers
 * cancelled, the observer given the connection's summary, {@code onClose} called last and the
 * futures completed. Stateless: what it ends is the driver's.
 */
final class ConnectionEnd {
    private ConnectionEnd() {
    }

    /**
     * Why bytes still queued when a connection ends were not written: made at every end, usually for
     * nothing queued, so without a stack trace (it would only ever show {@link ConnectionDriver#finish}).
     */
    private static final class ClosedBeforeWritten extends IOException {
        ClosedBeforeWritten(String id) {
            super("connection " + id + " closed before the bytes were written");
        }

        @Override
        public Throwable fillInStackTrace() {
            return this;
        }
    }

    /** The input ended (or failed): the engine is told unless it closed already, and its last events dispatched. */
    static void endInput(ConnectionDriver d) {
        if (d.state != ProtocolState.CLOSED) {
            d.withEngine(Protocol::receiveEof, null);
        }
        d.dispatchInbox();
    }

    /**
     * Everything ends here, once, on the connection's own thread, after its input ended or failed:
     * the output is written and ended (bounded by the close timeout, whose timer closes the sink),
     * the sink closed, timers cancelled, and {@code onClose} called last.
     */
    static void finish(ConnectionDriver d) {
        try {
            if (d.sink != null) {
                try {
                    endInputOnce(d);
                    Outbound out = d.outbound; // made by the close frame or the end of output, if any
                    if (outputToEnd(d, out)) {
                        out.flushAsync();
                        // a wait on the wall clock even under a manual clock: it ends early when the
                        // close timer (on the host's clock) closes the sink and the output fails
                        out.awaitEnded(System.nanoTime() + d.options().closeTimeout().toNanos());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    d.log().debug("{}: engine failed at end of input", d.id(), e);
                }
            }
        } finally {
            release(d, true);
        }
    }

    /**
     * {@link #finish} here when it would not wait: after the input's end, no output is left to write
     * and end ({@link #outputToEnd}), and no writer holds the queue when it is discarded. The check for
     * a writer is the discard's own {@code tryLock}, not a look before it, so that a writer taking the
     * queue in between (a hand-off writer of an aborting connection) cannot make this thread wait for
     * it. Otherwise false: the input's end is done (and, for a writer found, the sink closed and the
     * queue failed), and {@link #finish} does the rest where it may wait.
     */
    static boolean finishWithoutWaiting(ConnectionDriver d) {
        boolean waits = false;
        try {
            if (d.sink != null) {
                try {
                    endInputOnce(d);
                    waits = outputToEnd(d, d.outbound);
                } catch (RuntimeException e) {
                    d.log().debug("{}: engine failed at end of input", d.id(), e);
                }
            }
        } finally {
            if (!waits) {
                waits = !release(d, false);
            }
        }
        return !waits;
    }

    /** The input's end, once: {@link #finishWithoutWaiting} may have done it before {@link #finish}. */
    private static void endInputOnce(ConnectionDriver d) {
        if (!d.inputEnded) {
            d.inputEnded = true;
            endInput(d);
        }
    }

    /** Whether output is left to write and end: the end of output not yet written on an open sink. */
    private static boolean outputToEnd(ConnectionDriver d, Outbound out) {
        return out != null && !d.aborting && d.sink.isOpen() && !out.isEnded();
    }

    /**
     * The rest of the end, once the output is ended or given up: the sink closed, the timers
     * cancelled, the queue discarded, the observer and {@code onClose} told, the futures completed.
     * Unless {@code mayWait}, it stops after the discard if a writer holds the queue (the writer settles
     * its batch before {@code onClose}) and returns false: the steps before it may run again.
     */
    private static boolean release(ConnectionDriver d, boolean mayWait) {
        d.ended = true;
        d.releaseReadPause();
        Sink s = d.sink;
        if (s != null) {
            s.close();
        }
        java.io.Closeable socket = d.raw;
        if (socket != null) {
            ConnectionDriver.closeQuietly(socket);
        }
        d.handshakeTimer.cancel(false);
        d.closeTimer.cancel(false);
        d.timer.cancel(false);
        Outbound out = d.outbound;
        if (out != null) {
            if (mayWait) {
                out.discard(new ClosedBeforeWritten(d.id()));
            } else if (!out.discardWithoutWaiting(new ClosedBeforeWritten(d.id()))) {
                return false;
            }
        }
        CloseStatus status = d.finalStatus;
        if (status == null) {
            CloseStatus override = d.abortStatus;
            status = override != null ? override : new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "");
        }
        d.host.ended(d);
        if (d.opened) {
            d.observer().closed(d, summary(d, status, out));
        }
        if (d.log().debugEnabled()) {
            d.log().debug("{}: closed {}", d.id(), status);
        }
        CloseStatus last = status;
        if (d.opened || d.side() == Side.CLIENT) {
            ListenerCalls.call(d, ListenerCalls.ANY, l -> l.onClose(d, last), true);
        }
        d.closedWith = status;
        CompletableFuture<CloseStatus> closing = d.closeFuture;
        if (closing != null) {
            closing.complete(status);
        }
        if (d.openOutcome == null) {
            Throwable why = d.handshakeError;
            if (why == null) {
                why = status.cause() != null ? status.cause()
                        : new IOException("connection closed during the opening handshake: " + status);
            }
            d.opening(why);
        }
        d.finished = true;
        CompletableFuture<Void> done = d.terminated;
        if (done != null) {
            done.complete(null);
        }
        return true;
    }

    /** What the observer is told of a connection that was open: who ended it, how long it lasted, its counts. */
    private static ConnectionObserver.Summary summary(ConnectionDriver d, CloseStatus status, Outbound out) {
        ConnectionObserver.Initiator who;
        long sent;
        long bytesOut;
        d.lock.lock();
        try {
            who = d.initiator;
            sent = d.messagesOut;
            bytesOut = d.writtenBefore + (out == null ? 0 : out.bytesWritten());
        } finally {
            d.lock.unlock();
        }
        if (who == null) {
            who = ConnectionObserver.Initiator.NONE; // lost (a reset, an end of input) without a close handshake
        }
        return new ConnectionObserver.Summary(status, who, d.clock().nanoTime() - d.openedAt, d.messagesIn, sent,
                d.bytesIn, bytesOut);
    }
}
