package ws.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The SDK's jars serve the class path as well as the module path: every service a module
 * {@code provides} in its descriptor is also listed in its {@code META-INF/services} file, so that
 * ServiceLoader finds the transports, permessage-deflate and the default wss:// layer for an
 * application on the class path (a Spring Boot application, say).
 */
class ServiceFilesIT {
    @Test
    void everyProvidesHasItsServiceFile() throws IOException {
        Path modules = Path.of(System.getProperty("ws.image.modules"));
        List<String> checked = new ArrayList<>();
        for (ModuleReference reference : ModuleFinder.of(modules).findAll()) {
            ModuleDescriptor descriptor = reference.descriptor();
            if (!descriptor.name().startsWith("ws.")) {
                continue;
            }
            for (ModuleDescriptor.Provides provides : descriptor.provides()) {
                try (var reader = reference.open()) {
                    Optional<java.nio.ByteBuffer> file = reader.read("META-INF/services/" + provides.service());
                    String listed = file.map(bytes -> StandardCharsets.UTF_8.decode(bytes).toString()).orElse("");
                    assertEquals(new TreeSet<>(provides.providers().stream().map(name -> name.replace('$', '.')).toList()),
                            new TreeSet<>(listed.lines()
                                    .map(line -> line.replaceAll("#.*", "").strip().replace('$', '.'))
                                    .filter(line -> !line.isEmpty()).toList()),
                            descriptor.name() + ": META-INF/services/" + provides.service() + " should list what module-info provides");
                }
                checked.add(descriptor.name() + " " + provides.service());
            }
        }
        assertFalse(checked.isEmpty(), "no ws.* module with provides in " + modules);
        System.out.println("service files match module-info: " + checked);
    }
}
