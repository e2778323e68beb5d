package ws.protocol.extension;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header: an extension token and its parameters,
 * in order, duplicates kept (so that an extension can refuse them). A parameter without a value has
 * a {@code null} value.
 *
 * <p>Grammar (RFC 6455 section 9.1): {@code extension = token *( ";" param )}, {@code param = token
 * [ "=" (token | quoted-string) ]}; a quoted value must itself be a token once unquoted.
 *
 * @param name       the extension token, e.g. {@code permessage-deflate}
 * @param parameters the parameters in order
 */
public record ExtensionParameters(String name, List<Parameter> parameters) {

    /** Copies the parameters; the name must not be null. */
    public ExtensionParameters {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
    }

    /** An extension without parameters. */
    public ExtensionParameters(String name) {
        this(name, List.of());
    }

    /** A parameter; {@code value} is {@code null} when the parameter has none. */
    public record Parameter(String name, String value) {
        /** The name must not be null. */
        public Parameter {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A copy with one more parameter. */
    public ExtensionParameters with(String parameter, String value) {
        List<Parameter> more = new ArrayList<>(parameters);
        more.add(new Parameter(parameter, value));
        return new ExtensionParameters(name, more);
    }

    /** Whether a parameter of that name is present. */
    public boolean has(String parameter) {
        return parameters.stream().anyMatch(p -> p.name().equalsIgnoreCase(parameter));
    }

    /** The value of the first parameter of that name; empty if absent or valueless. */
    public Optional<String> value(String parameter) {
        return parameters.stream().filter(p -> p.name().equalsIgnoreCase(parameter))
                .map(Parameter::value).filter(Objects::nonNull).findFirst();
    }

    /** The header form: {@code permessage-deflate; client_max_window_bits=10}. */
    public String format() {
        StringBuilder out = new StringBuilder(name);
        for (Parameter parameter : parameters) {
            out.append("; ").append(parameter.name());
            if (parameter.value() != null) {
                out.append('=').append(parameter.value());
            }
        }
        return out.toString();
    }

    /** The header value for a list of extensions, comma-separated. */
    public static String formatAll(List<ExtensionParameters> extensions) {
        StringBuilder out = new StringBuilder();
        for (ExtensionParameters extension : extensions) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(extension.format());
        }
        return out.toString();
    }

    /**
     * Parses every value of the {@code Sec-WebSocket-Extensions} headers, in order.
     *
     * @throws IllegalArgumentException naming the position and what was expected, when a value does
     *                                  not follow the grammar
     */
    public static List<ExtensionParameters> parseAll(List<String> headerValues) {
        return ExtensionHeaderParser.parseAll(headerValues);
    }
}
