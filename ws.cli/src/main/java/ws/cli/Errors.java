package ws.cli;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import ws.protocol.handshake.HandshakeException;

/** What went wrong, in the user's words rather than an exception's: one line for standard error. */
final class Errors {
    private Errors() {
    }

    /** The failure, unwrapped from futures, said the way a user of the tool thinks of it. */
    static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return switch (cause) {
            // status 0: no HTTP status to blame (a 101 that broke a rule, or no answer at all)
            case HandshakeException handshake when handshake.status() == 0 -> "handshake failed: " + message;
            case HandshakeException handshake -> "handshake refused with HTTP " + handshake.status() + ": " + message;
            case UnknownHostException e -> "unknown host " + message;
            case UnresolvedAddressException e -> "unknown host";
            case NoSuchFileException e -> "file not found: " + e.getFile();
            case AccessDeniedException e -> "permission denied: " + e.getFile();
            case ConnectException e -> "connection refused" + (message == null ? "" : " (" + message + ")");
            case NoRouteToHostException e -> "no route to host" + (message == null ? "" : " (" + message + ")");
            case SocketTimeoutException e -> "timed out" + (message == null ? "" : " (" + message + ")");
            default -> {
                Throwable inner = cause.getCause();
                if (inner instanceof UnknownHostException || inner instanceof NoSuchFileException
                        || inner instanceof UnresolvedAddressException) {
                    yield describe(inner);
                }
                yield message == null ? cause.getClass().getSimpleName() : message;
            }
        };
    }
}
