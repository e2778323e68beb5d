package ws.transport.stream;

import java.net.SocketAddress;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.server.ServerExchange;

/**
 * One plain HTTP exchange of an {@link HttpSession}: open until it is answered (the session writes the
 * response) or abandoned (the client left, the server stops), whichever comes first.
 */
final class SocketExchange extends ServerExchange {
    private final HttpSession session;

    SocketExchange(HttpSession session, HandshakeRequest request, byte[] body, SocketAddress remoteAddress) {
        super(request, body, remoteAddress);
        this.session = session;
    }

    @Override
    protected void deliver(byte[] bytes, boolean persists) {
        session.send(this, bytes, persists);
    }

    @Override
    protected void abandonActionFailed(Throwable failure) {
        session.abandonActionFailed(failure);
    }
}
