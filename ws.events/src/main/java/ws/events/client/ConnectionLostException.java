package ws.events.client;

import java.io.IOException;

/**
 * The connection was lost (or the socket disconnected) before what was waited for arrived: an
 * acknowledgement of an emit that had been sent, or the socket's connection.
 */
public final class ConnectionLostException extends IOException {

    /** With the reason in the message. */
    public ConnectionLostException(String message) {
        super(message);
    }
}
