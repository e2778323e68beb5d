package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import ws.protocol.api.ConnectionOptions;

/** The keepalive and idle decisions on given times (seconds, for reading). */
class LivenessTest {
    static final long S = 1_000_000_000L;

    static Liveness liveness(long pingSeconds, long pongSeconds, long idleSeconds) {
        return new Liveness(null, ConnectionOptions.defaults()
                .withKeepAlive(Duration.ofSeconds(pingSeconds), Duration.ofSeconds(pongSeconds))
                .withIdleTimeout(Duration.ofSeconds(idleSeconds)), 0);
    }

    @Test
    void aPingAfterTheIntervalWithoutInputThenDeadWithoutAnyInputWithinThePongTimeout() {
        Liveness live = liveness(30, 10, 0);
        assertEquals(new Liveness.Due(Liveness.Kind.WAIT, 30 * S), live.due(0));
        assertEquals(new Liveness.Due(Liveness.Kind.PING, 10 * S), live.due(30 * S));
        assertEquals(new Liveness.Due(Liveness.Kind.WAIT, 4 * S), live.due(36 * S));
        assertEquals(Liveness.Kind.DEAD, live.due(40 * S).kind());
    }

    @Test
    void anyInputAfterThePingProvesThePeerAlive() {
        Liveness live = liveness(30, 10, 0);
        live.due(30 * S);
        live.read(35 * S);
        assertEquals(new Liveness.Due(Liveness.Kind.WAIT, 25 * S), live.due(40 * S), "30 s after the last input");
        assertEquals(Liveness.Kind.PING, live.due(65 * S).kind());
    }

    @Test
    void withAPongTimeoutLongerThanTheIntervalPingsStillComeOneIntervalAfterTheLastInput() {
        Liveness live = liveness(10, 60, 0);
        assertEquals(new Liveness.Due(Liveness.Kind.PING, 10 * S), live.due(10 * S), "asks again within one interval");
        live.read(12 * S); // the pong
        assertEquals(new Liveness.Due(Liveness.Kind.WAIT, 2 * S), live.due(20 * S), "10 s after the pong");
        assertEquals(Liveness.Kind.PING, live.due(22 * S).kind());
        // unanswered: checked every interval, dead at the pong timeout
        assertEquals(new Liveness.Due(Liveness.Kind.WAIT, 10 * S), live.due(32 * S));
        assertEquals(new Liveness.Due(Liveness.Kind.WAIT, 10 * S), live.due(72 * S));
        assertEquals(new Liveness.Due(Liveness.Kind.WAIT, 2 * S), live.due(80 * S));
        assertEquals(Liveness.Kind.DEAD, live.due(82 * S).kind());
    }

    @Test
    void idleCountsMessagesEitherWayAndComesFirstWhenDue() {
        Liveness live = liveness(0, 10, 60);
        live.message(40 * S);
        assertEquals(new Liveness.Due(Liveness.Kind.WAIT, 60 * S), live.due(40 * S));
        live.read(99 * S); // bytes that are no message (a pong) do not count as activity
        assertEquals(Liveness.Kind.IDLE, live.due(100 * S).kind());
    }

    @Test
    void noDeadlineNoTimer() {
        assertFalse(liveness(0, 10, 0).enabled());
    }
}
