package ws.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.extension.ExtensionParameters;

/**
 * {@code ws connect --json}: every event of the connection as one JSON object on one line of
 * standard output, for scripts ({@code jq}, a log). The field names are stable (docs/tooling.md):
 * <pre>
 * {"event":"open","url":"ws://h/p","subprotocol":null,"extensions":["permessage-deflate"]}
 * {"event":"message","type":"text","data":"hello"}
 * {"event":"message","type":"binary","data":"AQID"}          (base64)
 * {"event":"ping","data":""}   {"event":"pong","data":"aGk="}  (payload in base64)
 * {"event":"error","message":"cannot connect to ws://h/p: connection refused"}
 * {"event":"close","code":1000,"reason":"","error":null}
 * {"event":"reconnecting","attempt":1,"delayMillis":730,"cause":"connection refused"}   (--reconnect)
 * {"event":"reconnected","url":"ws://h/p","attempts":1}   {"event":"gave-up","attempts":5}
 * </pre>
 * Text is written as it came: no indentation, no colour; standard error stays silent.
 */
final class JsonReport implements Report {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Screen screen;

    JsonReport(Screen screen) {
        this.screen = screen;
    }

    /** Writes the fields of one event line; the {@code "event"} field is written first. */
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private void line(String event, Fields fields) {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("event", event);
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        screen.out(line.toString());
    }

    @Override
    public void connected(URI uri, WebSocket webSocket, String mode) {
        line("open", json -> {
            json.writeStringField("url", uri.toString());
            json.writeStringField("subprotocol", webSocket.subprotocol().isEmpty() ? null : webSocket.subprotocol());
            json.writeArrayFieldStart("extensions");
            for (ExtensionParameters extension : webSocket.extensions()) {
                json.writeString(extension.format());
            }
            json.writeEndArray();
        });
    }

    @Override
    public void cannotConnect(URI uri, String why) {
        error("cannot connect to " + uri + ": " + why);
    }

    @Override
    public void text(String text) {
        line("message", json -> {
            json.writeStringField("type", "text");
            json.writeStringField("data", text);
        });
    }

    @Override
    public void binary(ByteBuffer data) {
        line("message", json -> {
            json.writeStringField("type", "binary");
            json.writeStringField("data", base64(data));
        });
    }

    @Override
    public void ping(ByteBuffer payload) {
        line("ping", json -> json.writeStringField("data", base64(payload)));
    }

    @Override
    public void pong(ByteBuffer payload) {
        line("pong", json -> json.writeStringField("data", base64(payload)));
    }

    @Override
    public void error(String message) {
        line("error", json -> json.writeStringField("message", message));
    }

    @Override
    public void closed(CloseStatus status) {
        line("close", json -> {
            json.writeNumberField("code", status.code());
            json.writeStringField("reason", status.reason());
            json.writeStringField("error", status.cause() == null ? null : Errors.describe(status.cause()));
        });
    }

    /** Base64 of the remaining bytes; the buffer's position does not move. */
    private static String base64(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void reconnecting(int attempt, Duration delay, String cause) {
        line("reconnecting", json -> {
            json.writeNumberField("attempt", attempt);
            json.writeNumberField("delayMillis", delay.toMillis());
            json.writeStringField("cause", cause);
        });
    }

    @Override
    public void reconnected(URI uri, int attempts) {
        line("reconnected", json -> {
            json.writeStringField("url", uri.toString());
            json.writeNumberField("attempts", attempts);
        });
    }

    @Override
    public void gaveUp(int attempts) {
        line("gave-up", json -> json.writeNumberField("attempts", attempts));
    }
}
