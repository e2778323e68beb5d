package ws.protocol.driver;

/**
 * Where a {@link ConnectionDriver} reports what happens to its connection: debug for per-connection
 * events, warn for real problems (a listener that throws). Formats use {@code {}} placeholders, with
 * a trailing {@link Throwable} argument logged as the cause, as SLF4J does; a transport adapts its
 * logging library (this module logs nothing itself).
 */
public interface DriverLogger {

    /** Logs nothing. */
    DriverLogger NONE = new DriverLogger() {
        @Override
        public void debug(String format, Object... arguments) {
        }

        @Override
        public void warn(String format, Object... arguments) {
        }

        @Override
        public boolean debugEnabled() {
            return false;
        }
    };

    /** A per-connection event. */
    void debug(String format, Object... arguments);

    /** A problem worth an operator's attention. */
    void warn(String format, Object... arguments);

    /**
     * Whether {@link #debug} logs anything: a caller whose arguments cost something to compute (an
     * address as text, say) asks first; true unless the logger says otherwise.
     */
    default boolean debugEnabled() {
        return true;
    }
}
