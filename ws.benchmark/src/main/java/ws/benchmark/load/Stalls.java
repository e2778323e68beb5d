package ws.benchmark.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a paced run's tail came from, slice by slice ({@link #SLICE} each, from the start of the
 * measurement): how many echoes arrived, the worst latency among them, how many connections had an
 * echo slower than {@link #SLOW}, and how late the generator itself sent (the actual send time less
 * the intended one, the worst in the slice). A stall the server causes shows as slow echoes with sends
 * on time; one the generator causes shows as late sends; one that hits every connection at once (a GC
 * pause, a stopped process) as all connections slow together, while starvation of some connections by
 * others as a few slow ones among many fast. Single writer (a worker); merged after the run.
 */
final class Stalls {
    /** The length of one slice. */
    static final long SLICE = 100_000_000L;
    /** An echo slower than this is slow. */
    static final long SLOW = 10_000_000L;
    /** Slices kept: two minutes. */
    private static final int SLICES = 1200;

    /** One slice of the run; times in nanoseconds. */
    record Slice(int index, long echoes, long worst, int slowConnections, long worstSendLag) {
        /** The slice as one line of a report. */
        String line() {
            return String.format(Locale.ROOT, "%6.1f s  %,8d echoes  worst %,9.1f ms  slow connections %3d  generator late by up to %,7.1f ms",
                    index * SLICE / 1e9, echoes, worst / 1e6, slowConnections, worstSendLag / 1e6);
        }
    }

    private final long start;
    private final long[] echoes = new long[SLICES];
    private final long[] worst = new long[SLICES];
    private final int[] slow = new int[SLICES];
    private final long[] lag = new long[SLICES];
    /** Per connection index: 1 + the last slice it was counted slow in. */
    private final int[] slowIn;

    /** Slices from {@code start} ({@link System#nanoTime()}), for connections indexed below {@code connections}. */
    Stalls(long start, int connections) {
        this.start = start;
        this.slowIn = new int[connections];
    }

    private int slice(long now) {
        long i = (now - start) / SLICE;
        return i < 0 || i >= SLICES ? -1 : (int) i;
    }

    /** An echo of connection {@code connection} arrived at {@code now}, {@code latency} after it was meant to leave. */
    void echo(int connection, long now, long latency) {
        int i = slice(now);
        if (i < 0) {
            return;
        }
        echoes[i]++;
        worst[i] = Math.max(worst[i], latency);
        if (latency > SLOW && connection >= 0 && connection < slowIn.length && slowIn[connection] != i + 1) {
            slowIn[connection] = i + 1;
            slow[i]++;
        }
    }

    /** A message left at {@code now}, {@code late} after its intended send time. */
    void sent(long now, long late) {
        int i = slice(now);
        if (i >= 0) {
            lag[i] = Math.max(lag[i], late);
        }
    }

    /** Adds another worker's slices (the same start; its connections are others). */
    void add(Stalls other) {
        for (int i = 0; i < SLICES; i++) {
            echoes[i] += other.echoes[i];
            worst[i] = Math.max(worst[i], other.worst[i]);
            slow[i] += other.slow[i];
            lag[i] = Math.max(lag[i], other.lag[i]);
        }
    }

    /** A copy (of a worker's, taken on its thread). */
    Stalls copy() {
        Stalls copy = new Stalls(start, slowIn.length);
        copy.add(this);
        return copy;
    }

    /** The slices up to the last one with an echo. */
    List<Slice> slices() {
        int last = SLICES - 1;
        while (last >= 0 && echoes[last] == 0) {
            last--;
        }
        List<Slice> all = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            all.add(new Slice(i, echoes[i], worst[i], slow[i], lag[i]));
        }
        return all;
    }

    /** The slices with an echo slower than {@link #SLOW}, or where the generator sent that late. */
    List<Slice> stalled() {
        return slices().stream().filter(s -> s.worst() > SLOW || s.worstSendLag() > SLOW).toList();
    }

    /**
     * One line: how many slices stalled, the slow connections in them (fewest, most), the worst echo
     * and the generator's worst lateness over the run.
     */
    String summary() {
        List<Slice> all = slices();
        List<Slice> stalled = stalled();
        int fewest = stalled.stream().mapToInt(Slice::slowConnections).min().orElse(0);
        int most = stalled.stream().mapToInt(Slice::slowConnections).max().orElse(0);
        long worstEcho = all.stream().mapToLong(Slice::worst).max().orElse(0);
        long worstLag = all.stream().mapToLong(Slice::worstSendLag).max().orElse(0);
        return String.format(Locale.ROOT, "stalls: %d of %d slices of %d ms had an echo over %d ms (slow connections in them: %d to %d); "
                        + "worst echo %,.1f ms; generator late by up to %,.1f ms",
                stalled.size(), all.size(), SLICE / 1_000_000, SLOW / 1_000_000, fewest, most, worstEcho / 1e6, worstLag / 1e6);
    }
}
