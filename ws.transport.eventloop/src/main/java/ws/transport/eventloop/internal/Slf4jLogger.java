package ws.transport.eventloop.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.driver.DriverLogger;

/** The driver's log through SLF4J, under the logger name {@code ws.protocol.driver.ConnectionDriver}. */
final class Slf4jLogger implements DriverLogger {
    static final DriverLogger INSTANCE = new Slf4jLogger();
    private final Logger log = LoggerFactory.getLogger("ws.protocol.driver.ConnectionDriver");

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
