package ws.protocol;

/** Which end of a connection we are. Masking rules, close-code rules and the handshake depend on it. */
public enum Side {
    /** The end that sent the opening handshake request; it masks every frame it sends (RFC 6455 section 5.3). */
    CLIENT,
    /** The end that accepted the opening handshake; it never masks (RFC 6455 section 5.1). */
    SERVER;

    /** The other end. */
    public Side peer() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
