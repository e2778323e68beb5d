package ws.conformance.cases;

/**
 * The clock of the cases. Autobahn waits 1 s where a case gives the peer time (to answer, to fail);
 * {@code scale} shortens (or lengthens) every such wait, so a suite over loopback can run faster.
 *
 * @param scale            factor for every wait a case declares (1.0: Autobahn's timings)
 * @param serverDropWaitMs in client mode, how long to wait for the server to close TCP after the close
 *                         handshake before closing it ourselves (Autobahn: 1000)
 * @param closeWaitMs      how long to wait for the peer's close reply before dropping (Autobahn: 1000)
 * @param minKillMs        the least time a peer gets before a case's kill timer drops the connection
 *                         (0 in Autobahn; server mode gives a freshly started client process more, since
 *                         its first frames run on a cold JVM)
 */
public record Timing(double scale, long serverDropWaitMs, long closeWaitMs, long minKillMs) {

    /** Autobahn's own timings. */
    public static final Timing AUTOBAHN = new Timing(1.0, 1000, 1000, 0);

    /** These timings with every wait scaled by {@code scale}. */
    public Timing scaled(double value) {
        return new Timing(value, serverDropWaitMs, closeWaitMs, minKillMs);
    }

    /** These timings with at least {@code ms} before a kill timer fires. */
    public Timing withMinKillMs(long ms) {
        return new Timing(scale, serverDropWaitMs, closeWaitMs, ms);
    }

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
