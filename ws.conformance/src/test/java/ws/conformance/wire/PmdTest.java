package ws.conformance.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The suite's permessage-deflate negotiation checks (RFC 7692 section 7.1). */
class PmdTest {
    private static final List<Pmd.Element> OFFERS = Pmd.parse(
            "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; "
                    + "server_max_window_bits=8, permessage-deflate; client_max_window_bits");

    @Test
    void parsesOffersAndParameters() {
        assertEquals(2, OFFERS.size());
        assertTrue(OFFERS.get(0).has("client_max_window_bits"));
        assertNull(OFFERS.get(0).value("client_max_window_bits"));
        assertEquals("8", OFFERS.get(0).value("server_max_window_bits"));
        assertEquals("10", Pmd.parse("permessage-deflate; client_max_window_bits=\"10\"").get(0)
                .value("client_max_window_bits"), "quoted values");
        assertEquals("server_no_context_takeover",
                Pmd.parse("permessage-deflate; server_no_context_takeover; server_no_context_takeover").get(0).duplicate());
    }

    @Test
    void acceptsResponsesConsistentWithAnOffer() {
        assertNull(Pmd.checkResponse(OFFERS, Pmd.parse(
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=8; client_max_window_bits=9")));
        assertNull(Pmd.checkResponse(OFFERS, Pmd.parse("permessage-deflate")), "the plain second offer");
        Pmd.Agreement a = Pmd.Agreement.of(Pmd.parse(
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=8").get(0));
        assertTrue(a.noContextTakeover(true));
        assertEquals(8, a.windowBits(true));
        assertEquals(15, a.windowBits(false));
    }

    @Test
    void refusesBrokenResponses() {
        assertNotNull(Pmd.checkResponse(OFFERS, Pmd.parse("permessage-deflate; client_max_window_bits")),
                "a valueless window in a response");
        assertNotNull(Pmd.checkResponse(OFFERS, Pmd.parse("permessage-deflate; server_max_window_bits=7")));
        assertNotNull(Pmd.checkResponse(OFFERS, Pmd.parse("permessage-deflate; mystery")));
        assertNotNull(Pmd.checkResponse(OFFERS, Pmd.parse("x-webkit-deflate-frame")));
        assertNotNull(Pmd.checkResponse(List.of(OFFERS.get(0)), Pmd.parse("permessage-deflate")),
                "asked server_no_context_takeover and server_max_window_bits=8, got neither");
        assertNotNull(Pmd.checkResponse(Pmd.parse("permessage-deflate"),
                Pmd.parse("permessage-deflate; client_max_window_bits=10")), "client_max_window_bits not offered");
    }
}
