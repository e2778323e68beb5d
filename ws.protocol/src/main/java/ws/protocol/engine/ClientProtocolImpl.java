package ws.protocol.engine;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.Side;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;
import ws.protocol.extension.ExtensionFactory;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.ClientHandshake;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;

/**
 * The client engine: RFC 6455 section 4.1 (the request, queued at creation, and the checks on the
 * response), then the shared framing of {@link Connection}. Bytes that follow the response head in
 * the same read are frames and are parsed as such.
 *
 * <p>A connection that never opens ends with {@link CloseCodes#ABNORMAL_CLOSURE} in its
 * {@link ProtocolEvent.Closed}, after a {@link ProtocolEvent.Rejected} whose error is the cause.
 */
final class ClientProtocolImpl extends ClientProtocol {
    private final ProtocolConfig config;
    private final HandshakeRequest request;
    private final String key;
    private final List<String> subprotocols;
    /** The names of the extensions offered, lower-cased: the response may name only these. */
    private final Set<String> offered = new HashSet<>();
    private HttpHeadParser parser;

    ClientProtocolImpl(ProtocolConfig config, URI uri, List<String> subprotocols, HttpHeaders headers) {
        super(new Connection(Side.CLIENT, Objects.requireNonNull(config, "config")));
        this.config = config;
        this.subprotocols = List.copyOf(subprotocols);
        List<ExtensionParameters> offers = new ArrayList<>();
        for (ExtensionFactory factory : config.extensions()) {
            List<ExtensionParameters> these = factory.offers();
            if (!these.isEmpty()) {
                offers.addAll(these);
                offered.add(factory.name().toLowerCase(Locale.ROOT));
            }
        }
        this.key = ClientHandshake.newKey(config.random());
        this.request = ClientHandshake.request(uri, key, this.subprotocols, offers, headers);
        this.parser = HttpHeadParser.responses(config.limits().maxHandshakeHeaderBytes());
        connection.output().add(ByteBuffer.wrap(ClientHandshake.encode(request)));
    }

    /** Exposed for testing: an engine past the handshake, running these extensions. */
    private ClientProtocolImpl(ProtocolConfig config, List<Extension> extensions) {
        super(new Connection(Side.CLIENT, config));
        this.config = config;
        this.subprotocols = List.of();
        this.key = "";
        this.request = new HandshakeRequest("GET", "/", "HTTP/1.1", HttpHeaders.empty());
        connection.open("", extensions);
    }

    /** Exposed for testing: an engine past the handshake, running these extensions. */
    static ClientProtocolImpl opened(ProtocolConfig config, List<Extension> extensions) {
        return new ClientProtocolImpl(config, extensions);
    }

    @Override
    public HandshakeRequest request() {
        return request;
    }

    @Override
    public void receiveData(ByteBuffer data) {
        if (connection.state() != ProtocolState.CONNECTING) {
            connection.receive(data);
            return;
        }
        HandshakeResponse response = null;
        try {
            response = parser.parseResponse(data);
            if (response == null) {
                return;
            }
            parser = null;
            String subprotocol = ClientHandshake.validate(response, key, subprotocols);
            List<Extension> extensions = acceptExtensions(response);
            connection.open(subprotocol, extensions);
            connection.event(new ProtocolEvent.Opened(request, response, subprotocol, connection.extensions()));
        } catch (HandshakeException error) {
            data.position(data.limit());
            parser = null;
            connection.event(new ProtocolEvent.Rejected(error, response));
            connection.closed(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "opening handshake failed: " + error.getMessage(), error));
            return;
        }
        connection.receive(data);
    }

    /**
     * RFC 6455 section 4.1 (and 9.1): the server may agree only to extensions we offered, each at
     * most once, with parameters its factory accepts, and no two may own the same RSV bit.
     */
    private List<Extension> acceptExtensions(HandshakeResponse response) throws HandshakeException {
        List<ExtensionParameters> agreed;
        try {
            agreed = ExtensionParameters.parseAll(response.headers().all("Sec-WebSocket-Extensions"));
        } catch (IllegalArgumentException malformed) {
            throw new HandshakeException(0, "malformed Sec-WebSocket-Extensions in the response: " + malformed.getMessage(), malformed);
        }
        List<Extension> extensions = new ArrayList<>(agreed.size());
        Set<String> seen = new HashSet<>();
        int rsv = 0;
        try {
            for (ExtensionParameters parameters : agreed) {
                String name = parameters.name().toLowerCase(Locale.ROOT);
                if (!offered.contains(name)) {
                    throw new HandshakeException(0, "the server agreed to extension " + parameters.name() + ", which was not offered");
                }
                if (!seen.add(name)) {
                    throw new HandshakeException(0, "the server agreed to extension " + parameters.name() + " more than once");
                }
                Extension extension = factory(name).acceptResponse(parameters);
                extensions.add(extension);
                if ((extension.rsvBits() & rsv) != 0) {
                    throw new HandshakeException(0, "extension " + parameters.name() + " wants RSV bits 0x"
                            + Integer.toHexString(extension.rsvBits()) + " that another agreed extension owns");
                }
                rsv |= extension.rsvBits();
            }
        } catch (ExtensionException refused) {
            extensions.forEach(Extension::close);
            throw new HandshakeException(0, "the server's extension response was refused: " + refused.getMessage(), refused);
        } catch (HandshakeException | RuntimeException e) {
            extensions.forEach(Extension::close);
            throw e;
        }
        return extensions;
    }

    private ExtensionFactory factory(String lowerCaseName) {
        for (ExtensionFactory factory : config.extensions()) {
            if (factory.name().equalsIgnoreCase(lowerCaseName)) {
                return factory;
            }
        }
        throw new IllegalStateException("no factory for offered extension " + lowerCaseName);
    }

    @Override
    public void receiveEof() {
        if (connection.state() == ProtocolState.CONNECTING) {
            parser = null;
            String ended = "connection ended before the opening handshake response";
            // the cause says it was the network, not an answer: a reconnecting client tries again
            HandshakeException error = new HandshakeException(0, ended, new java.io.EOFException(ended));
            connection.event(new ProtocolEvent.Rejected(error, null));
            connection.closed(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, error.getMessage(), error));
            return;
        }
        connection.receiveEof();
    }

    @Override
    public Side side() {
        return Side.CLIENT;
    }

    @Override
    public void fail(int code, String reason, Throwable cause) {
        connection.fail(code, reason, cause);
        parser = null;
    }

    @Override
    public String toString() {
        return "ClientProtocol[" + connection.state() + "]";
    }
}
