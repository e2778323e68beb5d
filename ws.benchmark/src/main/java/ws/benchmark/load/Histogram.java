package ws.benchmark.load;

import java.util.concurrent.TimeUnit;

/**
 * A log-linear latency histogram in nanoseconds: exact below 128 ns, then 64 buckets per power of
 * two (under 1.6 % error), up to about 18 minutes. Single writer; merge copies of several writers.
 */
public final class Histogram {
    private static final int LINEAR = 128;
    private static final int SUB = 64;
    private static final int MAX_EXPONENT = 40;
    private final long[] counts = new long[LINEAR + (MAX_EXPONENT - 6) * SUB];
    private long total;

    /** Records one value in nanoseconds (negative values count as 0). */
    public void record(long nanos) {
        counts[index(Math.max(0, nanos))]++;
        total++;
    }

    /** Adds every count of {@code other}. */
    public void add(Histogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    /** Clears every count. */
    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }

    /** The number of values recorded. */
    public long count() {
        return total;
    }

    /** The value at this percentile (0-100), in nanoseconds: the middle of its bucket; NaN when empty. */
    public double percentile(double percent) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(total * percent / 100.0));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return middle(i);
            }
        }
        return middle(counts.length - 1);
    }

    /** The percentile in microseconds. */
    public double percentileMicros(double percent) {
        return percentile(percent) / TimeUnit.MICROSECONDS.toNanos(1);
    }

    static int index(long value) {
        if (value < LINEAR) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value); // >= 7
        if (exponent >= MAX_EXPONENT) {
            return LINEAR + (MAX_EXPONENT - 7) * SUB + SUB - 1;
        }
        int shift = exponent - 6;
        int mantissa = (int) (value >>> shift); // 64..127
        return LINEAR + (exponent - 7) * SUB + (mantissa - SUB);
    }

    static double middle(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exponent = (index - LINEAR) / SUB + 7;
        int mantissa = (index - LINEAR) % SUB + SUB;
        int shift = exponent - 6;
        return ((long) mantissa << shift) + ((1L << shift) / 2.0);
    }
}
