package ws.transport.eventloop.internal;

import java.net.SocketAddress;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.server.ServerExchange;

/**
 * One plain HTTP exchange of an {@link HttpPhase}: open until it is answered (the phase writes the
 * response on its loop) or abandoned (the client left, the server stops), whichever comes first.
 */
final class LoopExchange extends ServerExchange {
    private final HttpPhase phase;

    LoopExchange(HttpPhase phase, HandshakeRequest request, byte[] body, SocketAddress remoteAddress) {
        super(request, body, remoteAddress);
        this.phase = phase;
    }

    @Override
    protected void deliver(byte[] bytes, boolean persists) {
        phase.send(this, bytes, persists);
    }

    @Override
    protected void abandonActionFailed(Throwable failure) {
        HttpPhase.abandonActionFailed(failure);
    }
}
