package ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.deflate.PerMessageDeflate;

/**
 * {@code Sec-WebSocket-Extensions} (RFC 6455 section 9.1) and the permessage-deflate negotiation
 * on it (RFC 7692 section 7.1): byte 0 picks our configuration, the rest is one to three header
 * values (ISO-8859-1, as HTTP fields are read) separated by line feeds. The parser throws nothing
 * but an {@link IllegalArgumentException}; what it parses formats and parses back equal; a server
 * never throws on an offer, and its agreement is one the offering client accepts; a client's check
 * of a response throws nothing but an {@link ExtensionException}.
 */
class ExtensionHeaderFuzzTest {
    private static final List<PerMessageDeflate> CONFIGS = List.of(
            new PerMessageDeflate(),
            PerMessageDeflate.builder().noContextTakeover(true).requestPeerNoContextTakeover(true).maxWindowBits(10).peerMaxWindowBits(9).build(),
            PerMessageDeflate.builder().allowNoContextTakeover(false).minWindowBits(12).build());

    @FuzzTest
    void extensions(byte[] data) {
        if (data.length == 0) {
            return;
        }
        PerMessageDeflate config = CONFIGS.get((data[0] & 0xFF) % CONFIGS.size());
        String text = new String(data, 1, data.length - 1, StandardCharsets.ISO_8859_1);
        List<String> values = List.of(text.split("\n", 3));
        List<ExtensionParameters> parsed;
        try {
            parsed = ExtensionParameters.parseAll(values);
        } catch (IllegalArgumentException refused) {
            return;
        }
        String formatted = ExtensionParameters.formatAll(parsed);
        List<ExtensionParameters> again = ExtensionParameters.parseAll(formatted.isEmpty() ? List.of() : List.of(formatted));
        if (!again.equals(parsed)) {
            throw new AssertionError("formatted as \"" + formatted + "\" it parses back as " + again + ", was " + parsed);
        }
        // As a server: the offers of a client.
        config.acceptOffer(parsed).ifPresent(agreed -> {
            try (agreed) {
                for (PerMessageDeflate client : CONFIGS) {
                    // A server may ask for client_no_context_takeover unasked (RFC 7692 section 7.1.1.2);
                    // a client configured not to allow it refuses, as it should.
                    boolean unaskedNoTakeover = agreed.parameters().has("client_no_context_takeover") && !client.allowNoContextTakeover();
                    if (offered(client, parsed) && !unaskedNoTakeover) {
                        acceptedBy(client, agreed);
                    }
                }
            }
        });
        // As a client: a server's response.
        for (ExtensionParameters response : parsed) {
            try {
                config.acceptResponse(response).close();
            } catch (ExtensionException refused) {
                // the response broke a rule of section 7.1, and says which
            }
        }
    }

    private static boolean offered(PerMessageDeflate client, List<ExtensionParameters> parsed) {
        return client.offers().equals(parsed);
    }

    private static void acceptedBy(PerMessageDeflate client, Extension agreed) {
        try {
            client.acceptResponse(agreed.parameters()).close();
        } catch (ExtensionException e) {
            throw new AssertionError("client " + client + " refuses the agreement " + agreed.parameters().format()
                    + " made on its own offer: " + e.getMessage(), e);
        }
    }
}
