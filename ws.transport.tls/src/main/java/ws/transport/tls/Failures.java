package ws.transport.tls;

import java.io.EOFException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import ws.transport.tls.TlsHandshakeException.Reason;

/** Turns what JSSE throws during a handshake into a {@link TlsHandshakeException} that names the cause. */
final class Failures {
    private Failures() {
    }

    /**
     * Whether a handshake begun at {@code startNanos} ({@link System#nanoTime()}) failed at its timeout
     * (within a millisecond of it), so that the timeout, not the error it caused, is what failed it.
     */
    static boolean late(long startNanos, long timeoutNanos) {
        return System.nanoTime() - startNanos >= timeoutNanos - 1_000_000;
    }

    /**
     * @param error             what the handshake threw
     * @param weAreClient       our side
     * @param peer              the peer's address
     * @param peerName          how to name the peer in the message ({@code "server example.com:443"})
     * @param timeout           the handshake timeout
     * @param deadlinePassed    whether the timeout had passed when it failed (a timer closed the socket)
     * @param haveClientCertificate a client that has a certificate to show
     */
    public static TlsHandshakeException describe(Throwable error, boolean weAreClient, SocketAddress peer, String peerName,
                                                 Duration timeout, boolean deadlinePassed,
                                                 boolean haveClientCertificate) {
        if (error instanceof TlsHandshakeException named) {
            return named;
        }
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        String all = messages(chain);
        String party = weAreClient ? "the server's" : "the client's";
        Reason reason;
        String why;
        CertPathValidatorException validator = find(chain, CertPathValidatorException.class);
        CertificateExpiredException expired = find(chain, CertificateExpiredException.class);
        CertificateNotYetValidException notYet = find(chain, CertificateNotYetValidException.class);
        String alert = alert(all);
        if (deadlinePassed || find(chain, SocketTimeoutException.class) != null) {
            reason = Reason.TIMEOUT;
            why = "not done within the handshake timeout of " + timeout;
        } else if (expired != null || (validator != null
                && validator.getReason() == CertPathValidatorException.BasicReason.EXPIRED)) {
            reason = Reason.EXPIRED;
            why = party + " certificate has expired (" + (expired != null ? expired.getMessage() : validator.getMessage()) + ")";
        } else if (notYet != null || (validator != null
                && validator.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
            reason = Reason.NOT_YET_VALID;
            why = party + " certificate is not valid yet (" + (notYet != null ? notYet.getMessage() : validator.getMessage()) + ")";
        } else if (all.contains("No subject alternative") || all.contains("No name matching")) {
            reason = Reason.HOSTNAME_MISMATCH;
            why = "the server's certificate is not for the host connected to (" + first(all, "No subject alternative",
                    "No name matching") + ")";
        } else if (find(chain, CertPathBuilderException.class) != null || validator != null
                || all.contains("unable to find valid certification path") || all.contains("PKIX path")) {
            reason = Reason.UNTRUSTED;
            why = party + " certificate is not trusted: it does not chain to a trusted certificate ("
                    + innermost(chain) + ")";
        } else if (all.contains("Unsupported or unrecognized SSL message") || all.contains("plaintext")) {
            reason = Reason.NOT_TLS;
            why = weAreClient ? "the server did not answer in TLS (is it a ws:// port?)"
                    : "the client did not speak TLS (a plaintext request on a TLS port)";
        } else if (all.contains("Empty client certificate chain") || "certificate_required".equals(alert)
                || (weAreClient && !haveClientCertificate && ("bad_certificate".equals(alert)
                || "handshake_failure".equals(alert)) && all.contains("Received fatal alert"))) {
            reason = Reason.CLIENT_CERTIFICATE_REQUIRED;
            why = weAreClient ? "the server requires a client certificate and none was configured"
                    : "the client sent no certificate and one is required";
        } else if (alert != null && all.contains("Received fatal alert")) {
            reason = Reason.REJECTED_BY_PEER;
            why = (weAreClient ? "the server" : "the client") + " refused the handshake with the TLS alert \"" + alert + "\""
                    + (alert.contains("certificate") ? " (it does not accept our certificate)" : "");
        } else if (all.contains("no cipher suites in common") || all.contains("protocol_version")
                || all.contains("No appropriate protocol") || all.contains("Client requested protocol")
                || all.contains("not supported or disabled")) {
            reason = Reason.NO_COMMON_PARAMETERS;
            why = "no TLS version or cipher suite in common (we speak TLS 1.3 and 1.2 only: " + innermost(chain) + ")";
        } else if (find(chain, EOFException.class) != null || find(chain, SocketException.class) != null
                || all.contains("Remote host terminated") || all.contains("closed") || all.contains("Broken pipe")
                || all.contains("Connection reset")) {
            reason = Reason.CLOSED;
            why = (weAreClient ? "the server" : "the client") + " closed the connection during the handshake ("
                    + innermost(chain) + ")";
        } else {
            reason = Reason.OTHER;
            why = innermost(chain);
        }
        return new TlsHandshakeException(reason, peer, "TLS handshake with " + peerName + " failed: " + why, error);
    }

    /** The TLS alert named in "Received fatal alert: name", if any. */
    private static String alert(String messages) {
        String marker = "fatal alert: ";
        int at = messages.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int end = at + marker.length();
        while (end < messages.length() && (Character.isLetterOrDigit(messages.charAt(end)) || messages.charAt(end) == '_')) {
            end++;
        }
        return messages.substring(at + marker.length(), end);
    }

    private static String messages(List<Throwable> chain) {
        StringBuilder all = new StringBuilder();
        for (Throwable t : chain) {
            if (t.getMessage() != null) {
                all.append(t.getMessage()).append(" | ");
            }
        }
        return all.toString();
    }

    private static String first(String all, String... markers) {
        for (String marker : markers) {
            int at = all.indexOf(marker);
            if (at >= 0) {
                int end = all.indexOf(" | ", at);
                return all.substring(at, end < 0 ? all.length() : end);
            }
        }
        return all;
    }

    private static String innermost(List<Throwable> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            String message = chain.get(i).getMessage();
            if (message != null && !message.isBlank()) {
                return message;
            }
        }
        return chain.get(0).getClass().getSimpleName();
    }

    private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
