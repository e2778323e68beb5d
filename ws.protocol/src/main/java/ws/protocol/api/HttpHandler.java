package ws.protocol.api;

import java.util.Objects;
import java.util.function.Function;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;

/**
 * Answers plain HTTP requests (no {@code Upgrade: websocket}) that arrive on the server's port,
 * registered per path with {@link ServerOptions.Builder#http(String, HttpHandler)}. Each request is
 * one {@link HttpExchange}: the handler responds at once, or keeps the exchange and responds later
 * from any thread. The connection then serves the client's next request (HTTP/1.1 keep-alive), and an
 * upgrade request on it becomes a WebSocket as usual.
 *
 * <p>Serving a page: {@code .http("/", HttpHandler.responding(request -> HandshakeResponse.text(200, "hi")))}.
 *
 * <p><b>A long-poll</b> (Engine.IO's polling transport, say) holds the exchange until there is
 * something to send, and forgets it if the client goes away first:
 * <pre>{@code
 * .http("/poll", exchange -> {
 *     if (exchange.request().method().equals("POST")) {          // the client sends: answer at once,
 *         Session s = sessions.get(exchange.request());          // and release the held GET, if any
 *         s.received(exchange.body());
 *         exchange.respond(HandshakeResponse.text(200, "ok"));
 *         return;
 *     }
 *     Session s = sessions.get(exchange.request());              // the client waits for data
 *     byte[] ready = s.drain();
 *     if (ready.length > 0) {
 *         exchange.respond(new HandshakeResponse(200, "OK", HttpHeaders.empty(), ready));
 *         return;
 *     }
 *     s.hold(exchange);                                          // respond later, from any thread:
 *     exchange.onAbandon(() -> s.forget(exchange));              //   s.send(...) calls exchange.respond(...)
 * })                                                             //   or a timer answers an empty 200
 * }</pre>
 * The transport never times out a held exchange: the handler owns its timing (a poll answered empty
 * after 25 seconds, say). {@link HttpExchange#respond} returns {@code false} when the exchange was
 * already answered or abandoned, so a sender racing a disconnect or a timer knows whether its data
 * went out.
 *
 * <p>The handler runs on the connection's thread; a handler that blocks delays only the next request
 * of its own connection. One that throws before responding gets a 500 sent for it.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Handles one exchange: respond now, or later from any thread (a held long-poll). Throwing before
     * responding answers 500.
     */
    void handle(HttpExchange exchange) throws Exception;

    /** A handler that answers every request at once (serving a page, a health check). */
    static HttpHandler responding(Function<HandshakeRequest, HandshakeResponse> answer) {
        Objects.requireNonNull(answer, "answer");
        return exchange -> {
            HandshakeResponse response = answer.apply(exchange.request());
            if (response == null) {
                throw new IllegalStateException("the HTTP handler returned no response for " + exchange.request().target());
            }
            exchange.respond(response);
        };
    }
}
