package ws.events.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of an event or of an acknowledgement, bound to Java types on demand by the client's
 * {@link ObjectMapper}: records, collections, {@code byte[]} and {@link java.nio.ByteBuffer} for
 * binary attachments, {@link JsonNode} for the raw tree. Immutable and thread-safe.
 */
public final class Arguments {
    private final List<JsonNode> nodes;
    private final ObjectMapper mapper;

    Arguments(List<JsonNode> nodes, ObjectMapper mapper) {
        this.nodes = List.copyOf(nodes);
        this.mapper = mapper;
    }

    /** How many arguments there are. */
    public int size() {
        return nodes.size();
    }

    /** Whether there are none. */
    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    /**
     * Argument {@code index} as a {@code type}.
     *
     * @throws IndexOutOfBoundsException when there are not that many arguments
     * @throws IllegalArgumentException  when the argument does not bind to the type (the cause says why)
     */
    public <T> T get(int index, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return bind(index, () -> mapper.treeToValue(node(index), type), type.getName());
    }

    /** Argument {@code index} as a generic type ({@code new TypeReference<List<Message>>() {}}). */
    public <T> T get(int index, TypeReference<T> type) {
        Objects.requireNonNull(type, "type");
        return bind(index, () -> mapper.treeToValue(node(index), mapper.getTypeFactory().constructType(type)),
                type.getType().getTypeName());
    }

    /** Argument {@code index} as the JSON tree received (binary attachments are binary nodes). */
    public JsonNode node(int index) {
        return nodes.get(index);
    }

    /** Every argument as a JSON tree. */
    public List<JsonNode> nodes() {
        return nodes;
    }

    private interface Binding<T> {
        T bind() throws Exception;
    }

    private <T> T bind(int index, Binding<T> binding, String typeName) {
        Objects.checkIndex(index, nodes.size());
        try {
            return binding.bind();
        } catch (Exception e) {
            throw new IllegalArgumentException("argument " + index + " does not bind to " + typeName + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return nodes.toString();
    }
}
