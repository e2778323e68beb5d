package ws.protocol.api;

import java.nio.ByteBuffer;

/**
 * A listener that receives messages frame by frame, unassembled (WebSocket-Node's
 * {@code assembleFragments: false}): for a connection whose listener implements this interface,
 * {@link #onFragment} replaces {@link #onText} and {@link #onBinary}. Opt in per route (the route's
 * listener) or per client connection (the listener given to {@code connect}).
 *
 * <p>Every check still runs before a fragment is delivered: the fragmentation rules (RFC 6455 section
 * 5.4), the extensions (permessage-deflate inflates each frame), UTF-8 of a text message validated
 * across fragment boundaries (invalid bytes fail the connection with 1007 and are never delivered;
 * a fragment may end inside a character, the next completes it), and the limits by bytes: a frame
 * within {@code maxFramePayload}, its inflated payload within {@code maxMessageSize}, the message
 * within {@code maxStreamedMessageSize} and {@code maxFragmentsPerMessage} (1009 above them). Control
 * frames are handled as usual (pings answered, {@link #onPing}, the close handshake) and may come
 * between the fragments of a message.
 *
 * <p>Only one frame is held at a time, so a message of any size passes in the memory of one frame.
 * Sending in parts is {@link WebSocket#sendText(CharSequence, boolean)} and
 * {@link WebSocket#sendBinary(java.nio.ByteBuffer, boolean)}.
 */
public interface FragmentListener extends WebSocketListener {

    /**
     * One data frame of a message, as the peer framed it.
     *
     * @param webSocket the connection
     * @param data      the frame's payload (inflated); the buffer is the listener's to keep
     * @param text      whether the message is text (its bytes are valid UTF-8 so far), else binary
     * @param first     whether this frame starts a message
     * @param last      whether this frame ends the message
     */
    void onFragment(WebSocket webSocket, ByteBuffer data, boolean text, boolean first, boolean last);
}
