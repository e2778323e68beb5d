package ws.protocol.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionBoundListener;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ReadPause;

/**
 * One connection's messages as a {@link Flow.Publisher}, with demand reaching the network: a message
 * is published only after the subscriber {@link Flow.Subscription#request requested} it, and while
 * there is no demand the connection's reading thread waits and reads nothing more from the network
 * (at most the message that waits and the rest of one network read are held). It is the connection's
 * listener: give it to {@code connect} on a client, or use {@link #perConnection} for a route.
 *
 * <p>Items are whole messages ({@link Message.Text}, {@link Message.Binary}), assembled by the engine
 * within {@link ws.protocol.Limits#maxMessageSize()}; for messages too large to hold, use
 * {@link MessageStreams#receiving} instead.
 *
 * <p>The Reactive Streams rules it keeps: one subscriber (a second one gets {@code onSubscribe} then
 * {@code onError} with an {@link IllegalStateException}; rule 1.9, 2.5); never more {@code onNext}
 * than requested (1.1); signals never concurrent (1.3), {@code onSubscribe} first; {@code request(n)}
 * with {@code n <= 0} signals {@code onError} with an {@link IllegalArgumentException} (3.9); after
 * {@code cancel()} nothing more is signalled and further calls do nothing (3.6, 3.7); demand adds up
 * to {@link Long#MAX_VALUE} (3.17). The end: {@code onComplete} when the connection closed with 1000
 * or 1001, {@code onError} with an {@link IOException} carrying the close status otherwise.
 *
 * <p><b>Cancelling closes the connection</b> with 1000: no one reads its messages any more, and a
 * connection whose reads stay paused would only time out. Messages arriving meanwhile are dropped.
 *
 * <p><b>One connection, not a reconnecting one.</b> It is a {@link ConnectionBoundListener}:
 * {@code connectReconnecting} refuses it (and {@link #perConnection}'s listener) with an
 * {@link IllegalArgumentException}. Demand reaches the socket by pausing the reading of the one
 * connection it was given, and a stream's end is that connection's close: the messages lost while a
 * connection is down would be a silent gap in what the subscriber takes for one ordered stream. To
 * follow a server across drops, connect again with a new publisher when one ends in {@code onError}
 * (the retry operator of a reactive library does this on re-subscription).
 */
public final class MessagePublisher implements Flow.Publisher<Message>, ConnectionBoundListener {
    private final ReentrantLock signalling = new ReentrantLock();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicReference<Runnable> terminal = new AtomicReference<>();
    /** The subscriber until it cancels or the end was signalled (rule 3.13: then dropped). */
    private volatile Flow.Subscriber<? super Message> subscriber;
    private volatile boolean subscribed;
    private volatile boolean cancelled;
    private volatile boolean done;
    private volatile WebSocket webSocket;
    private volatile CloseStatus closedWith;

    /** A publisher for one connection; give it as the connection's listener. */
    public MessagePublisher() {
    }

