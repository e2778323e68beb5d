package ws.conformance;

import ws.conformance.cases.CaseResult;
import ws.conformance.cases.ConformanceCase;

/** Runs one case over a fresh connection: as a client of a server under test, or as a server for a client. */
public interface Mode extends AutoCloseable {

    /** A short name for reports: "client mode against ws://...". */
    String describe();

    /** Runs {@code testCase} and judges it. */
    CaseResult run(ConformanceCase testCase) throws InterruptedException;

    @Override
    void close();
}
