package com.example.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every complete Java file the README shows (a ```java block that starts with its package line) is
 * a file of an example, verbatim: the quick starts here, the testkit example in examples/downstream.
 * So what a user pastes is what the build compiles, runs and tests.
 */
class ReadmeTest {
    private static final Path ROOT = Path.of("../..");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PACKAGE = Pattern.compile("\\Apackage ([\\w.]+);");
    private static final Pattern TYPE = Pattern.compile("^(?:public )?(?:final )?(?:class|interface|record|enum) (\\w+)",
            Pattern.MULTILINE);

    private static List<String> completeFiles() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
        while (matcher.find()) {
            if (matcher.group(1).startsWith("package ")) {
                blocks.add(matcher.group(1));
            }
        }
        return blocks;
    }

    /** examples/NAME/src/{main,test}/java/PACKAGE/TYPE.java, if there is one. */
    private static Optional<Path> exampleFile(String packageName, String type) throws IOException {
        String relative = packageName.replace('.', '/') + "/" + type + ".java";
        try (Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
            return examples.flatMap(example -> Stream.of("main", "test")
                            .map(kind -> example.resolve("src").resolve(kind).resolve("java").resolve(relative)))
                    .filter(Files::isRegularFile)
                    .findFirst();
        }
    }

    @Test
    void everyCompleteFileInTheReadmeIsAnExampleVerbatim() throws IOException {
        List<String> blocks = completeFiles();
        List<String> types = new ArrayList<>();
        for (String block : blocks) {
            Matcher packageLine = PACKAGE.matcher(block);
            Matcher type = TYPE.matcher(block);
            assertTrue(packageLine.find() && type.find(), "a package line and a type in:\n" + block);
            Optional<Path> file = exampleFile(packageLine.group(1), type.group(1));
            assertTrue(file.isPresent(), "README.md shows " + type.group(1) + ".java, which is in no example under examples/");
            assertEquals(Files.readString(file.get()), block, "README.md's " + type.group(1) + " differs from " + file.get());
            types.add(type.group(1));
        }
        // the two quick starts and the testkit example, at least
        assertTrue(types.containsAll(List.of("EchoServer", "EchoClient", "ShoutTest")), types.toString());
    }
}
