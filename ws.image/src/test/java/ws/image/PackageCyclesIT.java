package ws.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The package graph of every module of the SDK is acyclic: {@code jdeps -verbose:package} over each
 * {@code ws.*} module on this test's class path (the runtime modules of the ws tool, and the testkit
 * modules this module depends on for that purpose), its edges within the module, then a search for
 * strongly connected components. A cycle fails the build with the packages in it and the classes
 * that make each edge. (Across modules there can be none: JPMS refuses cyclic module graphs and
 * split packages.)
 */
class PackageCyclesIT {
    /** An edge line of {@code jdeps -verbose:package} or {@code -verbose:class}: from, target, target's module. */
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+(\\S+)\\s*$");

    @Test
    void noModuleOfOursHasAPackageCycle() throws IOException {
        Map<String, Path> modules = ourModules();
        assertTrue(modules.keySet().containsAll(List.of("ws.protocol", "ws.transport.blocking",
                "ws.transport.virtualthreads", "ws.transport.eventloop", "ws.transport.tls", "ws.cli", "ws.testkit",
                "ws.testkit.junit")),
                "the SDK's modules are on the class path: " + modules.keySet());
        Map<String, String> cycles = new TreeMap<>();
        for (Map.Entry<String, Path> module : modules.entrySet()) {
            Map<String, Set<String>> graph = packageGraph(module.getKey(), module.getValue(), "-verbose:package");
            for (Set<String> cycle : cycles(graph)) {
                cycles.put(module.getKey() + ": " + cycle, explain(module.getKey(), module.getValue(), cycle));
            }
        }
        assertEquals(Map.of(), cycles, "package cycles (with the class edges that make them)");
    }

    @Test
    void theCycleSearchFindsCyclesAndOnlyCycles() {
        Map<String, Set<String>> graph = Map.of(
                "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"), "d", Set.of("e"), "e", Set.of());
        assertEquals(List.of(new TreeSet<>(List.of("a", "b", "c"))), cycles(graph));
        assertEquals(List.of(), cycles(Map.of("a", Set.of("b"), "b", Set.of())));
    }

    /** The {@code ws.*} modules on the class path (or module path), by name, each with its location. */
    private static Map<String, Path> ourModules() {
        List<Path> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                for (String entry : value.split(File.pathSeparator)) {
                    Path path = Path.of(entry);
                    if (Files.exists(path)) {
                        entries.add(path);
                    }
                }
            }
        }
        Map<String, Path> modules = new TreeMap<>();
        for (Path entry : entries) {
            try {
                for (ModuleReference reference : ModuleFinder.of(entry).findAll()) {
                    String name = reference.descriptor().name();
                    if (name.startsWith("ws.") && !reference.descriptor().isAutomatic()) {
                        modules.putIfAbsent(name, entry);
                    }
                }
            } catch (RuntimeException notAModule) {
                // a jar that is no module at all (or a broken one): not ours
            }
        }
        return modules;
    }

    /** Package -> packages of the same module it depends on, from jdeps. */
    private static Map<String, Set<String>> packageGraph(String module, Path location, String verbosity) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : jdeps(verbosity, location).split("\\R")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.matches() && edge.group(3).equals(module)) {
                graph.computeIfAbsent(edge.group(1), k -> new TreeSet<>()).add(edge.group(2));
                graph.computeIfAbsent(edge.group(2), k -> new TreeSet<>());
            }
        }
        return graph;
    }

    /** The class edges between the packages of {@code cycle}, for the failure message. */
    private static String explain(String module, Path location, Set<String> cycle) throws IOException {
        StringBuilder why = new StringBuilder();
        for (Map.Entry<String, Set<String>> from : packageGraph(module, location, "-verbose:class").entrySet()) {
            String fromPackage = packageOf(from.getKey());
            for (String to : from.getValue()) {
                String toPackage = packageOf(to);
                if (!fromPackage.equals(toPackage) && cycle.contains(fromPackage) && cycle.contains(toPackage)) {
                    why.append('\n').append(from.getKey()).append(" -> ").append(to);
                }
            }
        }
        return why.toString();
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    /** jdeps over one module, every other module of the class path on its module path. */
    private static String jdeps(String verbosity, Path module) throws IOException {
        String modulePath = System.getProperty("java.class.path");
        List<String> arguments = List.of("--multi-release", String.valueOf(Runtime.version().feature()),
                "--module-path", modulePath, "--ignore-missing-deps", verbosity, "-filter:none", module.toString());
        Optional<ToolProvider> tool = ToolProvider.findFirst("jdeps");
        if (tool.isPresent()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = tool.get().run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), arguments.toArray(String[]::new));
            assertEquals(0, status, () -> "jdeps " + arguments + " failed: " + err.toString(StandardCharsets.UTF_8));
            return out.toString(StandardCharsets.UTF_8);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jdeps").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, process.waitFor(), () -> "jdeps failed: " + output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }

    /** The strongly connected components of more than one package (Tarjan), sorted. */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<Set<String>> found = new ArrayList<>();
        int[] next = {0};
        for (String node : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(node)) {
                strongConnect(node, graph, index, low, stack, onStack, found, next);
            }
        }
        found.sort((a, b) -> a.toString().compareTo(b.toString()));
        return found;
    }

    private static void strongConnect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                                      Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                      List<Set<String>> found, int[] next) {
        index.put(node, next[0]);
        low.put(node, next[0]);
        next[0]++;
        stack.push(node);
        onStack.add(node);
        for (String target : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(target)) {
                strongConnect(target, graph, index, low, stack, onStack, found, next);
                low.put(node, Math.min(low.get(node), low.get(target)));
            } else if (onStack.contains(target)) {
                low.put(node, Math.min(low.get(node), index.get(target)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
