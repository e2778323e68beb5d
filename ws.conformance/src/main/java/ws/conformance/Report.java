package ws.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ws.conformance.cases.CaseResult;
import ws.conformance.cases.Verdict;

/**
 * The results of one suite run: a console table, a summary line
 * ({@code conformance: N passed, N failed}), and a JSON report.
 *
 * @param agent      the name of what was tested
 * @param mode       how it was tested
 * @param results    one per case, in run order
 * @param durationMs the whole run
 */
public record Report(String agent, String mode, List<CaseResult> results, long durationMs) {

    public Report {
        results = List.copyOf(results);
    }

    /** Cases per verdict. */
    public Map<Verdict, Integer> counts() {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            counts.put(v, 0);
        }
        results.forEach(r -> counts.merge(r.verdict(), 1, Integer::sum));
        return counts;
    }

    /** The failed cases. */
    public List<CaseResult> failed() {
        return results.stream().filter(r -> r.verdict() == Verdict.FAILED).toList();
    }

    /**
     * The summary line: {@code conformance: N passed, N failed} where passed counts OK, NON-STRICT,
     * INFORMATIONAL and UNIMPLEMENTED, followed by the breakdown.
     */
    public String summary() {
        Map<Verdict, Integer> c = counts();
        int passed = c.get(Verdict.OK) + c.get(Verdict.NON_STRICT) + c.get(Verdict.INFORMATIONAL)
                + c.get(Verdict.UNIMPLEMENTED);
        return "conformance: " + passed + " passed, " + c.get(Verdict.FAILED) + " failed"
                + " (" + c.get(Verdict.OK) + " ok, " + c.get(Verdict.NON_STRICT) + " non-strict, "
                + c.get(Verdict.INFORMATIONAL) + " informational"
                + (c.get(Verdict.UNIMPLEMENTED) == 0 ? "" : ", " + c.get(Verdict.UNIMPLEMENTED) + " unimplemented")
                + "; " + agent + ", " + mode + ", "
                + durationMs / 1000.0 + " s)";
    }

    /** One table line for a result. */
    public static String line(CaseResult r) {
        String close = r.remoteCloseCode() == null ? "-" : String.valueOf(r.remoteCloseCode());
        String detail = r.verdict() == Verdict.OK && !r.reportTime() ? "" : r.reason();
        return String.format("%-9s %-13s %6d ms  close %-5s %s%s", r.id(), r.verdict().label(), r.durationMs(), close,
                r.extra() ? "[extra] " : "", detail == null ? "" : truncate(detail, 400));
    }

    /** The whole table: a header, one line per case, per-group counts, the summary. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(agent).append(": ").append(mode).append('\n');
        sb.append(String.format("%-9s %-13s %9s  %-11s %s%n", "case", "verdict", "time", "peer close", "reason"));
        Map<String, Map<Verdict, Integer>> groups = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a),
                Integer.parseInt(b)));
        for (CaseResult r : results) {
            sb.append(line(r)).append('\n');
            String g = r.id().substring(0, r.id().indexOf('.'));
            groups.computeIfAbsent(g, k -> new EnumMap<>(Verdict.class)).merge(r.verdict(), 1, Integer::sum);
        }
        sb.append("groups:");
        groups.forEach((g, m) -> sb.append(' ').append(g).append(": ").append(m.getOrDefault(Verdict.FAILED, 0) == 0
                ? "all pass" : m.get(Verdict.FAILED) + " failed").append(" (").append(m.values().stream()
                .mapToInt(Integer::intValue).sum()).append(");"));
        sb.append('\n').append(summary()).append('\n');
        return sb.toString();
    }

    /** Writes the JSON report to {@code file}. */
    public void writeJson(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /** The JSON report. */
    public String toJson() {
        StringBuilder sb = new StringBuilder();
        Map<Verdict, Integer> c = counts();
        sb.append("{\n  \"agent\": ").append(q(agent)).append(",\n  \"mode\": ").append(q(mode))
                .append(",\n  \"generated\": ").append(q(Instant.now().toString()))
                .append(",\n  \"durationMs\": ").append(durationMs)
                .append(",\n  \"counts\": {");
        List<String> cs = new ArrayList<>();
        c.forEach((v, n) -> cs.add(q(v.label()) + ": " + n));
        sb.append(String.join(", ", cs)).append("},\n  \"summary\": ").append(q(summary())).append(",\n  \"cases\": [");
        for (int i = 0; i < results.size(); i++) {
            CaseResult r = results.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(q(r.id()))
                    .append(", \"verdict\": ").append(q(r.verdict().label()))
                    .append(", \"behavior\": ").append(q(r.behavior()))
                    .append(", \"behaviorClose\": ").append(q(r.closeBehavior()))
                    .append(", \"durationMs\": ").append(r.durationMs())
                    .append(", \"reportTime\": ").append(r.reportTime())
                    .append(", \"extra\": ").append(r.extra())
                    .append(",\n     \"description\": ").append(q(r.description()))
                    .append(",\n     \"reason\": ").append(q(r.reason()))
                    .append(",\n     \"expected\": ").append(arr(r.expected()))
                    .append(",\n     \"received\": ").append(arr(r.received()))
                    .append(",\n     \"closedByMe\": ").append(r.closedByMe())
                    .append(", \"droppedByMe\": ").append(r.droppedByMe())
                    .append(", \"wasClean\": ").append(r.wasClean())
                    .append(", \"remoteCloseCode\": ").append(r.remoteCloseCode())
                    .append(", \"remoteCloseReason\": ").append(r.remoteCloseReason() == null ? "null"
                            : q(r.remoteCloseReason()))
                    .append(",\n     \"notes\": ").append(arr(r.notes())).append('}');
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    private static String arr(List<String> items) {
        List<String> quoted = items.stream().map(Report::q).toList();
        return "[" + String.join(", ", quoted) + "]";
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** A JSON string literal. */
    static String q(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20 || Character.isSurrogate(ch) && !validSurrogateAt(s, i)) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static boolean validSurrogateAt(String s, int i) {
        char ch = s.charAt(i);
        if (Character.isHighSurrogate(ch)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
