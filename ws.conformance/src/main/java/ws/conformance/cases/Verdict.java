package ws.conformance.cases;

/** The outcome of a case, as in the Autobahn testsuite. */
public enum Verdict {
    /** Passed. */
    OK("OK"),
    /** Passed, but not the preferred (SHOULD) behaviour: e.g. failing on invalid UTF-8 only at message end. */
    NON_STRICT("NON-STRICT"),
    /** Behaviour the specification leaves open; reported, never a failure. */
    INFORMATIONAL("INFORMATIONAL"),
    /**
     * The case needs an extension the peer did not agree to (permessage-deflate in groups 12 and 13);
     * as in Autobahn, not a failure.
     */
    UNIMPLEMENTED("UNIMPLEMENTED"),
    /** Failed. */
    FAILED("FAILED");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The label used in tables and reports. */
    public String label() {
        return label;
    }

    /** Whether this verdict counts as passing. */
    public boolean passed() {
        return this != FAILED;
    }
}
