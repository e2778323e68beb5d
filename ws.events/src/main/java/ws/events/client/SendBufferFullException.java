package ws.events.client;

/** An emit dropped because the socket's send buffer was full while disconnected; see {@link OverflowPolicy}. */
public final class SendBufferFullException extends RuntimeException {

    /** An emit dropped, with the buffer's capacity and the policy in the message. */
    public SendBufferFullException(String message) {
        super(message);
    }
}
