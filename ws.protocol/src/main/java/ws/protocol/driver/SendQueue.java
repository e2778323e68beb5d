package ws.protocol.driver;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import ws.protocol.PreparedMessage;
import ws.protocol.api.Reconnect;
import ws.protocol.api.SendQueueException;
import ws.protocol.api.WebSocket;

/**
 * The messages a {@link Reconnector} keeps while it is down, bounded by count and payload bytes, in
 * the order they were sent. Not thread-safe: the reconnector guards it with its lock.
 */
final class SendQueue {

    /** One message waiting, with the future its sender holds. */
    static final class Item {
        private final Object message;
        private final long bytes;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        private Item(Object message, long bytes) {
            this.message = message;
            this.bytes = bytes;
        }

        static Item text(CharSequence text) {
            return new Item(text.toString(), Backpressure.utf8Length(text));
        }

        static Item binary(ByteBuffer data) {
            // our own position and limit; the bytes are the caller's until the future completes
            return new Item(data.duplicate(), data.remaining());
        }

        static Item prepared(PreparedMessage message) {
            return new Item(message, message.payload().remaining());
        }

        /** Hands the message to {@code connection}; its future follows the connection's. */
        void sendOn(WebSocket connection) {
            CompletableFuture<Void> sent;
            try {
                sent = switch (message) {
                    case String text -> connection.sendText(text);
                    case ByteBuffer data -> connection.sendBinary(data);
                    case PreparedMessage prepared -> connection.send(prepared);
                    default -> throw new IllegalStateException("not a message: " + message);
                };
            } catch (IllegalStateException closing) {
                // the application closed the connection while the queue was being handed over
                future.completeExceptionally(new SendQueueException(SendQueueException.Reason.CLOSED,
                        "the connection was closed before this queued message was sent: " + closing.getMessage()));
                return;
            }
            sent.whenComplete((done, error) -> {
                if (error == null) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(error);
                }
            });
        }
    }

    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private final int maxMessages;
    private final long maxBytes;
    private final Reconnect.Overflow overflow;
    private long bytes;

    SendQueue(Reconnect policy) {
        this.maxMessages = policy.queueMessages();
        this.maxBytes = policy.queueBytes();
        this.overflow = policy.overflow();
    }

    /**
     * Queues {@code item}, dropping the oldest first under {@link Reconnect.Overflow#DROP_OLDEST}.
     *
     * @return the items dropped to make room (their futures are the caller's to fail, outside the lock)
     * @throws SendQueueException when it does not fit (and nothing was dropped)
     */
    List<Item> add(Item item, String state) throws SendQueueException {
        if (maxMessages == 0) {
            throw new SendQueueException(SendQueueException.Reason.NOT_CONNECTED,
                    "not connected (" + state + ") and sends while down are not queued (Reconnect.withoutQueue)");
        }
        boolean fitsAlone = item.bytes <= maxBytes;
        if (!fitsAlone || (overflow == Reconnect.Overflow.FAIL_NEW && !fits(item))) {
            throw new SendQueueException(SendQueueException.Reason.QUEUE_FULL, "not connected (" + state
                    + ") and the send queue is full: " + items.size() + " of " + maxMessages + " messages, " + bytes
                    + " + " + item.bytes + " > " + maxBytes + " bytes" + (fitsAlone ? "" : " (larger than the whole queue)"));
        }
        List<Item> dropped = List.of();
        while (!fits(item)) {
            if (dropped.isEmpty()) {
                dropped = new ArrayList<>();
            }
            Item oldest = items.poll();
            bytes -= oldest.bytes;
            dropped.add(oldest);
        }
        items.add(item);
        bytes += item.bytes;
        return dropped;
    }

    private boolean fits(Item item) {
        return items.size() < maxMessages && bytes + item.bytes <= maxBytes;
    }

    /** The oldest item, removed; null when empty. */
    Item poll() {
        Item item = items.poll();
        if (item != null) {
            bytes -= item.bytes;
        }
        return item;
    }

    /** Every item, removed, oldest first. */
    List<Item> clear() {
        List<Item> all = new ArrayList<>(items);
        items.clear();
        bytes = 0;
        return all;
    }

    int size() {
        return items.size();
    }

    long bytes() {
        return bytes;
    }
}
