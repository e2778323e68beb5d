package ws.benchmark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The open-loop schedule: the offered load is the rate, spread over the connections, owed when late. */
class PacingTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void overOneSecondTheConnectionsTogetherSendExactlyTheRate() {
        Pacing pacing = Pacing.of(5_000, 100_000, 100);
        assertEquals(1_000_000, pacing.interval(), "each of 100 connections sends every millisecond");
        long due = 0;
        for (int i = 0; i < 100; i++) {
            due += pacing.dueBy(pacing.firstDue(i), pacing.start() + SECOND - 1);
        }
        assertEquals(100_000, due);
    }

    @Test
    void firstSendsAreSpreadEvenlyOverOneIntervalNotBunched() {
        Pacing pacing = Pacing.of(0, 40_000, 4); // one send per connection every 100 us
        assertEquals(0, pacing.firstDue(0));
        assertEquals(25_000, pacing.firstDue(1));
        assertEquals(50_000, pacing.firstDue(2));
        assertEquals(75_000, pacing.firstDue(3));
        assertEquals(pacing.firstDue(1), pacing.firstDue(5), "connection indexes beyond the count wrap around");
    }

    @Test
    void nothingIsDueBeforeItsTimeAndOneIsDueAtIt() {
        Pacing pacing = Pacing.of(0, 1_000, 1);
        long next = pacing.firstDue(0);
        assertEquals(0, pacing.dueBy(next, next - 1));
        assertEquals(1, pacing.dueBy(next, next));
        assertEquals(1, pacing.dueBy(next, next + pacing.interval() - 1));
        assertEquals(2, pacing.dueBy(next, next + pacing.interval()));
    }

    @Test
    void aConnectionHeldUpOwesEveryMessageItShouldHaveSentMeanwhile() {
        Pacing pacing = Pacing.of(0, 1_000, 1); // every millisecond
        assertEquals(251, pacing.dueBy(0, 250 * pacing.interval()), "a 250 ms stall: 250 messages late, and the one due now");
    }

    @Test
    void aRateThatDoesNotDivideStaysWithinOneMessagePerConnectionOverTenSeconds() {
        Pacing pacing = Pacing.of(0, 30_000, 100); // 3,333,333.3 ns between two sends of one connection
        long due = 0;
        for (int i = 0; i < 100; i++) {
            due += pacing.dueBy(pacing.firstDue(i), 10 * SECOND - 1);
        }
        assertTrue(Math.abs(due - 300_000) <= 100, "due " + due);
    }

    @Test
    void aRateMustBeAboveZero() {
        assertThrows(IllegalArgumentException.class, () -> Pacing.of(0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> Pacing.of(0, Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> Pacing.of(0, 1000, 0));
    }
}
