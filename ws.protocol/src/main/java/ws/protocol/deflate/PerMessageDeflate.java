package ws.protocol.deflate;

import java.util.List;
import java.util.Optional;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;
import ws.protocol.extension.ExtensionFactory;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.internal.deflate.DeflateNegotiation;
import ws.protocol.internal.deflate.DeflateSettings;

/**
 * The permessage-deflate extension (RFC 7692): immutable, thread-safe configuration shared by all
 * connections, and the negotiation on either side. {@code new PerMessageDeflate()} gives the
 * defaults; {@link #builder()} the rest.
 *
 * <p>Every setting is stated from our side's point of view, so one factory means the same thing on
 * a client and on a server:
 * <table>
 *   <caption>Settings and the RFC 7692 parameters they become</caption>
 *   <tr><th>setting</th><th>as a client (offer)</th><th>as a server (response)</th></tr>
 *   <tr><td>{@link Builder#noContextTakeover}</td><td>{@code client_no_context_takeover}</td>
 *       <td>{@code server_no_context_takeover}</td></tr>
 *   <tr><td>{@link Builder#requestPeerNoContextTakeover}</td><td>{@code server_no_context_takeover}</td>
 *       <td>{@code client_no_context_takeover}</td></tr>
 *   <tr><td>{@link Builder#maxWindowBits}</td><td>{@code client_max_window_bits[=N]}</td>
 *       <td>{@code server_max_window_bits=N}</td></tr>
 *   <tr><td>{@link Builder#peerMaxWindowBits}</td><td>{@code server_max_window_bits=N}</td>
 *       <td>{@code client_max_window_bits=N}, if the client offered the parameter</td></tr>
 * </table>
 *
 * <p><b>Windows.</b> {@link java.util.zip.Deflater} always compresses with a 32 KiB window (15 bits).
 * When the peer limits our window to fewer bits, this extension honours it truly: it switches to a
 * pure-Java encoder whose back-references never reach further than the agreed window, across
 * messages too. That includes 8 bits, which zlib's deflate cannot produce (asked for a 256-byte
 * window it silently uses 512, which is why several libraries refuse 8). Set
 * {@link Builder#minWindowBits} to refuse small windows instead (a server then declines such
 * offers, a client fails such responses). For inflating we always
 * keep a 32 KiB window, so any peer decodes, whatever window it asked for or used.
 *
 * <p><b>Threshold.</b> A message sent in one frame and shorter than {@link #threshold()} bytes goes
 * uncompressed (no RSV1); so does any message the engine passes with {@code transform=false}.
 *
 * <p><b>Limits.</b> Inflating never produces or holds more than the {@code maxOutput} the engine
 * passes to {@link Extension#decode}: one byte more fails the connection with 1009, so a
 * decompression bomb costs at most the message size limit. Corrupt data fails it with 1007.
 */
public final class PerMessageDeflate implements ExtensionFactory {
    /** The extension token, {@value}. */
    public static final String NAME = DeflateNegotiation.NAME;
    /** The default threshold, in bytes (as Node's ws). */
    public static final int DEFAULT_THRESHOLD = 1024;
    /** The default compression level (zlib's default). */
    public static final int DEFAULT_LEVEL = 6;

    private final DeflateSettings settings;

    /** The defaults: level 6, threshold 1024, context takeover both ways, 15-bit windows, any window accepted. */
    public PerMessageDeflate() {
        this(new Builder());
    }

    private PerMessageDeflate(Builder builder) {
        this.settings = new DeflateSettings(builder.level, builder.threshold, builder.noContextTakeover,
                builder.requestPeerNoContextTakeover, builder.allowNoContextTakeover, builder.maxWindowBits,
                builder.minWindowBits, builder.peerMaxWindowBits, builder.fallbackOffer);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this factory's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.level = settings.level();
        b.threshold = settings.threshold();
        b.noContextTakeover = settings.noContextTakeover();
        b.requestPeerNoContextTakeover = settings.requestPeerNoContextTakeover();
        b.allowNoContextTakeover = settings.allowNoContextTakeover();
        b.maxWindowBits = settings.maxWindowBits();
        b.minWindowBits = settings.minWindowBits();
        b.peerMaxWindowBits = settings.peerMaxWindowBits();
        b.fallbackOffer = settings.fallbackOffer();
        return b;
    }

