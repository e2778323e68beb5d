package ws.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ws.conformance.cases.CaseResult;
import ws.conformance.cases.CaseRun;
import ws.conformance.cases.ConformanceCase;
import ws.conformance.cases.Timing;
import ws.conformance.cases.Verdict;
import ws.conformance.wire.Pmd;

/** Runs cases one after another in a {@link Mode} and collects a {@link Report}. */
public final class Suite {
    private Suite() {
    }

    /**
     * Runs {@code cases} in order; prints one line per case to {@code progress} (may be null).
     */
    public static Report run(List<ConformanceCase> cases, Mode mode, String agent, PrintStream progress)
            throws InterruptedException {
        List<CaseResult> results = new ArrayList<>();
        long start = System.nanoTime();
        for (ConformanceCase c : cases) {
            CaseResult r = mode.run(c);
            results.add(r);
            if (progress != null) {
                progress.println(Report.line(r));
                progress.flush();
            }
        }
        return new Report(agent, mode.describe(), results, millisSince(start));
    }

    /** Runs one case over a connection whose opening handshake is done. */
    static CaseResult runOver(ConformanceCase c, Socket socket, InputStream in, boolean weAreServer, Timing timing,
                              ScheduledExecutorService timers) throws InterruptedException {
        return runOver(c, socket, in, weAreServer, timing, timers, null);
    }

    /** Runs one case over a connection whose handshake agreed permessage-deflate as {@code deflate} (or none). */
    static CaseResult runOver(ConformanceCase c, Socket socket, InputStream in, boolean weAreServer, Timing timing,
                              ScheduledExecutorService timers, Pmd.Agreement deflate) throws InterruptedException {
        CaseRun run;
        try {
            run = new CaseRun(c, socket, in, weAreServer, timing, timers, deflate);
        } catch (IOException e) {
            ClientMode.closeQuietly(socket);
            return CaseResult.notRun(c.id(), c.description(), c.extra(), "connection broke: " + e, 0);
        }
        run.start();
        String scriptError = null;
        try {
            c.script().run(run);
        } catch (InterruptedException e) {
            run.dispose();
            throw e;
        } catch (Exception e) {
            scriptError = "suite error in the case script: " + e;
        }
        run.awaitEnd(Math.max(c.timeLimitMs(), timing.ms(c.timeLimitMs())));
        CaseResult result = run.judge();
        run.dispose();
        if (scriptError != null) {
            result = new CaseResult(result.id(), result.description(), Verdict.FAILED, scriptError, result.behavior(),
                    result.closeBehavior(), result.durationMs(), result.reportTime(), result.expected(),
                    result.received(), result.closedByMe(), result.droppedByMe(), result.wasClean(),
                    result.remoteCloseCode(), result.remoteCloseReason(), result.notes(), result.extra());
        }
        return result;
    }

    static ScheduledExecutorService newTimers() {
        return Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "conformance-timer");
            t.setDaemon(true);
            return t;
        });
    }

    static long millisSince(long nanoStart) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoStart);
    }
}
