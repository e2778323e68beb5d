package ws.protocol.api;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * A client connection that connects again after it is lost, as its {@link Reconnect} policy says:
 * one handle over a sequence of connections to the same URI. Made by
 * {@link WebSocketClient#connectReconnecting}; the same on every transport (and in the testkit, on
 * its manual clock). Safe to use from any thread.
 *
 * <p><b>Sends.</b> While a connection is open, sends go to it, as on any {@link WebSocket}. While
 * down (before the first connection, between connections), text, binary and prepared messages wait
 * in a bounded queue ({@link Reconnect#queueMessages()}, {@link Reconnect#queueBytes()}) and go out
 * in the order they were sent, on the next connection, before any message sent after it opened;
 * their futures complete when their bytes were written to that connection. A send that cannot wait
 * (the queue is full or absent, a ping or pong) fails its future with a {@link SendQueueException}. A
 * message handed to a connection that then drops before writing it fails with that connection's
 * {@link java.io.IOException} and is not sent again (it may have reached the peer: at most once).
 * Parts of a fragmented message ({@code sendText(part, last)}) go only to an open connection; if it
 * ends before the last part, the remaining parts fail ({@code NOT_CONNECTED}).
 *
 * <p><b>The listener</b> (a {@link WebSocketListener}, or a {@link ReconnectListener} to hear the
 * reconnections) is called with this handle, never with the connection underneath, and keeps
 * receiving messages across connections:
 * <ul>
 *   <li>{@code onOpen}: each time a connection opens, the first and every reconnection, after the
 *       queued messages were handed to it; what it sends follows them;</li>
 *   <li>{@code onText}, {@code onBinary}, {@code onPing}, {@code onPong}: from whichever connection
 *       is open;</li>
 *   <li>{@code onError}: an error of the current connection or attempt; {@code onReconnecting} or
 *       {@code onClose} follows;</li>
 *   <li>{@code onClose}: once, last, when this handle is over: the application closed it, the
 *       policy said not to reconnect after how a connection ended (a 1000 from the server, a 404
 *       refusal; then that status), or it gave up (the last failure's status).</li>
 * </ul>
 *
 * <p><b>State.</b> {@link #readyState()} is {@code OPEN} while a connection is open,
 * {@code CONNECTING} while connecting or waiting to reconnect, {@code CLOSING} after {@link #close}
 * until the close handshake ends, {@code CLOSED} at the end. {@link #subprotocol()},
 * {@link #extensions()}, {@link #request()} and the addresses are those of the current (or the last)
 * connection; {@link #attributes()} and {@link #id()} belong to the handle and last across
 * connections. {@link #bufferedAmount()} counts the queued bytes too.
 *
 * <p><b>Closing.</b> {@link #close} and {@link #abort} stop reconnecting for good: the current
 * connection is closed (or the attempt under way aborted, or the backoff wait cancelled), queued
 * messages fail ({@code CLOSED}), and {@link #closeFuture()} completes with the last connection's
 * status, or with the code and reason given to {@code close} when no connection was open. Closing the
 * {@link WebSocketClient} closes its reconnecting handles too. No timer or thread stays behind.
 */
public interface ReconnectingWebSocket extends WebSocket {

    /** The URI it connects to. */
    URI uri();

    /**
     * Completes with this handle when its first connection opens (after {@code onOpen}), or fails when
     * it ends before that (gave up, a refusal that does not reconnect, closed): with the cause of the
     * last failure when there is one.
     */
    CompletableFuture<ReconnectingWebSocket> firstOpen();

    /** How many connections have opened so far (1 after the first open, 2 after the first reconnection, ...). */
    int connections();

    /** Messages waiting in the queue for the next connection. */
    int queuedMessages();
}
