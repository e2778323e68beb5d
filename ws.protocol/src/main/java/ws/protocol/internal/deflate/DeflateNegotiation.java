package ws.protocol.internal.deflate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import ws.protocol.CloseCodes;
import ws.protocol.Side;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;
import ws.protocol.extension.ExtensionParameters;

/**
 * permessage-deflate negotiation, RFC 7692 sections 5 and 7.1: the client's offers, the server's
 * choice of the first acceptable offer and its response, and the client's check of that response.
 */
public final class DeflateNegotiation {
    /** The extension token. */
    public static final String NAME = "permessage-deflate";
    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private DeflateNegotiation() {
    }

    /** The parameters of one offer or response, checked for duplicates, unknown names and syntax. */
    record Parsed(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                  boolean hasServerMaxWindowBits, int serverMaxWindowBits,
                  boolean hasClientMaxWindowBits, int clientMaxWindowBits) {
    }

    /**
     * Parses the parameters of an offer ({@code response} false: {@code client_max_window_bits} may
     * lack a value) or of a response (every window parameter must have one).
     *
     * @throws IllegalArgumentException naming the rule broken and the value seen
     */
    static Parsed parse(ExtensionParameters extension, boolean response) {
        if (!NAME.equalsIgnoreCase(extension.name())) {
            throw new IllegalArgumentException("extension " + extension.name() + " is not " + NAME);
        }
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        boolean hasServerBits = false;
        boolean hasClientBits = false;
        int serverBits = 15;
        int clientBits = 15;
        List<String> seen = new ArrayList<>();
        for (ExtensionParameters.Parameter parameter : extension.parameters()) {
            String name = parameter.name().toLowerCase(Locale.ROOT);
            String value = parameter.value();
            if (seen.contains(name)) {
                throw new IllegalArgumentException("RFC 7692 section 7: duplicate parameter " + name);
            }
            seen.add(name);
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER -> {
                    if (value != null) {
                        throw new IllegalArgumentException("RFC 7692 section 7.1.1: " + name
                                + " takes no value, got " + value);
                    }
                    if (name.equals(SERVER_NO_CONTEXT_TAKEOVER)) {
                        serverNoContext = true;
                    } else {
                        clientNoContext = true;
                    }
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    if (value == null) {
                        throw new IllegalArgumentException("RFC 7692 section 7.1.2.1: " + name + " needs a value");
                    }
                    hasServerBits = true;
                    serverBits = windowBits(name, value);
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    hasClientBits = true;
                    if (value == null) {
                        if (response) {
                            throw new IllegalArgumentException("RFC 7692 section 7.1.2.2: " + name
                                    + " in a response needs a value");
                        }
                    } else {
                        clientBits = windowBits(name, value);
                    }
                }
                default -> throw new IllegalArgumentException("RFC 7692 section 7: unknown parameter " + name);
            }
        }
        return new Parsed(serverNoContext, clientNoContext, hasServerBits, serverBits, hasClientBits, clientBits);
    }

    /** A window-bits value: a decimal integer 8 to 15 without leading zeros (RFC 7692 section 7.1.2). */
    static int windowBits(String name, String value) {
        boolean ok = switch (value) {
            case "8", "9", "10", "11", "12", "13", "14", "15" -> true;
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("RFC 7692 section 7.1.2: " + name + " must be 8 to 15 without leading zeros, got "
                    + value);
        }
        return Integer.parseInt(value);
    }

    /** Client side: our offers, most preferred first. */
    public static List<ExtensionParameters> offers(DeflateSettings settings) {
        ExtensionParameters hints = new ExtensionParameters(NAME);
        if (settings.noContextTakeover()) {
            hints = hints.with(CLIENT_NO_CONTEXT_TAKEOVER, null);
        }
        ExtensionParameters first = hints;
        boolean asksServer = false;
        if (settings.requestPeerNoContextTakeover()) {
            first = first.with(SERVER_NO_CONTEXT_TAKEOVER, null);
            asksServer = true;
        }
        if (settings.peerMaxWindowBits() < 15) {
            first = first.with(SERVER_MAX_WINDOW_BITS, Integer.toString(settings.peerMaxWindowBits()));
            asksServer = true;
        }
        // Valueless: "the server may limit our window"; with a value: "we will not use more than this".
        String clientBits = settings.maxWindowBits() < 15 ? Integer.toString(settings.maxWindowBits()) : null;
        first = first.with(CLIENT_MAX_WINDOW_BITS, clientBits);
        hints = hints.with(CLIENT_MAX_WINDOW_BITS, clientBits);
        return asksServer && settings.fallbackOffer() ? List.of(first, hints) : List.of(first);
    }

    /**
     * Client side: checks the server's response against our offers (RFC 7692 section 7.1) and makes
     * the extension.
     */
    public static Extension acceptResponse(DeflateSettings settings, ExtensionParameters response)
            throws ExtensionException {
        Parsed r;
        try {
            r = parse(response, true);
        } catch (IllegalArgumentException e) {
            throw new ExtensionException(CloseCodes.PROTOCOL_ERROR, "permessage-deflate response "
                    + response.format() + ": " + e.getMessage(), e);
        }
        if (r.clientNoContextTakeover() && !settings.allowNoContextTakeover() && !settings.noContextTakeover()) {
            throw new ExtensionException(CloseCodes.PROTOCOL_ERROR, "permessage-deflate response "
                    + response.format() + ": client_no_context_takeover is not allowed by this client");
        }
        int ourBits = Math.min(settings.maxWindowBits(), r.clientMaxWindowBits());
        if (ourBits < settings.minWindowBits()) {
            throw new ExtensionException(CloseCodes.PROTOCOL_ERROR, "permessage-deflate response "
                    + response.format() + ": client_max_window_bits " + r.clientMaxWindowBits()
                    + " < the smallest window this client accepts, " + settings.minWindowBits());
        }
        String mismatch = null;
        for (ExtensionParameters offer : offers(settings)) {
            mismatch = mismatch(parse(offer, false), r);
            if (mismatch == null) {
                break;
            }
        }
        if (mismatch != null) {
            throw new ExtensionException(CloseCodes.PROTOCOL_ERROR, "permessage-deflate response "
                    + response.format() + ": " + mismatch);
        }
        Agreement agreement = new Agreement(r.serverNoContextTakeover(),
                r.clientNoContextTakeover() || settings.noContextTakeover(), r.serverMaxWindowBits(), ourBits);
        return new PerMessageDeflateExtension(Side.CLIENT, agreement, response, settings);
    }

    /** Why a response cannot answer an offer (RFC 7692 section 7.1), or null if it can. */
    private static String mismatch(Parsed offer, Parsed response) {
        if (offer.serverNoContextTakeover() && !response.serverNoContextTakeover()) {
            return "RFC 7692 section 7.1.1.1: server_no_context_takeover was offered but not accepted";
        }
        if (response.hasServerMaxWindowBits() && offer.hasServerMaxWindowBits()
                && response.serverMaxWindowBits() > offer.serverMaxWindowBits()) {
            return "RFC 7692 section 7.1.2.1: server_max_window_bits " + response.serverMaxWindowBits()
                    + " > the " + offer.serverMaxWindowBits() + " offered";
        }
        if (offer.hasServerMaxWindowBits() && !response.hasServerMaxWindowBits()) {
            return "RFC 7692 section 7.1.2.1: server_max_window_bits was offered but not accepted";
        }
        if (response.hasClientMaxWindowBits()) {
            if (!offer.hasClientMaxWindowBits()) {
                return "RFC 7692 section 7.1.2.2: client_max_window_bits was not offered";
            }
            if (response.clientMaxWindowBits() > offer.clientMaxWindowBits()) {
                return "RFC 7692 section 7.1.2.2: client_max_window_bits " + response.clientMaxWindowBits()
                        + " > the " + offer.clientMaxWindowBits() + " offered";
            }
        }
        return null;
    }

    /** Server side: the extension for the first acceptable offer, or empty. */
    public static Optional<Extension> acceptOffer(DeflateSettings settings, List<ExtensionParameters> offers) {
        for (ExtensionParameters offer : offers) {
            Parsed o;
            try {
                o = parse(offer, false);
            } catch (IllegalArgumentException e) {
                continue; // RFC 7692 section 5: decline an offer we cannot read, try the next one
            }
            if (o.serverNoContextTakeover() && !settings.allowNoContextTakeover() && !settings.noContextTakeover()) {
                continue;
            }
            int ourBits = Math.min(settings.maxWindowBits(), o.serverMaxWindowBits());
            if (ourBits < settings.minWindowBits()) {
                continue;
            }
            boolean ourNoContext = o.serverNoContextTakeover() || settings.noContextTakeover();
            boolean peerNoContext = o.clientNoContextTakeover() || settings.requestPeerNoContextTakeover();
            int peerBits = o.hasClientMaxWindowBits()
                    ? Math.min(o.clientMaxWindowBits(), settings.peerMaxWindowBits()) : 15;
            ExtensionParameters response = new ExtensionParameters(NAME);
            if (ourNoContext) {
                response = response.with(SERVER_NO_CONTEXT_TAKEOVER, null);
            }
            if (peerNoContext) {
                response = response.with(CLIENT_NO_CONTEXT_TAKEOVER, null);
            }
            if (o.hasServerMaxWindowBits() || ourBits < 15) {
                response = response.with(SERVER_MAX_WINDOW_BITS, Integer.toString(ourBits));
            }
            if (o.hasClientMaxWindowBits() && peerBits < 15) {
                response = response.with(CLIENT_MAX_WINDOW_BITS, Integer.toString(peerBits));
            }
            Agreement agreement = new Agreement(ourNoContext, peerNoContext, ourBits, peerBits);
            return Optional.of(new PerMessageDeflateExtension(Side.SERVER, agreement, response, settings));
        }
        return Optional.empty();
    }
}
