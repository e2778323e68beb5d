package ws.protocol.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.Side;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionFactory;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.ServerHandshake;

/**
 * The server engine: RFC 6455 section 4.2 (reading and answering the opening request), then the
 * shared framing of {@link Connection}.
 *
 * <p>A connection that never opens (an invalid request, a rejection, a plain HTTP request) ends with
 * {@link CloseCodes#ABNORMAL_CLOSURE} in its {@link ProtocolEvent.Closed}, the handshake error, if any,
 * as the cause.
 */
final class ServerProtocolImpl extends ServerProtocol {
    private HttpHeadParser parser;
    /** The upgrade request waiting for accept or reject. */
    private HandshakeRequest pending;
    /** The plain HTTP request waiting for respond. */
    private HandshakeRequest plain;
    /** Bytes that arrived after the request head, before the decision; replayed as frames on accept. */
    private ByteBuffer early;

    ServerProtocolImpl(ProtocolConfig config) {
        super(new Connection(Side.SERVER, Objects.requireNonNull(config, "config")));
        this.parser = HttpHeadParser.requests(connection.config().limits().maxHandshakeHeaderBytes());
    }

    /** An engine whose request head the transport already read and parsed: see {@link ServerProtocol#create(ProtocolConfig, HandshakeRequest)}. */
    ServerProtocolImpl(ProtocolConfig config, HandshakeRequest request) {
        super(new Connection(Side.SERVER, Objects.requireNonNull(config, "config")));
        this.parser = null;
        headRead(Objects.requireNonNull(request, "request"));
    }

    /** Exposed for testing: an engine past the handshake, running these extensions. */
    static ServerProtocolImpl opened(ProtocolConfig config, List<Extension> extensions) {
        ServerProtocolImpl engine = new ServerProtocolImpl(config);
        engine.parser = null;
        engine.connection.open("", extensions);
        return engine;
    }

    @Override
    public void receiveData(ByteBuffer data) {
        if (connection.state() != ProtocolState.CONNECTING) {
            connection.receive(data);
            return;
        }
        if (parser == null) {
            keepEarly(data);
            return;
        }
        HandshakeRequest request;
        try {
            request = parser.parseRequest(data);
        } catch (HandshakeException malformed) {
            data.position(data.limit());
            refuse(malformed);
            return;
        }
        if (request == null) {
            return;
        }
        parser = null;
        if (headRead(request)) {
            keepEarly(data);
        } else {
            data.position(data.limit()); // a refused request's or a plain request's body is not ours to read
        }
    }

    /**
     * A whole request head: a plain HTTP request is reported as one; an upgrade request is validated
     * (RFC 6455 section 4.2.1) and waits for the decision, or is refused. Whether it waits.
     */
    private boolean headRead(HandshakeRequest request) {
        if (!ServerHandshake.isUpgradeRequest(request)) {
            plain = request;
            connection.event(new ProtocolEvent.HttpRequestReceived(request));
            return false;
        }
        try {
            ServerHandshake.validate(request);
        } catch (HandshakeException invalid) {
            refuse(invalid);
            return false;
        }
        pending = request;
        connection.event(new ProtocolEvent.RequestReceived(request));
        return true;
    }

