package ws.transport.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.driver.DriverLogger;

/** The driver's log through SLF4J, under the logger name {@code ws.protocol.driver.ConnectionDriver}. */
final class Slf4jDriverLogger implements DriverLogger {
    static final DriverLogger INSTANCE = new Slf4jDriverLogger(LoggerFactory.getLogger("ws.protocol.driver.ConnectionDriver"));

    private final Logger log;

    private Slf4jDriverLogger(Logger log) {
        this.log = log;
    }

    @Override
    public void debug(String format, Object... arguments) {
        log.debug(format, arguments);
    }

    @Override
    public void warn(String format, Object... arguments) {
        log.warn(format, arguments);
    }

    @Override
    public boolean debugEnabled() {
        return log.isDebugEnabled();
    }
}
