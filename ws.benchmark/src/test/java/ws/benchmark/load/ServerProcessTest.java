package ws.benchmark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** CPU time of a server process from its /proc/PID/stat line. */
class ServerProcessTest {
    @Test
    void userAndSystemTimeAreFields14And15InClockTicks() throws IOException {
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 5000 0 3 0 250 50 7 8 20 0 41 0 1234 0 0";
        assertEquals(3_000_000_000L, ServerProcess.cpuNanos(stat, 100), "(250 + 50) ticks of 10 ms");
        assertEquals(300_000_000L, ServerProcess.cpuNanos(stat, 1000));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() throws IOException {
        String stat = "77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 12 3 0 0 20 0 1 0 99 0 0";
        assertEquals(150_000_000L, ServerProcess.cpuNanos(stat, 100));
    }

    @Test
    void aLineThatIsNotAStatLineIsRefused() {
        assertThrows(IOException.class, () -> ServerProcess.cpuNanos("no such thing", 100));
    }
}
