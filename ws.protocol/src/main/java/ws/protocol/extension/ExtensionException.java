package ws.protocol.extension;

/**
 * An extension refused what it was given: a response it cannot accept during negotiation, or a
 * frame it cannot decode (for permessage-deflate: corrupt data gives 1007, too much data after
 * inflating gives 1009).
 */
public final class ExtensionException extends Exception {
    private final int closeCode;

    public ExtensionException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public ExtensionException(int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** The close code the connection should fail with. */
    public int closeCode() {
        return closeCode;
    }
}
