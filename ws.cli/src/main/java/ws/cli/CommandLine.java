package ws.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: positional arguments, options with values ({@code --port 80} or
 * {@code --port=80}, repeatable) and flags ({@code --echo}). Options may come before or after the
 * positional arguments; {@code --} ends the options.
 */
final class CommandLine {
    private final List<String> positional;
    private final Map<String, List<String>> values;
    private final Set<String> flags;

    private CommandLine(List<String> positional, Map<String, List<String>> values, Set<String> flags) {
        this.positional = positional;
        this.values = values;
        this.flags = flags;
    }

    /**
     * Parses {@code args} against the options a command knows.
     *
     * @param valueOptions options that take a value (without the leading dashes)
     * @param flagOptions  options that take none
     */
    static CommandLine parse(List<String> args, Set<String> valueOptions, Set<String> flagOptions)
            throws UsageException {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        java.util.HashSet<String> flags = new java.util.HashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("--") || arg.length() == 2 && !arg.equals("--")) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flagOptions.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value, got \"" + value + "\"");
                }
                flags.add(name);
            } else if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                values.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return new CommandLine(List.copyOf(positional), values, Set.copyOf(flags));
    }

    List<String> positional() {
        return positional;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** Every value given for a repeatable option, in order. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The value of a single-valued option, or {@code fallback}; given twice is a usage error. */
    String value(String name, String fallback) throws UsageException {
        List<String> given = all(name);
        if (given.size() > 1) {
            throw new UsageException("option --" + name + " given " + given.size() + " times");
        }
        return given.isEmpty() ? fallback : given.get(0);
    }

    /** An integer option within {@code min..max}. */
    int intValue(String name, int fallback, int min, int max) throws UsageException {
        String text = value(name, null);
        if (text == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got \"" + text + "\"");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException("--" + name + " must be in " + min + ".." + max + ", got " + parsed);
        }
        return parsed;
    }
}
