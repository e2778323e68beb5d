package ws.protocol.server;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import ws.protocol.api.HttpExchange;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpPersistence;

/**
 * One plain HTTP exchange as every transport runs it: open until it is answered or abandoned (the
 * client left, the server stops), whichever comes first, with {@code onAbandon} actions run once.
 * A transport supplies how a response's bytes reach its connection ({@link #deliver}) and what to do
 * with an abandon action that fails ({@link #abandonActionFailed}, a log line).
 */
public abstract class ServerExchange implements HttpExchange {
    private enum State { OPEN, ANSWERED, ABANDONED }

    private final HandshakeRequest request;
    private final byte[] body;
    private final SocketAddress remoteAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.OPEN; // guarded by lock
    private List<Runnable> onAbandon = new ArrayList<>(1); // guarded by lock; null once run

    /** An open exchange of {@code request} with its whole {@code body}, from {@code remoteAddress}. */
    protected ServerExchange(HandshakeRequest request, byte[] body, SocketAddress remoteAddress) {
        this.request = Objects.requireNonNull(request, "request");
        this.body = Objects.requireNonNull(body, "body");
        this.remoteAddress = remoteAddress;
    }

    /**
     * Writes a response's bytes to the connection, from the thread that called {@link #respond}, once
     * per exchange; {@code persists} says whether the connection serves another request after it.
     */
    protected abstract void deliver(byte[] bytes, boolean persists);

    /** An {@code onAbandon} action threw: the transport logs it (the other actions still run). */
    protected abstract void abandonActionFailed(Throwable failure);

    @Override
    public HandshakeRequest request() {
        return request;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean respond(HandshakeResponse response) {
        Objects.requireNonNull(response, "response");
        boolean persists = HttpPersistence.persists(request, response);
        // encoded before the state changes: a response that cannot be sent leaves the exchange open
        byte[] bytes = HttpPersistence.encode(request, response, persists);
        lock.lock();
        try {
            if (state != State.OPEN) {
                return false;
            }
            state = State.ANSWERED;
            onAbandon = null;
        } finally {
            lock.unlock();
        }
        deliver(bytes, persists);
        return true;
    }

    /** Whether a response was sent (or is being written). */
    public final boolean answered() {
        lock.lock();
        try {
            return state == State.ANSWERED;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return state == State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onAbandon(Runnable action) {
        Objects.requireNonNull(action, "action");
        lock.lock();
        try {
            if (state == State.ANSWERED) {
                return;
            }
            if (state == State.OPEN) {
                onAbandon.add(action);
                return;
            }
        } finally {
            lock.unlock();
        }
        run(action);
    }

    /** Ends the exchange without a response, running the abandon actions; false if it was answered. */
    public final boolean abandon() {
        List<Runnable> actions;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return state == State.ABANDONED;
            }
            state = State.ABANDONED;
            actions = onAbandon;
            onAbandon = null;
        } finally {
            lock.unlock();
        }
        actions.forEach(this::run);
        return true;
    }

    private void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            abandonActionFailed(e);
        }
    }

    @Override
    public String toString() {
        return "HttpExchange[" + request.method() + " " + request.target() + " from " + remoteAddress + "]";
    }
}
