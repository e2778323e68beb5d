package ws.events.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * The server refused to let a socket join its namespace (a CONNECT_ERROR packet): a middleware said
 * no, or the namespace does not exist. The socket does not retry by itself; fix the cause (a fresh
 * token) and call {@link ClientSocket#connect()} again.
 */
public final class ConnectErrorException extends RuntimeException {
    private final transient JsonNode data;

    /** The server's message and data ({@link NullNode} when it sent none). */
    public ConnectErrorException(String message, JsonNode data) {
        super(message);
        this.data = Objects.requireNonNullElse(data, NullNode.getInstance());
    }

    /** What the server attached to the refusal ({@code err.data} in JavaScript), or a null node. */
    public JsonNode data() {
        return data;
    }
}
