package ws.protocol.extension;

import java.util.List;

/** Parses {@code Sec-WebSocket-Extensions} values (RFC 6455 section 9.1). */
final class ExtensionHeaderParser {
    private ExtensionHeaderParser() {
    }

    static List<ExtensionParameters> parseAll(List<String> headerValues) {
        throw new UnsupportedOperationException("CONTRACT STUB: handshake helper implements");
    }
}
