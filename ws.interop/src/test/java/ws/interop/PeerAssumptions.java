package ws.interop;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Fails a test whose peer is missing, naming what installs it; skips it loudly with {@code WS_INTEROP_OPTIONAL=1}. */
final class PeerAssumptions {
    private static final Map<String, Optional<String>> CHECKED = new ConcurrentHashMap<>();

    private PeerAssumptions() {
    }

    static void requirePeer(String peer, Supplier<Optional<String>> missing) {
        Optional<String> why = CHECKED.computeIfAbsent(peer, key -> {
            Optional<String> result = missing.get();
            result.ifPresent(reason -> System.err.printf("%n*** INTEROP PEER MISSING: %s: %s%n*** %s%n%n", peer, reason,
                    Peers.required() ? "the tests with this peer FAIL: run " + Peers.INSTALLER + " (or set "
                            + Peers.OPTIONAL_VARIABLE + "=1 to skip them)"
                            : Peers.OPTIONAL_VARIABLE + "=1: the tests with this peer are SKIPPED"));
            return result;
        });
        if (why.isEmpty()) {
            return;
        }
        String message = "interop peer " + peer + " is missing: " + why.get();
        if (Peers.required()) {
            Assertions.fail(message + "; run " + Peers.INSTALLER + " (or set " + Peers.OPTIONAL_VARIABLE + "=1 to skip)");
        }
        Assumptions.abort(message);
    }
}
