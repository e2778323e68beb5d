package ws.conformance.cases;

import java.util.List;
import java.util.Objects;

/**
 * One case: an Autobahn id, what it does, what it expects, and the script that does it.
 *
 * @param id          the Autobahn case id ("6.4.1"), or an id of our own for cases Autobahn lacks
 * @param description what the case sends
 * @param expectation what a conformant peer does
 * @param script      the case itself
 * @param extra       true for a case that is not in the Autobahn testsuite
 * @param timeLimitMs a bound on the whole case (scaled by the timing), after which it fails
 * @param deflate     the permessage-deflate negotiation of groups 12 and 13, or {@code null}: the
 *                    suite offers and accepts no extension
 */
public record ConformanceCase(String id, String description, String expectation, Script script, boolean extra,
                              long timeLimitMs, DeflateSpec deflate) {

    /** A case that negotiates no extension. */
    public ConformanceCase(String id, String description, String expectation, Script script, boolean extra,
                           long timeLimitMs) {
        this(id, description, expectation, script, extra, timeLimitMs, null);
    }

    /** The body of a case, run with the fuzzing side of a fresh connection. */
    @FunctionalInterface
    public interface Script {
        /** Sets the expectations and sends; the run ends when the connection is closed. */
        void run(CaseRun run) throws Exception;
    }

    public ConformanceCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(script, "script");
    }

    /** Headers to add to the opening handshake request in client mode (extension offers, for groups 12/13). */
    public List<String[]> requestHeaders() {
        if (deflate == null) {
            return List.of();
        }
        return List.<String[]>of(new String[] {"Sec-WebSocket-Extensions", String.join(", ", deflate.offers())});
    }

    /** The id as a sortable tuple of numbers. */
    public int[] idTuple() {
        String[] parts = id.split("\\.");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    /** The group ("1" for 1.1.1). */
    public String group() {
        return id.substring(0, id.indexOf('.'));
    }
}
