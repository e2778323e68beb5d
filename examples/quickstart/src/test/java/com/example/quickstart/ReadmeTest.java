package com.example.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's quick starts are these files, verbatim: what a user pastes is what the build
 * compiles (and what ws.image runs from the image of a minimal application).
 */
class ReadmeTest {
    private static final Path README = Path.of("../../README.md");
    private static final Path SOURCES = Path.of("src/main/java/com/example/quickstart");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private static List<String> javaBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(Files.readString(README));
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    @ParameterizedTest(name = "{0}.java")
    @ValueSource(strings = {"EchoServer", "EchoClient"})
    void theReadmeShowsTheFileVerbatim(String name) throws IOException {
        String source = Files.readString(SOURCES.resolve(name + ".java"));
        List<String> shown = javaBlocks().stream().filter(block -> block.contains("public final class " + name + " ")).toList();
        assertEquals(1, shown.size(), "README.md should show " + name + ".java once, in a ```java block");
        assertEquals(source, shown.get(0), "README.md's " + name + " differs from " + SOURCES.resolve(name + ".java"));
        assertTrue(source.startsWith("package "), "a complete file, package line included");
    }
}
