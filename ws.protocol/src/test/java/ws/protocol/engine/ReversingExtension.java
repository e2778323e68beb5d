package ws.protocol.engine;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import ws.protocol.CloseCodes;
import ws.protocol.Opcode;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;
import ws.protocol.extension.ExtensionFactory;
import ws.protocol.extension.ExtensionParameters;

/**
 * A test-only extension, {@code x-reverse}: it owns RSV1, marks the first frame of each message it
 * transforms with RSV1, and reverses the payload of every frame of such a message. A frame whose
 * decoded payload is "boom" makes decode fail with 1003; decode honours {@code maxOutput}.
 */
class ReversingExtension implements Extension {
    static final String NAME = "x-reverse";

    private final ExtensionParameters parameters;
    int closes;
    long lastMaxOutput = -1;

    ReversingExtension(ExtensionParameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public ExtensionParameters parameters() {
        return parameters;
    }

    @Override
    public int rsvBits() {
        return RSV1;
    }

    @Override
    public EncodedFrame encode(Opcode opcode, ByteBuffer payload, boolean first, boolean fin, boolean transform) {
        return new EncodedFrame(reverse(payload), first ? RSV1 : 0);
    }

    @Override
    public ByteBuffer decode(int messageRsv, ByteBuffer payload, boolean fin, long maxOutput) throws ExtensionException {
        lastMaxOutput = maxOutput;
        if ((messageRsv & RSV1) == 0) {
            return payload;
        }
        ByteBuffer out = reverse(payload);
        if (out.remaining() > maxOutput) {
            throw new ExtensionException(CloseCodes.MESSAGE_TOO_BIG, "decoded frame of " + out.remaining() + " > " + maxOutput);
        }
        if (out.equals(ByteBuffer.wrap("boom".getBytes()))) {
            throw new ExtensionException(CloseCodes.UNSUPPORTED_DATA, "boom");
        }
        return out;
    }

    @Override
    public void close() {
        closes++;
    }

    private static ByteBuffer reverse(ByteBuffer payload) {
        byte[] out = new byte[payload.remaining()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = payload.get();
        }
        return ByteBuffer.wrap(out);
    }

    /** Its factory: offers {@code x-reverse}; accepts any offer or response without a parameter "refuse". */
    static final class Factory implements ExtensionFactory {
        final List<ExtensionParameters> offers;
        final java.util.List<ReversingExtension> made = new java.util.ArrayList<>();
        List<ExtensionParameters> lastOffers;

        Factory() {
            this(List.of(new ExtensionParameters(NAME)));
        }

        Factory(List<ExtensionParameters> offers) {
            this.offers = offers;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public List<ExtensionParameters> offers() {
            return offers;
        }

        @Override
        public Extension acceptResponse(ExtensionParameters response) throws ExtensionException {
            if (response.has("refuse")) {
                throw new ExtensionException(CloseCodes.MANDATORY_EXTENSION, "parameter refuse is not acceptable");
            }
            return make(response);
        }

        @Override
        public Optional<Extension> acceptOffer(List<ExtensionParameters> offers) {
            lastOffers = offers;
            for (ExtensionParameters offer : offers) {
                if (!offer.has("refuse")) {
                    return Optional.of(make(offer));
                }
            }
            return Optional.empty();
        }

        private ReversingExtension make(ExtensionParameters parameters) {
            ReversingExtension extension = new ReversingExtension(parameters);
            made.add(extension);
            return extension;
        }
    }
}
