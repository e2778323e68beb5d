package ws.protocol.api;

import java.io.IOException;
import java.util.Objects;

/**
 * A connect failed at the HTTP proxy, before any byte reached the origin: what failed is
 * {@link #reason()}, the proxy's answer {@link #status()} when it gave one. A connect future fails
 * with it (as its cause).
 */
public final class ProxyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong at the proxy. */
    public enum Reason {
        /** No TCP connection to the proxy: refused, unreachable, its name unknown, or the connect timeout passed. */
        UNREACHABLE,
        /** The proxy answered CONNECT with a status other than 2xx and 407 (403, 502, ...). */
        REFUSED,
        /** The proxy wants credentials (407) and none were configured, or they were refused (407 again). */
        AUTHENTICATION_FAILED,
        /** The proxy closed the connection before answering CONNECT completely. */
        CLOSED,
        /** The proxy did not answer CONNECT within the proxy timeout. */
        TIMED_OUT,
        /** The proxy's answer was not HTTP. */
        MALFORMED
    }

    private final Reason reason;
    private final int status;

    /**
     * @param reason  what went wrong
     * @param status  the proxy's status code, or 0 when it gave none
     * @param message says what, naming the proxy and the target (never credentials)
     * @param cause   the underlying failure, or null
     */
    public ProxyException(Reason reason, int status, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.status = status;
    }

    /** What went wrong at the proxy. */
    public Reason reason() {
        return reason;
    }

    /** The status the proxy answered with, or 0 when it gave none (unreachable, closed, timed out, malformed). */
    public int status() {
        return status;
    }
}