    /** The compression level, 0 (stored) to 9 (smallest). */
    public int compressionLevel() {
        return settings.level();
    }

    /** Single-frame messages shorter than this many bytes are sent uncompressed. */
    public int threshold() {
        return settings.threshold();
    }

    /** Whether we reset our compressor after every message even when not asked to. */
    public boolean noContextTakeover() {
        return settings.noContextTakeover();
    }

    /** Whether we ask the peer to reset its compressor after every message. */
    public boolean requestPeerNoContextTakeover() {
        return settings.requestPeerNoContextTakeover();
    }

    /** Whether the peer may require us to reset our compressor after every message. */
    public boolean allowNoContextTakeover() {
        return settings.allowNoContextTakeover();
    }

    /** The largest LZ77 window our compressor uses, in bits (8-15). */
    public int maxWindowBits() {
        return settings.maxWindowBits();
    }

    /** The smallest window, in bits, the peer may limit our compressor to (8-15). */
    public int minWindowBits() {
        return settings.minWindowBits();
    }

    /** The window, in bits, we ask the peer's compressor to keep within (15: no request). */
    public int peerMaxWindowBits() {
        return settings.peerMaxWindowBits();
    }

    /** Client side: whether an offer that asks something of the server is followed by one that asks nothing. */
    public boolean fallbackOffer() {
        return settings.fallbackOffer();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first offer carries what we ask of the server ({@code server_no_context_takeover},
     * {@code server_max_window_bits}) and our own hints ({@code client_no_context_takeover},
     * {@code client_max_window_bits}, valueless unless {@link #maxWindowBits()} is below 15). If it
     * asks anything of the server and {@link #fallbackOffer()} is on, a second offer with only our
     * hints follows, so that a server that cannot grant the requests still compresses.
     */
    @Override
    public List<ExtensionParameters> offers() {
        return DeflateNegotiation.offers(settings);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fails (1002) on unknown, duplicate or malformed parameters (window bits are 8 to 15, without
     * leading zeros), on a {@code client_max_window_bits} we did not offer or larger than we offered,
     * on a {@code server_max_window_bits} larger than we asked, on a response that drops something we
     * asked for and could not have come from our fallback offer, and on a window or a no context
     * takeover this factory does not allow.
     */
    @Override
    public Extension acceptResponse(ExtensionParameters response) throws ExtensionException {
        return DeflateNegotiation.acceptResponse(settings, response);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The response follows RFC 7692 section 7.1: {@code server_no_context_takeover} when the
     * client asked or we always reset; {@code client_no_context_takeover} when the client offered it
     * or we ask it; {@code server_max_window_bits} when the client offered it (the smaller of its
     * value and ours) or ours is below 15; {@code client_max_window_bits} only when the client
     * offered the parameter and we ask for less than 15 bits.
     */
    @Override
    public Optional<Extension> acceptOffer(List<ExtensionParameters> offers) {
        return DeflateNegotiation.acceptOffer(settings, offers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PerMessageDeflate other && other.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return "PerMessageDeflate" + settings.toString().substring("DeflateSettings".length());
    }

    /** Builds a {@link PerMessageDeflate}. Not thread-safe; every setter checks its argument. */
    public static final class Builder {
        private int level = DEFAULT_LEVEL;
        private int threshold = DEFAULT_THRESHOLD;
        private boolean noContextTakeover;
        private boolean requestPeerNoContextTakeover;
        private boolean allowNoContextTakeover = true;
        private int maxWindowBits = 15;
        private int minWindowBits = 8;
        private int peerMaxWindowBits = 15;
        private boolean fallbackOffer = true;

        private Builder() {
        }

        /** Compression level, 0 (stored blocks) to 9; default {@value PerMessageDeflate#DEFAULT_LEVEL}. */
        public Builder compressionLevel(int value) {
            if (value < 0 || value > 9) {
                throw new IllegalArgumentException("compression level " + value + " not in 0..9");
            }
            level = value;
            return this;
        }

        /**
         * Single-frame messages shorter than this are sent uncompressed; default
         * {@value PerMessageDeflate#DEFAULT_THRESHOLD}; 0 compresses everything.
         */
        public Builder threshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("threshold " + bytes + " < 0");
            }
            threshold = bytes;
            return this;
        }

        /**
         * Reset our compressor after every message, and say so (client: {@code client_no_context_takeover}
         * in the offer; server: {@code server_no_context_takeover} in the response). Worse ratio, and
         * the compressor's history need not be kept between messages. Default false.
         */
        public Builder noContextTakeover(boolean value) {
            noContextTakeover = value;
            return this;
        }

        /**
         * Ask the peer to reset its compressor after every message (client: {@code server_no_context_takeover}
         * in the offer; server: {@code client_no_context_takeover} in the response). Default false.
         */
        public Builder requestPeerNoContextTakeover(boolean value) {
            requestPeerNoContextTakeover = value;
            return this;
        }

        /**
         * Whether the peer may require us to reset our compressor after every message; when false a
         * server declines offers with {@code server_no_context_takeover} and a client fails responses
         * with {@code client_no_context_takeover}. Default true.
         */
        public Builder allowNoContextTakeover(boolean value) {
            allowNoContextTakeover = value;
            return this;
        }

        /**
         * The largest window, in bits (8-15), our compressor uses; below 15 it is announced (client:
         * {@code client_max_window_bits=N}; server: {@code server_max_window_bits=N}) and the pure-Java
         * windowed encoder is used. Default 15.
         */
        public Builder maxWindowBits(int bits) {
            maxWindowBits = checkBits("maxWindowBits", bits);
            return this;
        }

        /**
         * The smallest window, in bits (8-15), the peer may limit our compressor to; default 8 (any
         * window: the windowed encoder honours them all). 15 means: only ever compress with zlib's
         * 32 KiB window, declining or failing anything smaller.
         */
        public Builder minWindowBits(int bits) {
            minWindowBits = checkBits("minWindowBits", bits);
            return this;
        }

        /**
         * The window, in bits (8-15), we ask the peer's compressor to keep within (client:
         * {@code server_max_window_bits=N} in the offer; server: {@code client_max_window_bits=N} in the
         * response when the client offered that parameter). 15, the default, asks nothing. Our own
         * inflater keeps a 32 KiB window regardless, so a peer that ignores the request still decodes.
         */
        public Builder peerMaxWindowBits(int bits) {
            peerMaxWindowBits = checkBits("peerMaxWindowBits", bits);
            return this;
        }

        /**
         * Client side: after an offer that asks something of the server, also offer one that asks
         * nothing (so a server that will not grant it still compresses). Default true.
         */
        public Builder fallbackOffer(boolean value) {
            fallbackOffer = value;
            return this;
        }

        /**
         * The factory.
         *
         * @throws IllegalArgumentException when {@code minWindowBits > maxWindowBits}
         */
        public PerMessageDeflate build() {
            if (minWindowBits > maxWindowBits) {
                throw new IllegalArgumentException("minWindowBits " + minWindowBits + " > maxWindowBits " + maxWindowBits);
            }
            return new PerMessageDeflate(this);
        }

        private static int checkBits(String name, int bits) {
            if (bits < 8 || bits > 15) {
                throw new IllegalArgumentException(name + " " + bits + " not in 8..15 (RFC 7692 section 7.1.2)");
            }
            return bits;
        }
    }
}
