/**
 * The API applications write against, the same on every transport and in the testkit.
 *
 * <p>Threading contract, on every transport: a connection's listener callbacks never run
 * concurrently with each other, and run in the order the events happened; the send methods of
 * {@link ws.protocol.api.WebSocket} are safe from any thread, including from inside a callback; a slow
 * listener slows only its own connection.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .port(8080)
 *         .route("/echo", new WebSocketListener() {
 *             public void onText(WebSocket ws, String text) { ws.sendText(text); }
 *         })
 *         .start();
 * }</pre>
 */
package ws.protocol.api;
