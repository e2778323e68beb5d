package ws.events.internal.engine;

import ws.protocol.handshake.HandshakeResponse;

/** One long-polling HTTP exchange, as the session needs it: answer it once, now or later. */
public interface PollExchange {

    /** Sends the response; false when it was already sent or the client is gone. */
    boolean respond(HandshakeResponse response);

    /** Whether a response can still be sent. */
    boolean isOpen();

    /** Runs once if the exchange ends without a response (the client left, the server stops). */
    void onAbandon(Runnable action);
}
