package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The driver's debug lines cost nothing when debug logging is off")
class DriverDebugLogTest {

    @Test
    @DisplayName("debug off: a connection opens and ends without describing its sink or making its guarded debug lines")
    void off() {
        Run run = new Run(false);
        assertEquals(0, run.sink.describes);
        // the logger is called for cheap lines even when off (it drops them); the guarded ones are not made at all
        assertFalse(run.logger.lines.contains("{}: open on {} ({})"), run.logger.lines.toString());
        assertFalse(run.logger.lines.contains("{}: closed {}"), run.logger.lines.toString());
        assertEquals(List.of(), run.logger.warnings);
    }

    @Test
    @DisplayName("debug on: the open line names the path and the sink, and the end is logged")
    void on() {
        Run run = new Run(true);
        assertEquals(1, run.sink.describes);
        assertTrue(run.logger.lines.contains("{}: open on {} ({})"), run.logger.lines.toString());
        assertTrue(run.logger.lines.contains("{}: closed {}"), run.logger.lines.toString());
    }

    /** One server connection through its handshake and the client's end of input. */
    private static final class Run {
        final RecordingLogger logger;
        final CountingSink sink = new CountingSink();

        Run(boolean debug) {
            logger = new RecordingLogger(debug);
            ConnectionDriver driver = ConnectionDriver.server(new Host(logger));
            driver.start(sink, null);
            driver.receive(ByteBuffer.wrap(TestHost.REQUEST));
            assertTrue(driver.isOpen());
            driver.receiveEof();
            driver.finish();
        }
    }

    private static final class RecordingLogger implements DriverLogger {
        final boolean debug;
        /** The format of every debug call, made whether debug is on or not. */
        final List<String> lines = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        RecordingLogger(boolean debug) {
            this.debug = debug;
        }

        @Override
        public void debug(String format, Object... arguments) {
            lines.add(format);
        }

        @Override
        public void warn(String format, Object... arguments) {
            warnings.add(format);
        }

        @Override
        public boolean debugEnabled() {
            return debug;
        }
    }

    private static final class Host extends TestHost {
        private final DriverLogger logger;

        Host(DriverLogger logger) {
            this.logger = logger;
        }

        @Override
        public DriverLogger logger() {
            return logger;
        }
    }

    /** A {@link TestHost.NullSink} that counts how often it is asked to describe itself. */
    private static final class CountingSink extends TestHost.NullSink {
        int describes;

        @Override
        public String describe() {
            describes++;
            return "counted";
        }
    }
}
