package ws.protocol.api;

/**
 * A listener that works on the connection itself, not on a handle standing for a series of
 * connections: it reaches into the connection its callbacks are given (a
 * {@code ws.protocol.stream.MessagePublisher} pauses that connection's reading until its subscriber
 * requests more). Give it to {@link WebSocketClient#connect} or to a route;
 * {@link WebSocketClient#connectReconnecting} refuses it with an {@link IllegalArgumentException}.
 *
 * <p>It declares nothing but this; a listener implements it when its callbacks need a connection run
 * by the SDK's driver rather than a {@link ReconnectingWebSocket}.
 */
public interface ConnectionBoundListener extends WebSocketListener {
}
