package ws.protocol.driver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;

/**
 * What others wait on in a connection: its open, close and terminated futures and its
 * {@link ReadPause}. Each is made when first asked for (most server connections are never asked),
 * through a compare-and-exchange on the driver's field; what it completes with is kept in a field
 * of its own, and whichever of the maker and the completer comes second completes it. Stateless:
 * the fields are the driver's, so a connection never asked costs none of them.
 */
final class ConnectionFutures {
    private static final VarHandle CLOSE_FUTURE;
    private static final VarHandle OPEN_FUTURE;
    private static final VarHandle TERMINATED;
    private static final VarHandle READ_PAUSE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSE_FUTURE = lookup.findVarHandle(ConnectionDriver.class, "closeFuture", CompletableFuture.class);
            OPEN_FUTURE = lookup.findVarHandle(ConnectionDriver.class, "openFuture", CompletableFuture.class);
            TERMINATED = lookup.findVarHandle(ConnectionDriver.class, "terminated", CompletableFuture.class);
            READ_PAUSE = lookup.findVarHandle(ConnectionDriver.class, "readPause", ReadPause.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ConnectionFutures() {
    }

    /** Completes after {@code onOpen}, or fails with why the connection never opened. */
    static CompletableFuture<WebSocket> openFuture(ConnectionDriver d) {
        CompletableFuture<WebSocket> future = d.openFuture;
        if (future == null) {
            future = made(d, OPEN_FUTURE);
        }
        settleOpen(d, future, d.openOutcome);
        return future;
    }

    /** Completes when {@link ConnectionDriver#finish()} has run. */
    static CompletableFuture<Void> terminated(ConnectionDriver d) {
        CompletableFuture<Void> future = d.terminated;
        if (future == null) {
            future = made(d, TERMINATED);
        }
        if (d.finished) {
            future.complete(null);
        }
        return future;
    }

    /** Completes with the connection's final status once it ended. */
    static CompletableFuture<CloseStatus> closeFuture(ConnectionDriver d) {
        CompletableFuture<CloseStatus> future = d.closeFuture;
        if (future == null) {
            future = made(d, CLOSE_FUTURE);
        }
        CloseStatus status = d.closedWith;
        if (status != null) {
            future.complete(status);
        }
        return future;
    }

    /** The future in {@code field}, made now unless another thread made it first. */
    @SuppressWarnings("unchecked")
    private static <T> CompletableFuture<T> made(ConnectionDriver d, VarHandle field) {
        CompletableFuture<T> made = new CompletableFuture<>();
        Object first = field.compareAndExchange(d, (CompletableFuture<T>) null, made);
        return first == null ? made : (CompletableFuture<T>) first;
    }

    /** The opening ended with {@code outcome} (this connection, or a Throwable): once. */
    static void opening(ConnectionDriver d, Object outcome) {
        if (d.openOutcome != null) {
            return;
        }
        d.openOutcome = outcome;
        CompletableFuture<WebSocket> future = d.openFuture;
        if (future != null) {
            settleOpen(d, future, outcome);
        }
    }

    private static void settleOpen(ConnectionDriver d, CompletableFuture<WebSocket> future, Object outcome) {
        if (outcome instanceof Throwable failed) {
            future.completeExceptionally(failed);
        } else if (outcome != null) {
            future.complete(d);
        }
    }

    /**
     * Where the reading thread waits for the application inside a callback (a stream's room, a
     * subscriber's demand); released when the connection ends.
     */
    static ReadPause readPause(ConnectionDriver d) {
        ReadPause pause = d.readPause;
        if (pause == null) {
            ReadPause made = new ReadPause();
            pause = (ReadPause) READ_PAUSE.compareAndExchange(d, (ReadPause) null, made);
            if (pause == null) {
                pause = made;
                if (d.pauseReleased) {
                    made.release();
                }
            }
        }
        return pause;
    }

    /** The connection ends: a waiting reader wakes, and every later wait returns at once. */
    static void releaseReadPause(ConnectionDriver d) {
        d.pauseReleased = true;
        ReadPause pause = d.readPause;
        if (pause != null) {
            pause.release();
        }
    }
}
