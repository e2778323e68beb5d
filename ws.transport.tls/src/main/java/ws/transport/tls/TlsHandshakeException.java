package ws.transport.tls;

import java.io.Serial;
import java.net.SocketAddress;
import java.util.Objects;
import javax.net.ssl.SSLHandshakeException;

/**
 * A TLS handshake that failed, with the cause named: the connection's future (client) or its log
 * line (server) says which of the {@link Reason}s it was and whom it was with. The original JSSE
 * exception is the {@linkplain #getCause() cause}. A connection that fails this way ends with close
 * status 1015 (RFC 6455 section 7.4.1: "TLS handshake failure"), never sent on the wire.
 */
public final class TlsHandshakeException extends SSLHandshakeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Why a TLS handshake failed. */
    public enum Reason {
        /** The peer does not speak TLS: plain HTTP (or WebSocket) on a TLS port, or a plaintext server. */
        NOT_TLS,
        /** The peer's certificate does not chain to a trusted certificate. */
        UNTRUSTED,
        /** The peer's certificate (or one in its chain) has expired. */
        EXPIRED,
        /** The peer's certificate (or one in its chain) is not valid yet. */
        NOT_YET_VALID,
        /** The server's certificate is not for the host name (or IP address) connected to. */
        HOSTNAME_MISMATCH,
        /** The server needs a client certificate and none was sent. */
        CLIENT_CERTIFICATE_REQUIRED,
        /** The peer refused our certificate or the handshake, with a TLS alert (named in the message). */
        REJECTED_BY_PEER,
        /** No TLS version or cipher suite in common (TLS 1.3 and 1.2 only, on our side). */
        NO_COMMON_PARAMETERS,
        /** The handshake did not finish within the handshake timeout. */
        TIMEOUT,
        /** The peer closed or reset the connection during the handshake. */
        CLOSED,
        /** Anything else (the message has the details). */
        OTHER
    }

    private final Reason reason;
    private final transient SocketAddress peer;

    /**
     * @param reason  why
     * @param peer    whom the handshake was with (may be {@code null})
     * @param message the full message, naming the cause and the peer
     * @param cause   the JSSE (or socket) exception
     */
    public TlsHandshakeException(Reason reason, SocketAddress peer, String message, Throwable cause) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.peer = peer;
        if (cause != null) {
            initCause(cause);
        }
    }

    /** Why the handshake failed. */
    public Reason reason() {
        return reason;
    }

    /** The peer's address, when known. */
    public SocketAddress peer() {
        return peer;
    }
}
