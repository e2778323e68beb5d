package ws.benchmark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The latency histogram: exact small values, percentiles within the bucket error, merges, edges. */
class HistogramTest {
    /** Half a bucket of 64 per power of two: the middle of a bucket is within 1/128 of any value in it. */
    private static final double ERROR = 1.0 / 128;

    @Test
    void valuesBelow128NanosecondsAreExact() {
        Histogram h = new Histogram();
        for (int v = 0; v < 100; v++) {
            h.record(v);
        }
        assertEquals(49, h.percentile(50), "rank 50 of 100 is the 50th smallest value");
        assertEquals(98, h.percentile(99));
        assertEquals(99, h.percentile(100));
        assertEquals(0, h.percentile(0), "the smallest value: rank 1");
    }

    @Test
    void anyValueComesBackWithinTheBucketError() {
        for (long v : new long[] {128, 129, 1_000, 65_537, 1_234_567, 987_654_321, 60_000_000_000L}) {
            Histogram h = new Histogram();
            h.record(v);
            double back = h.percentile(50);
            assertTrue(Math.abs(back - v) <= v * ERROR, v + " came back as " + back);
        }
    }

    @Test
    void tailPercentilesOfAUniformDistribution() {
        Histogram h = new Histogram();
        for (int us = 1; us <= 100_000; us++) {
            h.record(us * 1_000L);
        }
        assertEquals(100_000, h.count());
        assertEquals(50_000, h.percentileMicros(50), 50_000 * ERROR);
        assertEquals(99_000, h.percentileMicros(99), 99_000 * ERROR);
        assertEquals(99_900, h.percentileMicros(99.9), 99_900 * ERROR);
    }

    @Test
    void mergedHistogramsGiveTheSamePercentilesAsOne() {
        Histogram one = new Histogram();
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        for (int i = 0; i < 10_000; i++) {
            long v = (i * 7919L) % 5_000_000;
            one.record(v);
            (i % 3 == 0 ? a : b).record(v);
        }
        Histogram merged = new Histogram();
        merged.add(a);
        merged.add(b);
        assertEquals(one.count(), merged.count());
        for (double p : new double[] {1, 50, 90, 99, 99.9, 100}) {
            assertEquals(one.percentile(p), merged.percentile(p), "p" + p);
        }
    }

    @Test
    void emptyIsNotANumberNegativeCountsAsZeroAndHugeValuesLandInTheLastBucket() {
        Histogram h = new Histogram();
        assertTrue(Double.isNaN(h.percentile(50)));
        h.record(-5);
        assertEquals(0, h.percentile(100));
        h.record(Long.MAX_VALUE);
        assertTrue(h.percentile(100) > 500e9, "over 8 minutes: " + h.percentile(100));
        h.reset();
        assertEquals(0, h.count());
        assertTrue(Double.isNaN(h.percentile(50)));
    }
}
