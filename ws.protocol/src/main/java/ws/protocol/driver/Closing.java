package ws.protocol.driver;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.engine.ProtocolState;

/**
 * Starting the end of a connection, from any thread: the close handshake (the application's
 * {@code close}, the idle timeout, a server's shutdown), failing it with a code (a policy the
 * driver enforces), and aborting it (the application's {@code abort}, a timeout, a failed write):
 * the socket closed now, the reader then reports. What follows on the reading thread is
 * {@link ConnectionEnd}'s. Stateless: what it changes is the driver's.
 */
final class Closing {
    /** {@link ConnectionDriver#abortStatus}, set by compare-and-set: the first cause recorded wins. */
    private static final VarHandle ABORT_STATUS;

    static {
        try {
            ABORT_STATUS = MethodHandles.lookup().findVarHandle(ConnectionDriver.class, "abortStatus", CloseStatus.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Closing() {
    }

    /**
     * Records {@code status} as why the connection ends unless a cause was recorded already: the
     * first wins, atomically, whichever threads race (the handshake timer and the application, a read
     * failure and a timeout), so the status reported is the first cause's. Whether it was recorded.
     */
    static boolean firstCause(ConnectionDriver d, CloseStatus status) {
        return ABORT_STATUS.compareAndSet(d, (CloseStatus) null, status);
    }

    /** The close handshake, started by the application or by the transport (idle timeout, shutdown). */
    static CompletableFuture<CloseStatus> startClose(ConnectionDriver d, int code, String reason,
                                                     boolean byApplication) {
        if (d.ended) {
            return d.closeFuture();
        }
        if (!d.opened) {
            abortWith(d, new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "closed before the handshake completed"));
            return d.closeFuture();
        }
        d.releaseReadPause(); // the reader must read on, to the peer's answering close
        d.withEngine(e -> {
            // once closing, the handshake is under way and another close frame is not sent
            if (e.state() == ProtocolState.OPEN) {
                e.sendClose(code, reason);
                if (d.initiator == null) {
                    d.initiator = ConnectionObserver.Initiator.LOCAL;
                }
            }
            if (byApplication) {
                d.closeCalled = true; // under the lock, and only once the code and reason were accepted
            }
        }, null);
        d.flushAsync();
        return d.closeFuture();
    }

    /** Closes the socket now; the reader reports {@code status} unless the engine already closed. */
    static void abortWith(ConnectionDriver d, CloseStatus status) {
        if (d.state != ProtocolState.CLOSED) {
            firstCause(d, status);
        }
        if (!(status.cause() instanceof IOException)) {
            // this side's decision (the application's abort, a timeout, a shutdown), not a lost connection
            d.lock.lock();
            try {
                if (d.initiator == null) {
                    d.initiator = ConnectionObserver.Initiator.LOCAL;
                }
            } finally {
                d.lock.unlock();
            }
        }
        d.aborting = true;
        d.releaseReadPause();
        Sink w = d.sink;
        if (w != null) {
            w.close();
        } else {
            java.io.Closeable socket = d.raw;
            if (socket != null) {
                // the wire is still being made: a connect or a layer's handshake fails now
                ConnectionDriver.closeQuietly(socket);
            }
        }
    }

    /** The hand-off writer failed: the connection is aborted with why (unless it ended already). */
    static void writeFailed(ConnectionDriver d, IOException error) {
        if (d.ended) {
            return;
        }
        d.log().debug("{}: write failed: {}", d.id(), error.toString());
        abortWith(d, new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
    }

    /** Fails the connection with {@code code} (a policy the transport enforces) and has the close frame written. */
    static void failConnection(ConnectionDriver d, int code, String reason, Throwable cause) {
        d.releaseReadPause();
        d.withEngine(e -> {
            if (e.state() != ProtocolState.CLOSED) {
                e.fail(code, reason, cause);
            }
        }, null);
        d.flushAsync();
    }

    /** Server shutdown: 1001 to an open connection, an abort for one still in its handshake. */
    static void goingAway(ConnectionDriver d) {
        if (d.opened && d.state == ProtocolState.OPEN) {
            try {
                startClose(d, CloseCodes.GOING_AWAY, "server shutting down", false);
                return;
            } catch (IllegalStateException closing) {
                // closing already
            }
        }
        if (!d.opened) {
            abortWith(d, new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "server shutting down"));
        }
    }
}
