package ws.protocol.engine;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import ws.protocol.Limits;
import ws.protocol.extension.ExtensionFactory;

/**
 * What an engine is built with.
 *
 * @param limits           bounds on frames, messages and the handshake head
 * @param autoFragmentSize outgoing messages larger than this are sent as fragments of at most this
 *                         many payload bytes; 0 sends every message as one frame
 * @param extensions       the extensions to offer (client) or accept (server), in preference order
 * @param random           the source of masking keys and of {@code Sec-WebSocket-Key}: a
 *                         {@link SecureRandom} by default; tests inject a seeded one for exact bytes
 */
public record ProtocolConfig(Limits limits, int autoFragmentSize, List<ExtensionFactory> extensions,
                             RandomGenerator random) {

    /** Default limits, no auto-fragmenting, no extensions, a {@link SecureRandom}. */
    public static ProtocolConfig defaults() {
        return new ProtocolConfig(Limits.DEFAULT, 0, List.of(), new SecureRandom());
    }

    public ProtocolConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(random, "random");
        extensions = List.copyOf(extensions);
        if (autoFragmentSize < 0) {
            throw new IllegalArgumentException("autoFragmentSize " + autoFragmentSize + " < 0");
        }
    }

    public ProtocolConfig withLimits(Limits value) {
        return new ProtocolConfig(value, autoFragmentSize, extensions, random);
    }

    public ProtocolConfig withAutoFragmentSize(int value) {
        return new ProtocolConfig(limits, value, extensions, random);
    }

    public ProtocolConfig withExtensions(List<ExtensionFactory> value) {
        return new ProtocolConfig(limits, autoFragmentSize, value, random);
    }

    public ProtocolConfig withRandom(RandomGenerator value) {
        return new ProtocolConfig(limits, autoFragmentSize, extensions, value);
    }
}
