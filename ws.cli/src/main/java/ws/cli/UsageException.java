package ws.cli;

/** A command line that cannot be run: the tool prints the message and the usage, and exits with 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
