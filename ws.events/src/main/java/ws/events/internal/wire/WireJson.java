package ws.events.internal.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.ByteBuffer;
import java.util.Objects;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
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
    /** Bound to JsonNode once: a mapper's readTree and writeValueAsString resolve the type on every call. */
    private static final ObjectWriter WRITER = JsonMapper.builder().build().writerFor(JsonNode.class);
    private static final ConcurrentHashMap<Integer, ObjectReader> READERS = new ConcurrentHashMap<>();

    private WireJson() {
    }

    /** Parses JSON text with at most {@code maxNestingDepth} levels of arrays and objects. */
    public static JsonNode read(String text, int maxNestingDepth) {
        ObjectReader reader = READERS.computeIfAbsent(maxNestingDepth, WireJson::reader);
        try {
            return reader.readTree(text);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof WireFormatException refused) {
                throw refused;
            }
            throw new WireFormatException("invalid JSON payload: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Arguments as a JSON array, the way both sides emit them: JSON trees as they are, {@code byte[]}
     * and {@link java.nio.ByteBuffer} (from position to limit) as binary nodes (attachments on the
     * wire), anything else through {@code mapper} (a record, a map, a list, a string...).
     *
     * @throws IllegalArgumentException when the mapper cannot write a value
     */
    public static ArrayNode arguments(ObjectMapper mapper, Object[] values) {
        return append(NODES.arrayNode(values.length), mapper, values);
    }

    /**
     * An event's data as both sides emit it: {@code [event, args...]}, the arguments as
     * {@link #arguments} writes them.
     *
     * @throws IllegalArgumentException when {@code event} is reserved (connect, disconnect,
     *                                  connect_error...) or the mapper cannot write a value
     */
    public static ArrayNode event(ObjectMapper mapper, String event, Object[] args) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(args, "args");
        if (SocketPacketDecoder.RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
        return append(NODES.arrayNode(args.length + 1).add(event), mapper, args);
    }

    private static ArrayNode append(ArrayNode data, ObjectMapper mapper, Object[] values) {
        for (Object value : values) {
            data.add(tree(mapper, value));
        }
        return data;
    }

    private static JsonNode tree(ObjectMapper mapper, Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof byte[] bytes) {
            return NODES.binaryNode(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return NODES.binaryNode(bytes);
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot write an argument of type " + value.getClass().getName()
                    + ": " + e.getMessage(), e);
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

    private static ObjectReader reader(int maxNestingDepth) {
        JsonMapper mapper = JsonMapper.builder()
                .nodeFactory(FiniteNumbers.INSTANCE)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxNumberLength(400)
                .build());
        return mapper.readerFor(JsonNode.class);
    }

    /**
     * Refuses a number beyond a double's range ({@code 1e400}): it would read as infinity, which JSON
     * cannot carry, so the packet relayed to others (a broadcast, the Redis adapter) would hold the
     * string {@code "Infinity"} instead (JavaScript's {@code JSON.stringify} writes {@code null}).
     * No JSON encoder writes such a number; a peer that sends one gets a parse error.
     */
    private static final class FiniteNumbers extends JsonNodeFactory {
        private static final long serialVersionUID = 1;
        static final FiniteNumbers INSTANCE = new FiniteNumbers();

        @Override
        public com.fasterxml.jackson.databind.node.NumericNode numberNode(double value) {
            return super.numberNode(finite(value));
        }

        @Override
        public com.fasterxml.jackson.databind.node.NumericNode numberNode(float value) {
            return super.numberNode((float) finite(value));
        }

        @Override
        public com.fasterxml.jackson.databind.node.ValueNode numberNode(Double value) {
            return super.numberNode(value == null ? null : finite(value));
        }

        @Override
        public com.fasterxml.jackson.databind.node.ValueNode numberNode(Float value) {
            return super.numberNode(value == null ? null : (float) finite(value));
        }

        private static double finite(double value) {
            if (Double.isInfinite(value) || Double.isNaN(value)) {
                throw new WireFormatException("a number beyond the range of a double: not representable in JSON");
            }
            return value;
        }
    }
}