    /**
     * A route's listener that makes a publisher for each connection and hands it to {@code onOpen}
     * (which subscribes), in the connection's {@code onOpen}. The listener is a
     * {@link ConnectionBoundListener}, like the publishers it makes.
     */
    public static WebSocketListener perConnection(Consumer<MessagePublisher> onOpen) {
        Objects.requireNonNull(onOpen, "onOpen");
        Map<WebSocket, MessagePublisher> publishers = new ConcurrentHashMap<>();
        return new ConnectionBoundListener() {
            @Override
            public void onOpen(WebSocket ws) {
                MessagePublisher publisher = new MessagePublisher();
                publishers.put(ws, publisher);
                publisher.onOpen(ws);
                onOpen.accept(publisher);
            }

            @Override
            public void onText(WebSocket ws, String text) {
                publishers.get(ws).onText(ws, text);
            }

            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                publishers.get(ws).onBinary(ws, data);
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status) {
                MessagePublisher publisher = publishers.remove(ws);
                if (publisher != null) {
                    publisher.onClose(ws, status);
                }
            }
        };
    }

    /** The connection, once open; {@code null} before. */
    public WebSocket webSocket() {
        return webSocket;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Message> candidate) {
        Objects.requireNonNull(candidate, "subscriber"); // rule 1.9
        signalling.lock();
        try {
            if (subscribed) {
                candidate.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                candidate.onError(new IllegalStateException("a MessagePublisher has one subscriber (its connection's messages go to one place)"));
                return;
            }
            subscribed = true;
            subscriber = candidate;
            candidate.onSubscribe(new Subscription());
        } finally {
            signalling.unlock();
        }
        CloseStatus closed = closedWith;
        if (closed != null) {
            end(closed);
        }
        deliverTerminal();
    }

    @Override
    public void onOpen(WebSocket ws) {
        webSocket = ws;
        if (cancelled) {
            cancelConnection(); // cancelled before the connection opened
        }
    }

    @Override
    public void onText(WebSocket ws, String text) {
        publish(ws, new Message.Text(text));
    }

    @Override
    public void onBinary(WebSocket ws, ByteBuffer data) {
        publish(ws, new Message.Binary(data));
    }

    /** Reading thread: waits (reads paused) until there is demand, then signals {@code onNext}. */
    private void publish(WebSocket ws, Message message) {
        ReadPause pause = StreamReceiver.driver(ws).readPause();
        if (!pause.await(() -> cancelled || done || demand.get() > 0) || cancelled || done) {
            return; // the connection is ending, or no one wants more: dropped
        }
        demand.decrementAndGet();
        signalling.lock();
        try {
            Flow.Subscriber<? super Message> target = subscriber;
            if (target != null) {
                target.onNext(message);
            }
        } finally {
            signalling.unlock();
        }
        deliverTerminal();
    }

    @Override
    public void onClose(WebSocket ws, CloseStatus status) {
        closedWith = status;
        if (subscribed) {
            end(status);
            deliverTerminal();
        }
    }

    private void end(CloseStatus status) {
        int code = status.code();
        if (code == CloseCodes.NORMAL_CLOSURE || code == CloseCodes.GOING_AWAY) {
            terminate(s -> s.onComplete());
        } else {
            IOException error = new IOException("the connection closed: " + status, status.cause());
            terminate(s -> s.onError(error));
        }
    }

    /** Queues the one terminal signal; {@link #deliverTerminal()} signals it, never concurrently with another signal. */
    private void terminate(Consumer<Flow.Subscriber<? super Message>> signal) {
        Flow.Subscriber<? super Message> target = subscriber;
        terminal.compareAndSet(null, () -> {
            if (!done && !cancelled && target != null) {
                done = true;
                subscriber = null;
                signal.accept(target);
            }
        });
    }

    /** Signals the queued terminal signal unless another thread is signalling (which then does it). */
    private void deliverTerminal() {
        // not from inside a signal on this thread (a request(0) in onNext): that signal's end delivers it
        while (terminal.get() != null && !done && !cancelled && !signalling.isHeldByCurrentThread()
                && signalling.tryLock()) {
            try {
                Runnable signal = terminal.get();
                if (signal != null) {
                    signal.run();
                }
            } finally {
                signalling.unlock();
            }
        }
        WebSocket ws = webSocket;
        if (ws instanceof ConnectionDriver driver) {
            driver.readPause().signal();
        }
    }

    private final class Subscription implements Flow.Subscription {
        @Override
        public void request(long n) {
            if (cancelled || done) {
                return; // rule 3.6
            }
            if (n <= 0) {
                IllegalArgumentException error = new IllegalArgumentException(
                        "rule 3.9: request(" + n + "): the number requested must be positive");
                terminate(s -> s.onError(error));
                deliverTerminal();
                cancelConnection();
                return;
            }
            demand.accumulateAndGet(n, (now, more) -> now + more < 0 ? Long.MAX_VALUE : now + more);
            WebSocket ws = webSocket;
            if (ws instanceof ConnectionDriver driver) {
                driver.readPause().signal();
            }
        }

        @Override
        public void cancel() {
            if (cancelled || done) {
                return;
            }
            cancelled = true;
            subscriber = null; // rule 3.13
            cancelConnection();
        }
    }

    private void cancelConnection() {
        WebSocket ws = webSocket;
        if (ws != null) {
            try {
                ws.close(CloseCodes.NORMAL_CLOSURE, "");
            } catch (IllegalStateException closing) {
                // closing already
            }
        }
    }
}
