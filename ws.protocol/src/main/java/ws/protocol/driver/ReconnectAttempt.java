package ws.protocol.driver;

import java.nio.ByteBuffer;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * The listener of one connection attempt of a {@link Reconnector}: it forwards the connection's
 * events to the application's listener, as the reconnecting handle's, only while it is the current
 * attempt, so that nothing a finished connection still reports reaches the application. Its open and
 * its close go to the reconnector's state machine.
 */
final class ReconnectAttempt implements WebSocketListener {
    private final Reconnector owner;
    /** This attempt's connection, once started. */
    volatile WebSocket connection;

    ReconnectAttempt(Reconnector owner) {
        this.owner = owner;
    }

    @Override
    public void onOpen(WebSocket opened) {
        owner.attemptOpened(this, opened);
    }

    @Override
    public void onText(WebSocket from, String text) {
        if (owner.isCurrent(this)) {
            owner.listener.onText(owner, text);
        }
    }

    @Override
    public void onBinary(WebSocket from, ByteBuffer data) {
        if (owner.isCurrent(this)) {
            owner.listener.onBinary(owner, data);
        }
    }

    @Override
    public void onPing(WebSocket from, ByteBuffer payload) {
        if (owner.isCurrent(this)) {
            owner.listener.onPing(owner, payload);
        }
    }

    @Override
    public void onPong(WebSocket from, ByteBuffer payload) {
        if (owner.isCurrent(this)) {
            owner.listener.onPong(owner, payload);
        }
    }

    @Override
    public void onError(WebSocket from, Throwable error) {
        if (owner.isCurrent(this)) {
            owner.listener.onError(owner, error);
        }
    }

    @Override
    public void onClose(WebSocket from, CloseStatus status) {
        owner.connectionEnded(this, status);
    }
}
