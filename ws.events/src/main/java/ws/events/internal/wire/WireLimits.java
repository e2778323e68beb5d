package ws.events.internal.wire;

/**
 * Bounds on what a peer may send, checked before the data is kept.
 *
 * @param maxPacketBytes   the largest Socket.IO packet text (and, separately, attachment), in chars/bytes
 * @param maxNestingDepth  the deepest nesting of JSON arrays and objects
 * @param maxAttachments   the most binary attachments one packet may announce
 */
public record WireLimits(int maxPacketBytes, int maxNestingDepth, int maxAttachments) {
    /** 1 MB packets (Engine.IO's default maxPayload), nesting 32, 10 attachments (socket.io-parser's default). */
    public static final WireLimits DEFAULTS = new WireLimits(1_000_000, 32, 10);

    /** Checks the components. */
    public WireLimits {
        if (maxPacketBytes < 1 || maxNestingDepth < 1 || maxAttachments < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxPacketBytes + ", "
                    + maxNestingDepth + ", " + maxAttachments);
        }
    }
}
