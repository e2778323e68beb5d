package ws.interop;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Skips a test loudly when its peer is missing, or fails it when {@code WS_INTEROP_REQUIRED=1}. */
final class PeerAssumptions {
    private static final Map<String, Optional<String>> CHECKED = new ConcurrentHashMap<>();

    private PeerAssumptions() {
    }

    static void requirePeer(String peer, Supplier<Optional<String>> missing) {
        Optional<String> why = CHECKED.computeIfAbsent(peer, key -> {
            Optional<String> result = missing.get();
            result.ifPresent(reason -> System.err.printf("%n*** INTEROP PEER MISSING: %s: %s%n*** %s%n%n", peer, reason,
                    Peers.required() ? Peers.REQUIRED_VARIABLE + "=1: the tests with this peer FAIL"
                            : "the tests with this peer are SKIPPED (set " + Peers.REQUIRED_VARIABLE + "=1 to fail instead)"));
            return result;
        });
        if (why.isEmpty()) {
            return;
        }
        String message = "interop peer " + peer + " is missing: " + why.get();
        if (Peers.required()) {
            Assertions.fail(message + " (" + Peers.REQUIRED_VARIABLE + "=1)");
        }
        Assumptions.abort(message);
    }
}
