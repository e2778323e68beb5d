package ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import ws.protocol.engine.ClientProtocol;
import ws.protocol.engine.Protocol;
import ws.protocol.engine.ProtocolEvent;
import ws.protocol.engine.ProtocolState;
import ws.protocol.engine.ServerProtocol;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.handshake.ClientHandshake;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.ServerHandshake;

/**
 * The opening handshake (RFC 6455 section 4; HTTP/1.1 heads per RFC 9112): {@link HttpHeadParser} on
 * requests and responses, the server's and the client's validation, and the engines around them.
 *
 * <p>Whatever arrives: the parser throws nothing but a {@link HandshakeException} with a status the
 * server can answer, and gives the same result whole or in pieces; an error response encodes and
 * parses back to its status; a request that passes validation is accepted with a 101 that the client's
 * validation takes; a request re-encoded parses back equal; the engines never throw and end with one
 * Closed. Byte 0 of an input gives the piece size (bits 0-5, plus one); the rest is the head.
 */
class HandshakeFuzzTest {
    private static final int MAX_HEAD = 4096;
    private static final Set<Integer> REQUEST_STATUSES = Set.of(400, 405, 414, 426, 431, 505);
    private static final PerMessageDeflate DEFLATE = new PerMessageDeflate();

    @FuzzTest
    void request(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int chunk = 1 + (data[0] & 0x3F);
        byte[] input = Arrays.copyOfRange(data, 1, data.length);

        Object whole = parseRequest(input, input.length, MAX_HEAD);
        Object pieces = parseRequest(input, chunk, MAX_HEAD);
        if (!Objects.equals(whole, pieces)) {
            throw new AssertionError("whole: " + whole + "\npieces of " + chunk + ": " + pieces);
        }
        if (whole instanceof Integer status) {
            check(REQUEST_STATUSES.contains(status), "unexpected parser status " + status);
        } else if (whole instanceof HandshakeRequest request) {
            checkRequest(request);
        }
        runServer(input);
    }

    /** The parser's request, its failure status, or null when the head is incomplete. */
    private static Object parseRequest(byte[] input, int chunk, int maxHead) {
        HttpHeadParser parser = HttpHeadParser.requests(maxHead);
        return inPieces(input, chunk, parser::parseRequest);
    }

    /** One call of a head parser on a piece of input. */
    private interface Step {
        Object parse(ByteBuffer piece) throws HandshakeException;
    }

    /** Feeds {@code input} to {@code step} in pieces: the head it returns, the failure's status, or null. */
    private static Object inPieces(byte[] input, int chunk, Step step) {
        try {
            for (int at = 0; at < input.length; at += chunk) {
                ByteBuffer piece = ByteBuffer.wrap(input, at, Math.min(chunk, input.length - at));
                Object head = step.parse(piece);
                if (head != null) {
                    return head;
                }
                check(!piece.hasRemaining(), "parser returned null with bytes left");
            }
            return null;
        } catch (HandshakeException e) {
            return e.status();
        }
    }

    private static void checkRequest(HandshakeRequest request) {
        reencode(request);
        try {
            ServerHandshake.validate(request);
        } catch (HandshakeException e) {
            check(REQUEST_STATUSES.contains(e.status()), "unexpected validation status " + e.status() + ": " + e.getMessage());
            HandshakeResponse error = ServerHandshake.errorResponse(e);
            HandshakeResponse parsed = parseResponse(ServerHandshake.encode(error));
            check(parsed != null && parsed.status() == e.status(), "error response did not parse back: " + parsed);
            return;
        }
        String key = request.headers().first("Sec-WebSocket-Key").orElseThrow();
        String subprotocol = ServerHandshake.chooseSubprotocol(request.subprotocols(), request.subprotocols());
        List<ExtensionParameters> agreed = new ArrayList<>();
        DEFLATE.acceptOffer(request.extensions()).ifPresent(extension -> {
            agreed.add(extension.parameters());
            extension.close();
        });
        HandshakeResponse accept = ServerHandshake.accept(request, subprotocol, agreed, HttpHeaders.empty());
        HandshakeResponse parsed = parseResponse(ServerHandshake.encode(accept));
        try {
            String chosen = ClientHandshake.validate(Objects.requireNonNull(parsed), key, request.subprotocols());
            check(chosen.equals(subprotocol), "client saw subprotocol " + chosen + ", server chose " + subprotocol);
        } catch (HandshakeException e) {
            throw new AssertionError("the client refuses the server's own 101: " + e.getMessage(), e);
        }
        if (!agreed.isEmpty()) {
            try {
                DEFLATE.acceptResponse(ExtensionParameters.parseAll(parsed.headers().all("Sec-WebSocket-Extensions")).get(0)).close();
            } catch (ws.protocol.extension.ExtensionException e) {
                throw new AssertionError("the client refuses the agreement the server made: " + e.getMessage(), e);
            }
        }
    }

