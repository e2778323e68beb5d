package ws.events.internal.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON text to and from trees, for the wire only (binding to application types is the user's
 * mapper's job). Reading is bounded: nesting depth and number length are limited by the parser
 * itself, before any tree is built, so hostile input cannot overflow a stack; trailing tokens are
 * an error, as in {@code JSON.parse}.
 */
public final class WireJson {
    /** Builds the nodes of every tree the wire makes. */
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper WRITER = JsonMapper.builder().build();
    private static final ConcurrentHashMap<Integer, ObjectMapper> READERS = new ConcurrentHashMap<>();

    private WireJson() {
    }

    /** Parses JSON text with at most {@code maxNestingDepth} levels of arrays and objects. */
    public static JsonNode read(String text, int maxNestingDepth) {
        ObjectMapper reader = READERS.computeIfAbsent(maxNestingDepth, WireJson::reader);
        try {
            return reader.readTree(text);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("invalid JSON payload: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes a tree (with no binary nodes left in it) as JSON text. */
    public static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static ObjectMapper reader(int maxNestingDepth) {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxNumberLength(400)
                .build());
        return mapper;
    }
}
