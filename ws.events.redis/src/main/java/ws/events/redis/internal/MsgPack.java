package ws.events.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
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

    /**
     * The elements of an array encoded once, written where a tree holds its {@link #node()}: as the
     * array itself, or (by {@link #plus}) with one more string after its elements. A broadcast's
     * event goes to Redis twice when it is logged for recovery (in the pub/sub message, and with its
     * offset appended in the stream): its arguments are encoded once for both.
     */
    public static final class EncodedArray {
        private final int size;
        private final byte[] elements;
        private final String last;

        private EncodedArray(int size, byte[] elements, String last) {
            this.size = size;
            this.elements = elements;
            this.last = last;
        }

        /** Encodes the elements of {@code array}. */
        public static EncodedArray of(ArrayNode array) {
            try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
                for (JsonNode element : array) {
                    write(packer, element);
                }
                return new EncodedArray(array.size(), packer.toByteArray(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The same elements, then {@code string}. */
        public EncodedArray plus(String string) {
            return new EncodedArray(size, elements, string);
        }

        /** A node of a tree, written by {@link MsgPack#encode} as this array. */
        public JsonNode node() {
            return NODES.pojoNode(this);
        }

        private void writeTo(MessagePacker packer) throws IOException {
            packer.packArrayHeader(last == null ? size : size + 1);
            packer.writePayload(elements);
            if (last != null) {
                packer.packString(last);
            }
        }
    }

    /**
     * The sender's uid of an adapter message, read from its start without decoding the rest: the
     * first element of a broadcast array {@code [uid, ...]}, or the {@code uid} entry of a message
     * map (the other entries skipped, not decoded). Null when the bytes do not say (JSON, another
     * shape, malformed): the caller then decodes the whole message.
     */
    public static String senderUid(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            if (!unpacker.hasNext()) {
                return null;
            }
            ValueType type = unpacker.getNextFormat().getValueType();
            if (type == ValueType.ARRAY) {
                return unpacker.unpackArrayHeader() > 0 && unpacker.getNextFormat().getValueType() == ValueType.STRING
                        ? unpacker.unpackString() : null;
            }
            if (type != ValueType.MAP) {
                return null;
            }
            for (int entries = unpacker.unpackMapHeader(); entries > 0; entries--) {
                if (unpacker.getNextFormat().getValueType() != ValueType.STRING) {
                    unpacker.skipValue(); // a key that is not a string
                } else if ("uid".equals(unpacker.unpackString())) {
                    return unpacker.getNextFormat().getValueType() == ValueType.STRING ? unpacker.unpackString() : null;
                }
                unpacker.skipValue(); // the value of another key
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
            case POJO -> {
                if (!(((POJONode) node).getPojo() instanceof EncodedArray encoded)) {
                    throw new IllegalArgumentException("not a MessagePack value: " + node);
                }
                encoded.writeTo(packer);
            }
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
