package ws.protocol.extension;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code Sec-WebSocket-Extensions} values (RFC 6455 section 9.1):
 * <pre>
 * Sec-WebSocket-Extensions = extension-list
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-token = registered-token
 * registered-token = token
 * extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 * A quoted value must be a token once unescaped. OWS (spaces and tabs) is allowed around {@code ,},
 * {@code ;} and {@code =}. Empty list elements ({@code ", a"}) are skipped as RFC 9110 section 5.6.1
 * asks of recipients, and so is a header whose value is empty: it offers nothing.
 */
final class ExtensionHeaderParser {
    private ExtensionHeaderParser() {
    }

    static List<ExtensionParameters> parseAll(List<String> headerValues) {
        List<ExtensionParameters> extensions = new ArrayList<>();
        for (int i = 0; i < headerValues.size(); i++) {
            new Cursor(headerValues.get(i), i, headerValues.size()).parse(extensions);
        }
        return List.copyOf(extensions);
    }

    /** Walks one header value. */
    private static final class Cursor {
        private final String s;
        private final int valueIndex;
        private final int valueCount;
        private int pos;

        Cursor(String s, int valueIndex, int valueCount) {
            this.s = s;
            this.valueIndex = valueIndex;
            this.valueCount = valueCount;
        }

        void parse(List<ExtensionParameters> out) {
            while (true) {
                skipOws();
                if (pos == s.length()) {
                    return;
                }
                if (peek() == ',') {
                    pos++; // an empty list element
                    continue;
                }
                String name = token("an extension name");
                List<ExtensionParameters.Parameter> parameters = new ArrayList<>(2);
                skipOws();
                while (pos < s.length() && peek() == ';') {
                    pos++;
                    skipOws();
                    String parameter = token("a parameter name after ';'");
                    skipOws();
                    String value = null;
                    if (pos < s.length() && peek() == '=') {
                        pos++;
                        skipOws();
                        value = pos < s.length() && peek() == '"' ? quotedToken(parameter) : token("a value (token or quoted-string) for parameter " + parameter);
                        skipOws();
                    }
                    parameters.add(new ExtensionParameters.Parameter(parameter, value));
                }
                out.add(new ExtensionParameters(name, parameters));
                if (pos == s.length()) {
                    return;
                }
                if (peek() != ',') {
                    throw error("';', ',' or the end");
                }
                pos++;
            }
        }

        private String token(String what) {
            int start = pos;
            while (pos < s.length() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw error(what);
            }
            return s.substring(start, pos);
        }

        /** A quoted-string (RFC 9110 section 5.6.4) whose content must be a token. */
        private String quotedToken(String parameter) {
            int open = pos;
            pos++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (pos == s.length()) {
                    throw error("a closing '\"' for the quoted value of parameter " + parameter);
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    break;
                }
                if (c == '\\') {
                    if (pos + 1 == s.length()) {
                        pos++;
                        throw error("a character after '\\' in the quoted value of parameter " + parameter);
                    }
                    c = s.charAt(pos + 1);
                    pos++;
                }
                if (!isTokenChar(c)) {
                    throw error("a token character inside the quoted value of parameter " + parameter
                            + " (RFC 6455 section 9.1: a quoted value must be a token)");
                }
                value.append(c);
                pos++;
            }
            if (value.isEmpty()) {
                pos = open;
                throw error("a non-empty quoted value for parameter " + parameter + " (it must be a token)");
            }
            return value.toString();
        }

        private char peek() {
            return s.charAt(pos);
        }

        private void skipOws() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private IllegalArgumentException error(String expected) {
            String found = pos < s.length() ? "'" + printable(s.charAt(pos)) + "'" : "the end";
            String which = valueCount > 1 ? " (header " + (valueIndex + 1) + " of " + valueCount + ")" : "";
            return new IllegalArgumentException("Sec-WebSocket-Extensions" + which + " at index " + pos + ": expected "
                    + expected + ", found " + found
                    + " in \"" + shorten(s) + "\"");
        }

        private static String printable(char c) {
            return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c);
        }

        private static String shorten(String s) {
            return s.length() <= 120 ? s : s.substring(0, 120) + "...";
        }
    }

    /** The token characters of RFC 9110 section 5.6.2. */
    static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
