package ws.conformance.cases;

/**
 * The clock of the cases. Autobahn waits 1 s where a case gives the peer time (to answer, to fail);
 * {@code scale} shortens (or lengthens) every such wait, so a suite over loopback can run faster.
 *
 * @param scale            factor for every wait a case declares (1.0: Autobahn's timings)
 * @param serverDropWaitMs in client mode, how long to wait for the server to close TCP after the close
 *                         handshake before closing it ourselves (Autobahn: 1000)
 * @param closeWaitMs      how long to wait for the peer's close reply before dropping (Autobahn: 1000)
 */
public record Timing(double scale, long serverDropWaitMs, long closeWaitMs) {

    /** Autobahn's own timings. */
    public static final Timing AUTOBAHN = new Timing(1.0, 1000, 1000);

    public Timing {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale " + scale + " must be > 0");
        }
    }

    /** {@code ms} scaled, at least 1. */
    public long ms(long ms) {
        return Math.max(1, Math.round(ms * scale));
    }
}
