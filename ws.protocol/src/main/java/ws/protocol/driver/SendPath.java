package ws.protocol.driver;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import ws.protocol.PreparedMessage;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.engine.Protocol;
import ws.protocol.engine.ProtocolState;

/**
 * A connection's sends, from any thread: admitted by {@link Backpressure}, made by the engine under
 * the driver's lock, and written by the hand-off writer (or, for the reading thread's sends while it
 * dispatches a read, queued and written together after the read). Stateless: what it uses is the
 * driver's.
 */
final class SendPath {
    /** Queued bytes above which even the reader's sends during a dispatch are handed to the writer at once. */
    static final long DEFER_LIMIT = 256 << 10;

    private SendPath() {
    }

    /**
     * Calls the engine under the lock and has the bytes written by the hand-off writer: a sender
     * never blocks on the network (a stalled peer would hold it for as long as it stalls); it waits
     * only under {@link BackpressurePolicy#WAIT}, bounded by the close timeout. The reading thread's
     * sends while it dispatches a read stay in the engine's output (counted in the buffered amount)
     * and are queued and written together after the read's events ({@link ConnectionDriver#pump}).
     *
     * @param call the engine call, a static method reference or lambda (no object per send), given {@code value}
     */
    static <T> CompletableFuture<Void> send(ConnectionDriver d, long size, boolean message,
                                            BiConsumer<Protocol, T> call, T value, boolean broadcast) {
        if (!d.opened) {
            throw new IllegalStateException("connection " + d.id() + " is not open yet: " + d.readyState());
        }
        Outbound out = d.outbound;
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (message && !Backpressure.makeRoom(d, out, size, future, broadcast)) {
            return future;
        }
        boolean onReader = d.dispatchingOnReader();
        boolean flush = !onReader;
        d.lock.lock();
        try {
            ProtocolState now = d.engine.state();
            // CLOSE_RECEIVED: the peer's close is held while the listener answers what came before it
            boolean brokenByPeer = d.failing && Thread.currentThread() != d.pumpThread;
            if ((now != ProtocolState.OPEN && now != ProtocolState.CLOSE_RECEIVED || brokenByPeer) && !d.closeCalled) {
                // closing not by the application's own close(): the peer's close frame (perhaps read
                // with the message being answered), a failure, a timeout or a shutdown. Not misuse:
                // the send fails as the API says, "the connection closed first".
                future.completeExceptionally(new IOException("connection " + d.id() + " is closing ("
                        + now + "): the send was not made"));
                return future;
            }
            EngineCalls.recycleOutput(d);
            call.accept(d.engine, value);
            if (message) {
                d.messagesOut++;
                // counted while no writer can take its bytes yet (they are queued below, under this lock):
                // a peer never has a message that messagesSent does not count
                d.observer().messageSent();
            }
            if (onReader) {
                out = EngineCalls.outboundLocked(d); // made by the first send if the connection had none
                out.defer(d.engine.pendingOutputBytes(), future);
                if (out.bufferedAmount() > DEFER_LIMIT) {
                    EngineCalls.collectLocked(d, null); // a large answer is not held back until the read's end
                    flush = true;
                }
            } else {
                EngineCalls.collectLocked(d, future);
                out = d.outbound; // made by this send if the connection had none
            }
        } finally {
            d.lock.unlock();
        }
        if (message && d.liveness.tracksMessages()) {
            // the reader's sends while it dispatches a read take that read's time: no clock read each
            d.liveness.message(onReader ? d.liveness.lastRead() : d.clock().nanoTime());
        }
        if (flush) {
            out.flushAsync();
        }
        return future;
    }

    /**
     * Broadcast: never blocks the broadcaster, never throws for this one connection, and skips a
     * connection that is not open or (unless its policy is {@code CLOSE}) over its high-water mark at
     * the cost of a failed future whose exception is shared by every such skip (made once, not per
     * connection and message).
     */
    static CompletableFuture<Void> sendBroadcast(ConnectionDriver d, PreparedMessage message) {
        Outbound out = d.outbound;
        if (!d.opened || d.ended || d.state != ProtocolState.OPEN) {
            return CompletableFuture.failedFuture(Backpressure.BROADCAST_NOT_OPEN);
        }
        long size = message.payload().remaining();
        if (d.options().backpressure() != BackpressurePolicy.CLOSE && !Backpressure.hasRoom(d, out, size)) {
            // counted and recorded as every policy decision is: a broadcaster's WAIT is a FAIL
            d.observer().backpressure(d, BackpressurePolicy.FAIL, out.bufferedAmount(), size,
                    d.options().highWaterMark());
            return CompletableFuture.failedFuture(Backpressure.BROADCAST_OVER_MARK);
        }
        try {
            return send(d, size, true, Protocol::sendPrepared, message, true);
        } catch (IllegalStateException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