    /** A request that the client side can encode parses back equal. */
    private static void reencode(HandshakeRequest request) {
        byte[] encoded;
        try {
            encoded = ClientHandshake.encode(request);
        } catch (IllegalArgumentException refused) {
            return;
        }
        // The encoding may be longer than what was parsed ("Name:value" gains a space): no size limit here.
        Object back = parseRequest(encoded, encoded.length, Math.max(MAX_HEAD, encoded.length));
        check(request.equals(back), "re-encoded request parsed back as " + back + "\nwas " + request);
    }

    private static HandshakeResponse parseResponse(byte[] input) {
        try {
            return HttpHeadParser.responses(64 * 1024).parseResponse(ByteBuffer.wrap(input));
        } catch (HandshakeException e) {
            throw new AssertionError("our own response does not parse: " + e.getMessage(), e);
        }
    }

    /** A server engine fed the bytes, accepting what it is asked to accept. */
    private static void runServer(byte[] input) {
        ServerProtocol server = ServerProtocol.create(Peers.config(true));
        List<ProtocolEvent> events = new ArrayList<>();
        server.receiveData(ByteBuffer.wrap(input));
        for (ProtocolEvent event : server.events()) {
            events.add(event);
            if (event instanceof ProtocolEvent.RequestReceived) {
                server.accept("", HttpHeaders.empty());
            } else if (event instanceof ProtocolEvent.HttpRequestReceived) {
                server.respond(HandshakeResponse.text(404, "no page here\n"));
            }
        }
        events.addAll(server.events());
        server.dataToSend();
        server.receiveEof();
        events.addAll(server.events());
        server.dataToSend();
        endsClosed(server, events);
    }

    @FuzzTest
    void response(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int chunk = 1 + (data[0] & 0x3F);
        byte[] input = Arrays.copyOfRange(data, 1, data.length);
        ClientProtocol client = ClientProtocol.create(Peers.config(true), URI.create("ws://server.example.com/chat"),
                List.of("chat", "superchat"), HttpHeaders.empty());
        client.dataToSend();
        String key = client.request().headers().first("Sec-WebSocket-Key").orElseThrow();

        Object whole = parseResponse(input, input.length);
        Object pieces = parseResponse(input, chunk);
        check(Objects.equals(whole, pieces), "whole: " + whole + "\npieces of " + chunk + ": " + pieces);
        if (whole instanceof HandshakeResponse response) {
            try {
                String subprotocol = ClientHandshake.validate(response, key, List.of("chat", "superchat"));
                check(subprotocol.isEmpty() || List.of("chat", "superchat").contains(subprotocol), "subprotocol " + subprotocol);
            } catch (HandshakeException expected) {
                // a refusal, with the rule it broke
            }
        }
        List<ProtocolEvent> events = new ArrayList<>();
        client.receiveData(ByteBuffer.wrap(input));
        events.addAll(client.events());
        client.dataToSend();
        client.receiveEof();
        events.addAll(client.events());
        client.dataToSend();
        endsClosed(client, events);
    }

    private static Object parseResponse(byte[] input, int chunk) {
        HttpHeadParser parser = HttpHeadParser.responses(MAX_HEAD);
        Object result = inPieces(input, chunk, parser::parseResponse);
        check(!(result instanceof Integer status) || status == 0, "a response parser reports status 0, got " + result);
        return result;
    }

    private static void endsClosed(Protocol engine, List<ProtocolEvent> events) {
        check(engine.state() == ProtocolState.CLOSED, "not CLOSED after the end of input: " + engine.state() + " " + events);
        long closed = events.stream().filter(ProtocolEvent.Closed.class::isInstance).count();
        check(closed == 1 && events.get(events.size() - 1) instanceof ProtocolEvent.Closed, "not exactly one Closed, last: " + events);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
