package ws.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Optional;

/**
 * A text message that is a JSON object or array, indented two spaces a level ({@code "key": value},
 * one member or element a line, as {@code jq} shows it). Anything else (plain text, a bare JSON
 * string or number, malformed or truncated JSON, trailing text after the value) is left as it came.
 *
 * <p>Streaming, token by token, with no tree and no recursion: numbers are copied as their text (no
 * rounding), member order and duplicate keys are kept, and the nesting depth is bounded
 * ({@value #MAX_DEPTH}; deeper documents are shown as they came).
 */
final class PrettyJson {
    /** Deeper documents are not indented: the screen is no place for them, and the bound keeps the parse cheap. */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();
    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(INDENT)
            .withArrayIndenter(INDENT);

    private PrettyJson() {
    }

    /** The message indented, or empty when it is not a JSON object or array. */
    static Optional<String> indent(String text) {
        String body = text.strip();
        if (body.isEmpty() || body.charAt(0) != '{' && body.charAt(0) != '[') {
            return Optional.empty(); // the common case of plain text costs no parse
        }
        StringWriter indented = new StringWriter(body.length() * 2);
        try (JsonParser parser = FACTORY.createParser(body); JsonGenerator generator = FACTORY.createGenerator(indented)) {
            generator.setPrettyPrinter(new DefaultPrettyPrinter(PRINTER));
            int depth = 0;
            do {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return Optional.empty(); // truncated
                }
                depth += copy(token, parser, generator);
            } while (depth > 0);
            if (parser.nextToken() != null) {
                return Optional.empty(); // more after the value: not one JSON document
            }
        } catch (IOException e) {
            return Optional.empty(); // malformed, or nested deeper than MAX_DEPTH
        }
        return Optional.of(indented.toString());
    }

    /** Writes one token; returns how it changes the nesting depth. */
    private static int copy(JsonToken token, JsonParser parser, JsonGenerator generator) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                generator.writeStartObject();
                return 1;
            }
            case START_ARRAY -> {
                generator.writeStartArray();
                return 1;
            }
            case END_OBJECT -> {
                generator.writeEndObject();
                return -1;
            }
            case END_ARRAY -> {
                generator.writeEndArray();
                return -1;
            }
            case FIELD_NAME -> generator.writeFieldName(parser.currentName());
            case VALUE_STRING -> generator.writeString(parser.getText());
            // the number exactly as written: no conversion to double and back
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> generator.writeBoolean(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> generator.writeNull();
            default -> throw new IOException("unexpected JSON token " + token);
        }
        return 0;
    }
}
