package ws.protocol.driver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import ws.protocol.api.ReadyState;
import ws.protocol.api.SendQueueException;
import ws.protocol.api.WebSocket;

/**
 * A {@link Reconnector}'s sends: straight to the open connection, or, while it is down (or its
 * queue is still being handed over), a whole message into the {@link SendQueue}; parts of a
 * fragmented message, pings and pongs only to an open connection (the parts all to the same one).
 * Stateless: the state it reads and changes is the reconnector's, under its lock.
 */
final class ReconnectSends {
    private ReconnectSends() {
    }

    /** A whole message: sent now if a connection is live, else queued (perhaps dropping the oldest). */
    static CompletableFuture<Void> sendOrQueue(Reconnector r, Supplier<SendQueue.Item> queued,
                                               Function<WebSocket, CompletableFuture<Void>> direct) {
        SendQueue.Item item;
        List<SendQueue.Item> dropped;
        WebSocket live;
        r.lock.lock();
        try {
            requireNotClosedByUser(r);
            if (r.ended) {
                return CompletableFuture.failedFuture(new SendQueueException(SendQueueException.Reason.CLOSED,
                        "the reconnecting client to " + r.uri() + " is over: " + r.closeFuture().getNow(null)));
            }
            live = liveConnection(r);
            if (live == null) {
                item = queued.get();
                try {
                    dropped = r.queue.add(item, describeDown(r));
                } catch (SendQueueException e) {
                    return CompletableFuture.failedFuture(e);
                }
            } else {
                item = null;
                dropped = List.of();
            }
        } finally {
            r.lock.unlock();
        }
        if (live != null) {
            return direct.apply(live);
        }
        for (SendQueue.Item old : dropped) {
            old.future.completeExceptionally(new SendQueueException(SendQueueException.Reason.DROPPED,
                    "dropped from the full send queue (Reconnect.Overflow.DROP_OLDEST) to make room for a newer message"));
        }
        return item.future;
    }

    /** A part of a fragmented message: only to an open connection, and every part to the same one. */
    static CompletableFuture<Void> sendPart(Reconnector r, boolean lastPart,
                                            Function<WebSocket, CompletableFuture<Void>> direct) {
        WebSocket live;
        r.lock.lock();
        try {
            requireNotClosedByUser(r);
            live = liveConnection(r);
            if (live == null || (r.partialOn != null && r.partialOn != live)) {
                r.partialOn = lastPart ? null : Reconnector.BROKEN;
                return CompletableFuture.failedFuture(new SendQueueException(SendQueueException.Reason.NOT_CONNECTED,
                        "parts of a fragmented message go only to an open connection, and all to the same one ("
                                + describeDown(r) + ")"));
            }
            r.partialOn = lastPart ? null : live;
        } finally {
            r.lock.unlock();
        }
        return direct.apply(live);
    }

    /** A ping or a pong: about one connection, so only to an open one, never queued. */
    static CompletableFuture<Void> control(Reconnector r, Function<WebSocket, CompletableFuture<Void>> direct) {
        WebSocket live;
        r.lock.lock();
        try {
            requireNotClosedByUser(r);
            live = liveConnection(r);
            if (live == null) {
                return CompletableFuture.failedFuture(new SendQueueException(SendQueueException.Reason.NOT_CONNECTED,
                        "pings and pongs are about one connection and are not queued (" + describeDown(r) + ")"));
            }
        } finally {
            r.lock.unlock();
        }
        return direct.apply(live);
    }

    /** The open connection sends go straight to, or null (down, or the queue still being handed over). Under the lock. */
    private static WebSocket liveConnection(Reconnector r) {
        WebSocket open = r.connection;
        return r.phase == Reconnector.Phase.OPEN && !r.draining && open != null
                && open.readyState() == ReadyState.OPEN ? open : null;
    }

    private static String describeDown(Reconnector r) {
        return switch (r.phase) {
            case CONNECTING -> r.connections == 0 ? "connecting" : "reconnecting, attempt " + r.failures;
            case WAITING -> "waiting to reconnect, attempt " + r.failures;
            case OPEN -> "the connection is closing";
            case CLOSED -> "closed";
        };
    }

    private static void requireNotClosedByUser(Reconnector r) {
        if (r.userClosed) {
            throw new IllegalStateException("the reconnecting client to " + r.uri() + " was closed by the application");
        }
    }
}
