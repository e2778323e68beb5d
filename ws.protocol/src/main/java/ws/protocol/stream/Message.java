package ws.protocol.stream;

import java.nio.ByteBuffer;
import java.util.Objects;

/** A whole WebSocket message, as a {@link MessagePublisher} publishes it. */
public sealed interface Message {

    /**
     * A text message.
     *
     * @param text the text, validated UTF-8 on the wire
     */
    record Text(String text) implements Message {
        /** Checks that the text is not null. */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A binary message.
     *
     * @param data the bytes; the buffer is the subscriber's to keep
     */
    record Binary(ByteBuffer data) implements Message {
        /** Checks that the buffer is not null. */
        public Binary {
            Objects.requireNonNull(data, "data");
        }
    }
}
