package ws.conformance.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * permessage-deflate negotiation (RFC 7692 section 7.1) as the suite needs it, on both sides: the
 * {@code Sec-WebSocket-Extensions} syntax, the check of a server's response against the suite's
 * offers, and the agreement both sides then keep to.
 */
public final class Pmd {
    /** The extension token. */
    public static final String NAME = "permessage-deflate";
    public static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    public static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    public static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    public static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private Pmd() {
    }

    /**
     * One element of an extension list: a name and its parameters in order (a valueless parameter
     * maps to {@code null}); {@code duplicate} names a parameter given twice.
     */
    public record Element(String name, Map<String, String> params, String duplicate) {
        /** Whether the parameter is present (with or without a value). */
        public boolean has(String param) {
            return params.containsKey(param);
        }

        /** The parameter's value ({@code null} when absent or valueless). */
        public String value(String param) {
            return params.get(param);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name);
            params.forEach((k, v) -> sb.append("; ").append(k).append(v == null ? "" : "=" + v));
            return sb.toString();
        }
    }

    /**
     * The windows and context takeover both sides agreed to.
     *
     * @param serverNoContextTakeover the server resets its compressor after every message
     * @param clientNoContextTakeover the client resets its compressor after every message
     * @param serverMaxWindowBits     the largest window the server's compressor may use (8..15)
     * @param clientMaxWindowBits     the largest window the client's compressor may use (8..15)
     * @param response                the response as it was on the wire
     */
    public record Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
                            int clientMaxWindowBits, String response) {

        /** The agreement a response element states (every parameter already checked). */
        public static Agreement of(Element response) {
            return new Agreement(response.has(SERVER_NO_CONTEXT_TAKEOVER), response.has(CLIENT_NO_CONTEXT_TAKEOVER),
                    bits(response.value(SERVER_MAX_WINDOW_BITS)), bits(response.value(CLIENT_MAX_WINDOW_BITS)),
                    response.toString());
        }

        private static int bits(String value) {
            return value == null ? 15 : Integer.parseInt(value);
        }

        /** Whether the given side resets its compressor after every message. */
        public boolean noContextTakeover(boolean server) {
            return server ? serverNoContextTakeover : clientNoContextTakeover;
        }

        /** The window bits of the given side's compressor. */
        public int windowBits(boolean server) {
            return server ? serverMaxWindowBits : clientMaxWindowBits;
        }
    }

    /** Parses a {@code Sec-WebSocket-Extensions} value (or several joined with commas). */
    public static List<Element> parse(String header) {
        List<Element> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            Map<String, String> params = new LinkedHashMap<>();
            String duplicate = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String key = (eq < 0 ? p : p.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? null : p.substring(eq + 1).strip();
                if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (params.containsKey(key) && duplicate == null) {
                    duplicate = key;
                }
                params.put(key, value);
            }
            out.add(new Element(name, params, duplicate));
        }
        return out;
    }

    /**
     * The problem with a server's extension response to our {@code offers} (RFC 7692 sections 5 and
     * 7.1), or {@code null} when it is valid: one permessage-deflate element, known parameters, no
     * duplicates, window values 8..15, and consistent with at least one of the offers.
     */
    public static String checkResponse(List<Element> offers, List<Element> response) {
        if (response.size() != 1) {
            return "expected one extension in the response, got " + response.size() + ": " + response;
        }
        Element r = response.get(0);
        if (!r.name().equals(NAME)) {
            return "the server accepted an extension we did not offer: " + r.name();
        }
        String syntax = syntaxProblem(r, true);
        if (syntax != null) {
            return syntax;
        }
        List<String> reasons = new ArrayList<>();
        for (Element offer : offers) {
            String why = inconsistency(offer, r);
            if (why == null) {
                return null;
            }
            reasons.add("offer \"" + offer + "\": " + why);
        }
        return "the response \"" + r + "\" matches none of our offers (" + String.join("; ", reasons) + ")";
    }

    /** Unknown or duplicate parameters, or a window value that is not 8..15 (or missing where required). */
    public static String syntaxProblem(Element e, boolean response) {
        if (e.duplicate() != null) {
            return "duplicate parameter " + e.duplicate() + " (RFC 7692 section 7)";
        }
        for (Map.Entry<String, String> p : e.params().entrySet()) {
            switch (p.getKey()) {
                case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER -> {
                    if (p.getValue() != null) {
                        return p.getKey() + " takes no value, got " + p.getValue();
                    }
                }
                case SERVER_MAX_WINDOW_BITS, CLIENT_MAX_WINDOW_BITS -> {
                    String v = p.getValue();
                    if (v == null) {
                        if (response || p.getKey().equals(SERVER_MAX_WINDOW_BITS)) {
                            return p.getKey() + " needs a value here (RFC 7692 section 7.1.2)";
                        }
                    } else if (!v.matches("[89]|1[0-5]")) {
                        return p.getKey() + " must be 8..15, got " + v;
                    }
                }
                default -> {
                    return "unknown parameter " + p.getKey();
                }
            }
        }
        return null;
    }

    /** Why {@code response} cannot be the answer to {@code offer}, or {@code null} when it can. */
    private static String inconsistency(Element offer, Element response) {
        if (response.has(CLIENT_MAX_WINDOW_BITS)) {
            if (!offer.has(CLIENT_MAX_WINDOW_BITS)) {
                return "client_max_window_bits was not offered";
            }
            String offered = offer.value(CLIENT_MAX_WINDOW_BITS);
            if (offered != null && Integer.parseInt(response.value(CLIENT_MAX_WINDOW_BITS)) > Integer.parseInt(offered)) {
                return "client_max_window_bits larger than offered";
            }
        }
        if (offer.has(SERVER_NO_CONTEXT_TAKEOVER) && !response.has(SERVER_NO_CONTEXT_TAKEOVER)) {
            return "server_no_context_takeover was asked and dropped";
        }
        if (offer.has(SERVER_MAX_WINDOW_BITS)) {
            if (!response.has(SERVER_MAX_WINDOW_BITS)) {
                return "server_max_window_bits was asked and dropped";
            }
            if (Integer.parseInt(response.value(SERVER_MAX_WINDOW_BITS))
                    > Integer.parseInt(offer.value(SERVER_MAX_WINDOW_BITS))) {
                return "server_max_window_bits larger than asked";
            }
        }
        return null;
    }
}
