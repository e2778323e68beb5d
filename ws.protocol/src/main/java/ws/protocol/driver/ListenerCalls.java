package ws.protocol.driver;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.FragmentListener;
import ws.protocol.api.WebSocketListener;
import ws.protocol.engine.ProtocolEvent;
import ws.protocol.engine.ProtocolState;

/**
 * Calling a connection's listener safely: no callback after one failed (but {@code onClose}), and a
 * callback that throws gets {@code onError}, then the connection fails with 1011 (or, still
 * opening, is aborted). Also how the listener wants messages delivered (whole, or as fragments).
 * Stateless: the listener and its failure are the driver's fields.
 */
final class ListenerCalls {
    private ListenerCalls() {
    }

    /** A listener callback taking the connection and one value: static, so no object per call. */
    @FunctionalInterface
    interface Callback<T> {
        void call(WebSocketListener listener, ConnectionDriver connection, T value);
    }

    static final Callback<String> ON_TEXT = (l, c, text) -> l.onText(c, text);
    static final Callback<ByteBuffer> ON_BINARY = (l, c, data) -> l.onBinary(c, data);
    /** A data frame to a {@link FragmentListener} (chosen for it by {@link #chooseDelivery}). */
    static final Callback<ProtocolEvent.Fragment> ON_FRAGMENT = (l, c, fragment) -> ((FragmentListener) l)
            .onFragment(c, fragment.data(), fragment.text(), fragment.first(), fragment.last());
    static final Callback<ByteBuffer> ON_PING = (l, c, payload) -> l.onPing(c, payload);
    static final Callback<ByteBuffer> ON_PONG = (l, c, payload) -> l.onPong(c, payload);
    /** Any callback, as a lambda (an object per call: not for every message). */
    static final Callback<Consumer<WebSocketListener>> ANY = (l, c, call) -> call.accept(l);

    /**
     * Calls the listener unless a callback already failed; a callback that throws gets
     * {@code onError}, then the connection fails with 1011.
     */
    static <T> void call(ConnectionDriver d, Callback<T> callback, T value, boolean evenAfterFailure) {
        WebSocketListener target = d.listener;
        if (target == null || (d.listenerFailed && !evenAfterFailure)) {
            return;
        }
        try {
            callback.call(target, d, value);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            threw(d, target, e);
        }
    }

    private static void threw(ConnectionDriver d, WebSocketListener target, Throwable error) {
        if (d.ended) {
            d.log().warn("{}: onClose threw", d.id(), error);
            return;
        }
        if (d.listenerFailed) {
            d.log().warn("{}: listener threw again", d.id(), error);
            return;
        }
        d.listenerFailed = true;
        d.listenerError = error;
        d.releaseReadPause();
        d.log().warn("{}: listener threw; failing the connection with 1011", d.id(), error);
        try {
            target.onError(d, error);
        } catch (RuntimeException | LinkageError | AssertionError again) {
            d.log().warn("{}: onError threw too", d.id(), again);
        }
        if (d.state != ProtocolState.CLOSED && d.state != ProtocolState.CONNECTING) {
            d.withEngine(e -> e.fail(CloseCodes.INTERNAL_ERROR, "internal error", error), null);
            d.flushAsync();
        } else if (d.state == ProtocolState.CONNECTING) {
            d.abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
        }
    }

    /** A {@link FragmentListener} gets data frames as they come: the engine stops assembling messages. */
    static void chooseDelivery(ConnectionDriver d, WebSocketListener chosen) {
        if (chosen instanceof FragmentListener) {
            d.lock.lock();
            try {
                d.engine.deliverFragments();
            } finally {
                d.lock.unlock();
            }
        }
    }
}
