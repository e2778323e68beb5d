package ws.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of an event or an acknowledgement, bound on demand to Java types by the server's
 * ObjectMapper. Binary attachments bind to {@code byte[]} or {@link java.nio.ByteBuffer}, wherever
 * they are (a record's {@code byte[]} component included).
 */
public final class Arguments {
    private final List<JsonNode> values;
    private final ObjectMapper mapper;

    Arguments(List<JsonNode> values, ObjectMapper mapper) {
        this.values = List.copyOf(values);
        this.mapper = mapper;
    }

    /**
     * The elements of {@code array} from index {@code from} on (1 for an event's array, after its name),
     * bound by {@code mapper}: what the server and the client of this module hand to handlers, and what a
     * test of a handler can build.
     */
    public static Arguments of(ArrayNode array, int from, ObjectMapper mapper) {
        List<JsonNode> values = new ArrayList<>(Math.max(0, array.size() - from));
        for (int i = from; i < array.size(); i++) {
            values.add(array.get(i));
        }
        return new Arguments(values, mapper);
    }

    /** How many there are. */
    public int size() {
        return values.size();
    }

    /** Argument {@code index} as a JSON tree ({@code NullNode} when absent; binary as a {@code BinaryNode}). */
    public JsonNode get(int index) {
        return index < values.size() ? values.get(index) : NullNode.getInstance();
    }

    /**
     * Argument {@code index} bound to {@code type}; {@code null} when absent or JSON null.
     *
     * @throws IllegalArgumentException when it does not fit the type (the message says which argument and why)
     */
    public <T> T get(int index, Class<T> type) {
        try {
            return mapper.treeToValue(get(index), type);
        } catch (Exception e) {
            throw new IllegalArgumentException("argument " + index + " is not a " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Argument {@code index} bound to a generic type ({@code new TypeReference<List<Item>>() {}}). */
    public <T> T get(int index, TypeReference<T> type) {
        try {
            return mapper.treeToValue(get(index), mapper.getTypeFactory().constructType(type));
        } catch (Exception e) {
            throw new IllegalArgumentException("argument " + index + " is not a " + type.getType() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * All arguments bound to one record, by position: component {@code i} from argument {@code i}
     * ({@code socket.emit("move", x, y, label)} to {@code record Move(int x, int y, String label)}).
     */
    public <R extends Record> R as(Class<R> recordType) {
        RecordComponent[] components = recordType.getRecordComponents();
        Object[] bound = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            try {
                bound[i] = mapper.treeToValue(get(i), mapper.getTypeFactory().constructType(components[i].getGenericType()));
            } catch (Exception e) {
                throw new IllegalArgumentException("argument " + i + " (" + components[i].getName() + ") is not a "
                        + components[i].getGenericType().getTypeName() + ": " + e.getMessage(), e);
            }
            if (bound[i] == null && types[i].isPrimitive()) {
                throw new IllegalArgumentException("argument " + i + " (" + components[i].getName() + ") is missing");
            }
        }
        try {
            var constructor = recordType.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(bound);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalArgumentException("the arguments do not make a " + recordType.getSimpleName() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot make a " + recordType.getSimpleName()
                    + " (open its package to ws.events?): " + e.getMessage(), e);
        }
    }

    /** The arguments as JSON trees. */
    public List<JsonNode> values() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
