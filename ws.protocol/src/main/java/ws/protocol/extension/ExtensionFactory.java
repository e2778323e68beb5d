package ws.protocol.extension;

import java.util.List;
import java.util.Optional;

/**
 * Negotiates one extension (RFC 6455 section 9.1) and makes the per-connection {@link Extension}
 * that was agreed. Implementations are immutable and thread-safe; they are shared by all connections
 * of a server or client.
 */
public interface ExtensionFactory {

    /** The extension token, as in the header: {@code "permessage-deflate"}. */
    String name();

    /**
     * Client side: the offers to send in {@code Sec-WebSocket-Extensions}, most preferred first.
     * Each has {@link #name()} as its name.
     */
    List<ExtensionParameters> offers();

    /**
     * Client side: the server accepted one of our offers with these parameters. Returns the
     * extension to run, or throws when the response is not one we could have asked for (the client
     * then fails the connection, RFC 6455 section 4.1).
     */
    Extension acceptResponse(ExtensionParameters response) throws ExtensionException;

    /**
     * Server side: the client's offers for this extension, in the client's order. Returns the
     * extension to run for the first acceptable offer, or empty to decline them all. Offers with
     * unknown, duplicate or invalid parameters are declined, never answered with an error.
     */
    Optional<Extension> acceptOffer(List<ExtensionParameters> offers);
}
