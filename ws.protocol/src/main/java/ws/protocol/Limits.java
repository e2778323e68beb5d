package ws.protocol;

/**
 * Bounds on what a peer may make us hold, all checked before anything is allocated.
 *
 * @param maxFramePayload         the largest frame payload accepted, in bytes (close 1009 above it)
 * @param maxMessageSize          the largest message accepted, in bytes, counted after any extension
 *                                (inflating) has run (close 1009 above it)
 * @param maxFragmentsPerMessage  the most frames one message may be split into (close 1009 above it);
 *                                {@link Integer#MAX_VALUE} by default: a message is bounded by its bytes
 *                                ({@code maxMessageSize}), not by how a peer cuts it
 * @param maxHandshakeHeaderBytes the largest HTTP head (request or status line plus headers) accepted
 *                                during the opening handshake (HTTP 431 on the server above it)
 * @param maxStreamedMessageSize  the largest message accepted by a listener that receives fragments or
 *                                streams ({@code ws.protocol.api.FragmentListener}), in bytes after
 *                                inflating (close 1009 above it). Such a message is never held whole
 *                                (memory stays within one frame), so this bounds the time and the
 *                                application's storage, not the heap; {@code maxMessageSize} still
 *                                bounds each frame's inflated payload, which is held whole
 */
public record Limits(int maxFramePayload, long maxMessageSize, int maxFragmentsPerMessage,
                     int maxHandshakeHeaderBytes, long maxStreamedMessageSize) {

    /**
     * Safe defaults: 16 MiB frames and messages, 16 KiB of handshake head, 1 GiB
     * streamed messages, and no count of fragments.
     * 16 MiB is what a thorough conformance suite sends as its largest message. RFC 6455 section 5.4
     * lets a peer cut a message into frames as small as it likes (one byte each, or empty ones), and
     * fragments cost no memory of their own (the message grows by payload bytes only, up to
     * {@code maxMessageSize}); a count would refuse a valid 16 MiB message sent in small pieces, so the
     * bound is by bytes. {@link #withMaxFragmentsPerMessage} sets a count where one is wanted.
     */
    public static final Limits DEFAULT = new Limits(16 << 20, 16L << 20, Integer.MAX_VALUE, 16 << 10, 1L << 30);

    public Limits {
        if (maxFramePayload < 125) {
            throw new IllegalArgumentException("maxFramePayload " + maxFramePayload + " < 125 (a control frame must fit)");
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " < 1");
        }
        if (maxFragmentsPerMessage < 1) {
            throw new IllegalArgumentException("maxFragmentsPerMessage " + maxFragmentsPerMessage + " < 1");
        }
        if (maxHandshakeHeaderBytes < 256) {
            throw new IllegalArgumentException("maxHandshakeHeaderBytes " + maxHandshakeHeaderBytes + " < 256");
        }
        if (maxStreamedMessageSize < 1) {
            throw new IllegalArgumentException("maxStreamedMessageSize " + maxStreamedMessageSize + " < 1");
        }
    }

    public Limits withMaxFramePayload(int value) {
        return new Limits(value, maxMessageSize, maxFragmentsPerMessage, maxHandshakeHeaderBytes, maxStreamedMessageSize);
    }

    public Limits withMaxMessageSize(long value) {
        return new Limits(maxFramePayload, value, maxFragmentsPerMessage, maxHandshakeHeaderBytes, maxStreamedMessageSize);
    }

    public Limits withMaxFragmentsPerMessage(int value) {
        return new Limits(maxFramePayload, maxMessageSize, value, maxHandshakeHeaderBytes, maxStreamedMessageSize);
    }

    public Limits withMaxHandshakeHeaderBytes(int value) {
        return new Limits(maxFramePayload, maxMessageSize, maxFragmentsPerMessage, value, maxStreamedMessageSize);
    }

    /** These limits with another {@code maxStreamedMessageSize}. */
    public Limits withMaxStreamedMessageSize(long value) {
        return new Limits(maxFramePayload, maxMessageSize, maxFragmentsPerMessage, maxHandshakeHeaderBytes, value);
    }
}
