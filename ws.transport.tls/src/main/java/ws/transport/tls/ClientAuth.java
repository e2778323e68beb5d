package ws.transport.tls;

/** Whether a TLS server asks its clients for a certificate (mutual TLS). */
public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /**
     * A certificate is asked for; a client without one is still accepted, a client with an untrusted
     * one is refused. Check {@link ws.protocol.api.WebSocket#tlsSession()} to see which it was.
     */
    WANT,
    /** A trusted client certificate is required: clients without one fail the handshake. */
    NEED
}
