package ws.cli;

/**
 * Configures slf4j-simple, the tool's logging binding, through its system properties. Must run
 * before the first logger is made. Quiet by default (warnings and errors only), debug with
 * {@code --verbose}; always to standard error, so standard output carries only messages. A value
 * set with {@code -D} (in {@code WS_JAVA_OPTS}) wins.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    static void configure(boolean verbose) {
        setDefault("defaultLogLevel", verbose ? "debug" : "warn");
        setDefault("logFile", "System.err");
        setDefault("showDateTime", "true");
        setDefault("dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("showShortLogName", "true");
        setDefault("showThreadName", verbose ? "true" : "false");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
