package ws.protocol.api;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import ws.protocol.Limits;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.engine.ProtocolConfig;
import ws.protocol.extension.ExtensionFactory;

/**
 * What every connection is run with, on a server or a client. Immutable; change it with the
 * {@code with...} methods.
 *
 * @param limits            bounds on frames, messages and the handshake head
 * @param autoFragmentSize  outgoing messages are split into frames of at most this many bytes; 0: never
 * @param extensions        extensions to offer (client) or accept (server): none in {@link #defaults()}
 *                          (what a server starts from), permessage-deflate in {@link #clientDefaults()}
 *                          (what a client starts from)
 * @param pingInterval      how often to ping a connection that has been quiet; {@link Duration#ZERO}: never
 * @param pongTimeout       how long to wait for any data or pong after a keepalive ping before
 *                          closing the connection as dead (1006, after an abort)
 * @param idleTimeout       close with 1001 a connection over which no message has passed for this
 *                          long; {@link Duration#ZERO}: never
 * @param closeTimeout      how long to wait for the peer's close frame (or its TCP close) before aborting
 * @param handshakeTimeout  how long the whole opening handshake may take (slowloris defence)
 * @param highWaterMark     the {@link WebSocket#bufferedAmount()} above which the policy applies
 * @param backpressure      what a send does above the high-water mark
 * @param random            source of masking keys and handshake keys
 */
public record ConnectionOptions(Limits limits, int autoFragmentSize, List<ExtensionFactory> extensions,
                                Duration pingInterval, Duration pongTimeout, Duration idleTimeout,
                                Duration closeTimeout, Duration handshakeTimeout, long highWaterMark,
                                BackpressurePolicy backpressure, RandomGenerator random) {

    /**
     * Defaults: {@link Limits#DEFAULT}, no fragmenting, no extensions, keepalive ping every 30 s with
     * a 20 s pong deadline, no idle timeout, 5 s close timeout, 10 s handshake timeout, a 16 MiB
     * high-water mark with {@link BackpressurePolicy#WAIT}, a {@link SecureRandom}.
     */
    public static ConnectionOptions defaults() {
        return new ConnectionOptions(Limits.DEFAULT, 0, List.of(), Duration.ofSeconds(30), Duration.ofSeconds(20),
                Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(10), 16L << 20,
                BackpressurePolicy.WAIT, new SecureRandom());
    }

    /**
     * What a client starts from ({@link ClientOptions.Builder} uses it): {@link #defaults()} with
     * permessage-deflate offered ({@code new PerMessageDeflate()}, its defaults: the offer
     * {@code permessage-deflate; client_max_window_bits}). As with Node's {@code ws}, browsers and
     * the other widely used clients, offering costs nothing when the server declines: the
     * connection then runs uncompressed. A server accepts permessage-deflate only when its own
     * options list it, so {@link #defaults()} (a server's start) stays extension-free.
     * Turn the offer off with {@code .withExtensions(List.of())}; note that
     * {@code ClientOptions.Builder.connection(ConnectionOptions.defaults())} replaces these
     * options whole and so offers nothing.
     */
    public static ConnectionOptions clientDefaults() {
        return defaults().withExtensions(List.of(new PerMessageDeflate()));
    }

    public ConnectionOptions {
        Objects.requireNonNull(limits, "limits");
        extensions = List.copyOf(extensions);
        requireNotNegative("pingInterval", pingInterval);
        requirePositive("pongTimeout", pongTimeout);
        requireNotNegative("idleTimeout", idleTimeout);
        requirePositive("closeTimeout", closeTimeout);
        requirePositive("handshakeTimeout", handshakeTimeout);
        Objects.requireNonNull(backpressure, "backpressure");
        Objects.requireNonNull(random, "random");
        if (autoFragmentSize < 0) {
            throw new IllegalArgumentException("autoFragmentSize " + autoFragmentSize + " < 0");
        }
        if (highWaterMark < 1) {
            throw new IllegalArgumentException("highWaterMark " + highWaterMark + " < 1");
        }
    }

    /** The engine configuration these options imply. */
    public ProtocolConfig protocolConfig() {
        return new ProtocolConfig(limits, autoFragmentSize, extensions, random);
    }

    public ConnectionOptions withLimits(Limits value) {
        return new ConnectionOptions(value, autoFragmentSize, extensions, pingInterval, pongTimeout, idleTimeout,
                closeTimeout, handshakeTimeout, highWaterMark, backpressure, random);
    }

    public ConnectionOptions withAutoFragmentSize(int value) {
        return new ConnectionOptions(limits, value, extensions, pingInterval, pongTimeout, idleTimeout,
                closeTimeout, handshakeTimeout, highWaterMark, backpressure, random);
    }

    public ConnectionOptions withExtensions(List<ExtensionFactory> value) {
        return new ConnectionOptions(limits, autoFragmentSize, value, pingInterval, pongTimeout, idleTimeout,
                closeTimeout, handshakeTimeout, highWaterMark, backpressure, random);
    }

    /** Keepalive: ping after {@code interval} of quiet, close if nothing comes back within {@code timeout}. */
    public ConnectionOptions withKeepAlive(Duration interval, Duration timeout) {
        return new ConnectionOptions(limits, autoFragmentSize, extensions, interval, timeout, idleTimeout,
                closeTimeout, handshakeTimeout, highWaterMark, backpressure, random);
    }

    public ConnectionOptions withIdleTimeout(Duration value) {
        return new ConnectionOptions(limits, autoFragmentSize, extensions, pingInterval, pongTimeout, value,
                closeTimeout, handshakeTimeout, highWaterMark, backpressure, random);
    }

    public ConnectionOptions withCloseTimeout(Duration value) {
        return new ConnectionOptions(limits, autoFragmentSize, extensions, pingInterval, pongTimeout, idleTimeout,
                value, handshakeTimeout, highWaterMark, backpressure, random);
    }

    public ConnectionOptions withHandshakeTimeout(Duration value) {
        return new ConnectionOptions(limits, autoFragmentSize, extensions, pingInterval, pongTimeout, idleTimeout,
                closeTimeout, value, highWaterMark, backpressure, random);
    }

    /** Backpressure: above {@code highWaterMark} buffered bytes, sends follow {@code policy}. */
    public ConnectionOptions withBackpressure(long highWaterMark, BackpressurePolicy policy) {
        return new ConnectionOptions(limits, autoFragmentSize, extensions, pingInterval, pongTimeout, idleTimeout,
                closeTimeout, handshakeTimeout, highWaterMark, policy, random);
    }

    public ConnectionOptions withRandom(RandomGenerator value) {
        return new ConnectionOptions(limits, autoFragmentSize, extensions, pingInterval, pongTimeout, idleTimeout,
                closeTimeout, handshakeTimeout, highWaterMark, backpressure, value);
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " " + value + " is negative");
        }
    }

    private static void requirePositive(String name, Duration value) {
        requireNotNegative(name, value);
        if (value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
