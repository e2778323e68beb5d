package ws.protocol.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP header fields in the order received or added. Names compare case-insensitively; a name may
 * repeat. Immutable.
 */
public final class HttpHeaders {
    private static final HttpHeaders EMPTY = new HttpHeaders(List.of());

    private final List<String[]> fields;

    private HttpHeaders(List<String[]> fields) {
        this.fields = fields;
    }

    /** No fields. */
    public static HttpHeaders empty() {
        return EMPTY;
    }

    /** Headers from alternating names and values: {@code of("Host", "example.com", "Origin", "null")}. */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate, got " + namesAndValues.length + " strings");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The first value of {@code name}, if present. */
    public Optional<String> first(String name) {
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                return Optional.of(field[1]);
            }
        }
        return Optional.empty();
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                values.add(field[1]);
            }
        }
        return values;
    }

    /**
     * The comma-separated tokens of every value of {@code name}, trimmed, empty ones dropped
     * (RFC 9110 section 5.6.1 list syntax): {@code Connection: keep-alive, Upgrade} gives two tokens.
     */
    public List<String> tokens(String name) {
        List<String> tokens = new ArrayList<>(2);
        for (String value : all(name)) {
            for (String token : value.split(",")) {
                String trimmed = token.strip();
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }

    /** Whether some comma-separated token of {@code name} equals {@code token}, ignoring case. */
    public boolean containsToken(String name, String token) {
        if (token.isEmpty()) {
            return false; // as tokens(), which has no empty token
        }
        // in place, without the lists of tokens(): asked of every request (Upgrade, Connection)
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name) && listsToken(field[1], token)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one element of the list {@code value}, without its optional whitespace, is {@code token} (ignoring case). */
    private static boolean listsToken(String value, String token) {
        int start = 0;
        int length = value.length();
        while (start <= length) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = start;
            int to = end;
            // values hold no control character but HTAB (Builder.checkValue): SP and HTAB are the only whitespace
            while (from < to && isOws(value.charAt(from))) {
                from++;
            }
            while (to > from && isOws(value.charAt(to - 1))) {
                to--;
            }
            if (to - from == token.length() && value.regionMatches(true, from, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** Whether a field called {@code name} is present (ignoring case). */
    public boolean contains(String name) {
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** How many fields are called {@code name} (ignoring case). */
    int count(String name) {
        int n = 0;
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /** The value of the one field called {@code name}, or null when there is none or more than one. */
    String only(String name) {
        String found = null;
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                if (found != null) {
                    return null;
                }
                found = field[1];
            }
        }
        return found;
    }

    /** The distinct header names, lower-cased, in first-seen order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (String[] field : fields) {
            String lower = field[0].toLowerCase(Locale.ROOT);
            if (!names.contains(lower)) {
                names.add(lower);
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** The fields in order, each {name, value}: not to be changed. */
    List<String[]> fields() {
        return fields;
    }

    /** The number of fields, repeated names counted each time. */
    public int size() {
        return fields.size();
    }

    /** Visits each field in order, with the name as it was written. */
    public void forEach(java.util.function.BiConsumer<String, String> action) {
        for (String[] field : fields) {
            action.accept(field[0], field[1]);
        }
    }

    /** A builder that starts with these fields. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.fields.addAll(fields);
        return builder;
    }

    /** Equal when the same names (ignoring case) and values are in the same order. */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof HttpHeaders that) || that.fields.size() != fields.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            String[] a = fields.get(i);
            String[] b = that.fields.get(i);
            if (!a[0].equalsIgnoreCase(b[0]) || !a[1].equals(b[1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (String[] field : fields) {
            hash = 31 * hash + field[0].toLowerCase(Locale.ROOT).hashCode();
            hash = 31 * hash + field[1].hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        forEach((name, value) -> out.append(out.length() > 1 ? ", " : "").append(name).append(": ").append(value));
        return out.append('}').toString();
    }

    /** Collects fields; names and values are checked for characters HTTP does not allow. */
    public static final class Builder {
        private final List<String[]> fields = new ArrayList<>();

        private Builder() {
        }

        /** Appends a field. */
        public Builder add(String name, String value) {
            checkName(name);
            checkValue(name, value);
            fields.add(new String[] {name, value});
            return this;
        }

        /**
         * Appends a field whose name and value are known to pass {@link #add}'s checks: the parser's,
         * which checked every byte as it arrived, and the handshake's own headers.
         */
        Builder addChecked(String name, String value) {
            fields.add(new String[] {name, value});
            return this;
        }

        /** Removes every field called {@code name}, then appends this one. */
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        /** Removes every field called {@code name} (ignoring case). */
        public Builder remove(String name) {
            fields.removeIf(field -> field[0].equalsIgnoreCase(name));
            return this;
        }

        /** The fields collected so far, as an immutable value; the builder can go on. */
        public HttpHeaders build() {
            return fields.isEmpty() ? EMPTY : new HttpHeaders(List.copyOf(fields));
        }

        private static void checkName(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("header name is empty");
            }
            for (int i = 0; i < name.length(); i++) {
                if (!isTokenChar(name.charAt(i))) {
                    throw new IllegalArgumentException("header name \"" + name + "\" has a character not allowed in a token at index " + i);
                }
            }
        }

        private static void checkValue(String name, String value) {
            if (value == null) {
                throw new IllegalArgumentException("header " + name + " has a null value");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                // RFC 9110 section 5.5: no CR, LF, NUL or other control character but HTAB; octets only.
                if (c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF) {
                    throw new IllegalArgumentException("header " + name + " value has a forbidden character (0x"
                            + Integer.toHexString(c) + ") at index " + i);
                }
            }
        }
    }

    /** The token characters of RFC 9110 section 5.6.2. */
    static boolean isTokenChar(char c) {
        return c < 0x80 && TOKEN[c];
    }

    /** Which ASCII characters are token characters: visible ASCII but the delimiters. */
    private static final boolean[] TOKEN = new boolean[0x80];

    static {
        for (char c = 0x21; c < 0x7F; c++) {
            TOKEN[c] = "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }
}
