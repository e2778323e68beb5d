package ws.events.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * JSON trees to MessagePack and back, as the npm adapters' encoder (notepack.io) writes it: maps,
 * arrays, strings, integers, float64, booleans, nil, and binary data as {@code bin} (Jackson's
 * {@code BinaryNode}). Extension types (notepack's {@code undefined} and dates) read as null. Reading
 * is bounded in nesting depth; the sizes are bounded by the message itself.
 */
public final class MsgPack {
    /** The deepest nesting read. */
    public static final int MAX_DEPTH = 64;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MsgPack() {
    }

    /** Encodes a tree. */
    public static byte[] encode(JsonNode node) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            write(packer, node);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(MessageBufferPacker packer, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                packer.packMapHeader(node.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    packer.packString(field.getKey());
                    write(packer, field.getValue());
                }
            }
            case ARRAY -> {
                packer.packArrayHeader(node.size());
                for (JsonNode element : node) {
                    write(packer, element);
                }
            }
            case STRING -> packer.packString(node.textValue());
            case BOOLEAN -> packer.packBoolean(node.booleanValue());
            case BINARY -> {
                byte[] bytes = node.binaryValue();
                packer.packBinaryHeader(bytes.length);
                packer.writePayload(bytes);
            }
            case NUMBER -> {
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    packer.packLong(node.longValue());
                } else if (node.isBigInteger()) {
                    packer.packBigInteger(node.bigIntegerValue());
                } else {
                    packer.packDouble(node.doubleValue());
                }
            }
            default -> packer.packNil(); // NULL, MISSING
        }
    }

    /**
     * Decodes one value.
     *
     * @throws IllegalArgumentException when the bytes are not one MessagePack value within bounds
     */
    public static JsonNode decode(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            JsonNode node = read(unpacker, 0);
            if (unpacker.hasNext()) {
                throw new IllegalArgumentException("bytes after the MessagePack value");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException("not MessagePack: " + e.getMessage(), e);
        }
    }

    private static JsonNode read(MessageUnpacker unpacker, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("MessagePack nested deeper than " + MAX_DEPTH);
        }
        MessageFormat format = unpacker.getNextFormat();
        ValueType type = format.getValueType();
        switch (type) {
            case NIL -> {
                unpacker.unpackNil();
                return NODES.nullNode();
            }
            case BOOLEAN -> {
                return NODES.booleanNode(unpacker.unpackBoolean());
            }
            case INTEGER -> {
                if (format == MessageFormat.UINT64) {
                    return NODES.numberNode(unpacker.unpackBigInteger());
                }
                return NODES.numberNode(unpacker.unpackLong());
            }
            case FLOAT -> {
                return NODES.numberNode(unpacker.unpackDouble());
            }
            case STRING -> {
                return NODES.textNode(unpacker.unpackString());
            }
            case BINARY -> {
                return NODES.binaryNode(unpacker.readPayload(unpacker.unpackBinaryHeader()));
            }
            case ARRAY -> {
                int size = unpacker.unpackArrayHeader();
                ArrayNode array = NODES.arrayNode();
                for (int i = 0; i < size; i++) {
                    array.add(read(unpacker, depth + 1));
                }
                return array;
            }
            case MAP -> {
                int size = unpacker.unpackMapHeader();
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < size; i++) {
                    JsonNode key = read(unpacker, depth + 1);
                    object.set(key.isTextual() ? key.textValue() : key.toString(), read(unpacker, depth + 1));
                }
                return object;
            }
            case EXTENSION -> {
                unpacker.readPayload(unpacker.unpackExtensionTypeHeader().getLength());
                return NODES.nullNode();
            }
            default -> throw new IllegalArgumentException("unknown MessagePack type " + type);
        }
    }
}