    private void keepEarly(ByteBuffer data) {
        if (!data.hasRemaining() || connection.state() != ProtocolState.CONNECTING) {
            data.position(data.limit());
            return;
        }
        if (plain != null) {
            data.position(data.limit());
            return;
        }
        int held = early == null ? 0 : early.position();
        int limit = connection.config().limits().maxHandshakeHeaderBytes();
        if (held + data.remaining() > limit) {
            data.position(data.limit());
            pending = null;
            refuse(new HandshakeException(400, "more than " + limit + " bytes sent before the handshake response"));
            return;
        }
        if (early == null || early.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(limit, Math.max(256, 2 * (held + data.remaining()))));
            if (early != null) {
                bigger.put(early.flip());
            }
            early = bigger;
        }
        early.put(data);
    }

    /** An invalid request: the error response, {@link ProtocolEvent.Rejected}, the end. */
    private void refuse(HandshakeException error) {
        HandshakeResponse response = ServerHandshake.errorResponse(error);
        connection.output().add(ByteBuffer.wrap(ServerHandshake.encode(response)));
        connection.event(new ProtocolEvent.Rejected(error, response));
        connection.closed(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "opening handshake failed: " + error.getMessage(), error));
    }

    @Override
    public void accept(String subprotocol, HttpHeaders headers) {
        if (pending == null) {
            throw new IllegalStateException("no upgrade request waits for a decision (state " + state() + ")");
        }
        Objects.requireNonNull(subprotocol, "subprotocol");
        Objects.requireNonNull(headers, "headers");
        HandshakeRequest request = pending;
        if (!subprotocol.isEmpty() && !request.subprotocols().contains(subprotocol)) {
            throw new IllegalArgumentException("subprotocol \"" + subprotocol + "\" was not offered (offered: "
                    + request.subprotocols() + ")");
        }
        List<Extension> extensions = negotiate(request);
        HandshakeResponse response;
        try {
            List<ExtensionParameters> agreed = new ArrayList<>(extensions.size());
            for (Extension extension : extensions) {
                agreed.add(extension.parameters());
            }
            response = ServerHandshake.accept(request, subprotocol, agreed, headers);
        } catch (RuntimeException e) {
            extensions.forEach(Extension::close);
            throw e;
        }
        pending = null;
        connection.output().add(ByteBuffer.wrap(ServerHandshake.encode(response)));
        connection.open(subprotocol, extensions);
        connection.event(new ProtocolEvent.Opened(request, response, subprotocol, connection.extensions()));
        if (early != null) {
            ByteBuffer frames = early.flip();
            early = null;
            connection.receive(frames);
        }
    }

    /**
     * RFC 6455 section 9.1: the client's offers grouped by extension name, in the order the client
     * named them; each group goes to the configured factory of that name, which picks the first offer
     * it can accept, or none. An extension whose RSV bits another accepted extension already owns is
     * declined. The response lists the accepted ones in the client's order.
     */
    private List<Extension> negotiate(HandshakeRequest request) {
        if (connection.config().extensions().isEmpty()) {
            return List.of();
        }
        List<ExtensionParameters> offers;
        try {
            offers = request.extensions();
        } catch (IllegalArgumentException malformed) {
            return List.of(); // validate() rejects a malformed header; nothing to agree on anyway
        }
        Map<String, List<ExtensionParameters>> byName = new LinkedHashMap<>();
        for (ExtensionParameters offer : offers) {
            byName.computeIfAbsent(offer.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(offer);
        }
        List<Extension> accepted = new ArrayList<>();
        int rsv = 0;
        for (Map.Entry<String, List<ExtensionParameters>> group : byName.entrySet()) {
            for (ExtensionFactory factory : connection.config().extensions()) {
                if (!factory.name().equalsIgnoreCase(group.getKey())) {
                    continue;
                }
                Optional<Extension> extension = factory.acceptOffer(List.copyOf(group.getValue()));
                if (extension.isPresent()) {
                    if ((extension.get().rsvBits() & rsv) != 0) {
                        extension.get().close();
                    } else {
                        accepted.add(extension.get());
                        rsv |= extension.get().rsvBits();
                    }
                }
                break;
            }
        }
        return accepted;
    }

    @Override
    public void reject(HandshakeResponse response) {
        if (pending == null) {
            throw new IllegalStateException("no upgrade request waits for a decision (state " + state() + ")");
        }
        HandshakeResponse closing = withConnectionClose(response);
        pending = null;
        early = null;
        HandshakeException error = new HandshakeException(response.status(),
                "rejected with " + response.status() + " " + response.reason());
        connection.output().add(ByteBuffer.wrap(ServerHandshake.encode(closing)));
        connection.event(new ProtocolEvent.Rejected(error, closing));
        connection.closed(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, error.getMessage(), error));
    }

    @Override
    public void respond(HandshakeResponse response) {
        if (plain == null) {
            throw new IllegalStateException("no plain HTTP request waits for a response (state " + state() + ")");
        }
        HandshakeResponse closing = withConnectionClose(response);
        plain = null;
        connection.output().add(ByteBuffer.wrap(ServerHandshake.encode(closing)));
        connection.closed(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "answered a plain HTTP request with "
                + response.status()));
    }

    private static HandshakeResponse withConnectionClose(HandshakeResponse response) {
        HttpHeaders headers = response.headers().toBuilder().set("Connection", "close").build();
        return new HandshakeResponse(response.status(), response.reason(), headers, response.body());
    }

    @Override
    public void receiveEof() {
        if (connection.state() == ProtocolState.CONNECTING) {
            pending = null;
            plain = null;
            early = null;
            connection.closed(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "connection ended during the opening handshake"));
            return;
        }
        connection.receiveEof();
    }

    @Override
    public Side side() {
        return Side.SERVER;
    }

    @Override
    public void fail(int code, String reason, Throwable cause) {
        connection.fail(code, reason, cause);
        pending = null;
        plain = null;
        early = null;
    }

    @Override
    public String toString() {
        return "ServerProtocol[" + connection.state() + "]";
    }
}
