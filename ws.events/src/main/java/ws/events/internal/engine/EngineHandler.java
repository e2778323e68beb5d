package ws.events.internal.engine;

import ws.events.internal.wire.EnginePacket;

/**
 * The layer above Engine.IO (Socket.IO). Calls for one session never run concurrently, and come
 * in the order the client sent its packets.
 */
public interface EngineHandler {

    /** A session opened; the handshake was sent. */
    void onOpen(EngineSession session);

    /** A message arrived (text or binary). */
    void onMessage(EngineSession session, EnginePacket message);

    /** The session ended, with the reason as Engine.IO names it ("transport close", "ping timeout", ...); once. */
    void onClose(EngineSession session, String reason);
}
