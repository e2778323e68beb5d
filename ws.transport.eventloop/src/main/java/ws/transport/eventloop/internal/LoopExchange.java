package ws.transport.eventloop.internal;

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
 * One plain HTTP exchange of an {@link HttpPhase}: open until it is answered (the phase writes the
 * response on its loop) or abandoned (the client left, the server stops), whichever comes first.
 */
final class LoopExchange implements HttpExchange {
    private enum State { OPEN, ANSWERED, ABANDONED }

    private final HttpPhase phase;
    private final HandshakeRequest request;
    private final byte[] body;
    private final SocketAddress remoteAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.OPEN; // guarded by lock
    private List<Runnable> onAbandon = new ArrayList<>(1); // guarded by lock; null once run

    LoopExchange(HttpPhase phase, HandshakeRequest request, byte[] body, SocketAddress remoteAddress) {
        this.phase = phase;
        this.request = request;
        this.body = body;
        this.remoteAddress = remoteAddress;
    }

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
        phase.send(this, bytes, persists);
        return true;
    }

    /** Whether a response was sent (or is being written). */
    boolean answered() {
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
        HttpPhase.runAbandonAction(action);
    }

    /** Ends the exchange without a response, running the abandon actions; false if it was answered. */
    boolean abandon() {
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
        actions.forEach(HttpPhase::runAbandonAction);
        return true;
    }

    @Override
    public String toString() {
        return "HttpExchange[" + request.method() + " " + request.target() + " from " + remoteAddress + "]";
    }
}
