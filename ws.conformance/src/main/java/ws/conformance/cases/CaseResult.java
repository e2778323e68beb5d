package ws.conformance.cases;

import java.util.List;

/**
 * The outcome of one case.
 *
 * @param id              the case id
 * @param description     what the case sent
 * @param verdict         the overall verdict
 * @param reason          why (for FAILED: what was expected and what came)
 * @param behavior        the verdict of the events alone (Autobahn's "behavior")
 * @param closeBehavior   the verdict of the closing alone (Autobahn's "behaviorClose")
 * @param durationMs      how long the case ran
 * @param reportTime      whether the duration matters (performance cases)
 * @param expected        the accepted event sequences, one line each
 * @param received        what the peer did
 * @param closedByMe      whether the suite sent the first close frame
 * @param droppedByMe     whether the suite closed the TCP connection
 * @param wasClean        whether the close handshake completed and TCP closed properly
 * @param remoteCloseCode the peer's close code, or null (none, or no close frame)
 * @param remoteCloseReason the peer's close reason
 * @param notes           what else happened (violations, timers)
 * @param extra           true when the case is not in the Autobahn testsuite
 */
public record CaseResult(String id, String description, Verdict verdict, String reason, String behavior,
                         String closeBehavior, long durationMs, boolean reportTime, List<String> expected,
                         List<String> received, boolean closedByMe, boolean droppedByMe, boolean wasClean,
                         Integer remoteCloseCode, String remoteCloseReason, List<String> notes, boolean extra) {

    public CaseResult {
        expected = List.copyOf(expected);
        received = List.copyOf(received);
        notes = List.copyOf(notes);
    }

    /** This result with one more note. */
    public CaseResult withNote(String note) {
        List<String> more = new java.util.ArrayList<>(notes);
        more.add(note);
        return new CaseResult(id, description, verdict, reason, behavior, closeBehavior, durationMs, reportTime,
                expected, received, closedByMe, droppedByMe, wasClean, remoteCloseCode, remoteCloseReason, more, extra);
    }

    /** A failed result for a case that could not run (no connection, a bad opening handshake). */
    public static CaseResult notRun(String id, String description, boolean extra, String reason, long durationMs) {
        return new CaseResult(id, description, Verdict.FAILED, reason, "FAILED", "FAILED", durationMs, false, List.of(),
                List.of(), false, false, false, null, null, List.of(reason), extra);
    }
}
