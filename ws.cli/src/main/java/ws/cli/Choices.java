package ws.cli;

import java.util.List;
import java.util.ServiceLoader;
import ws.protocol.api.Transport;
import ws.protocol.extension.ExtensionFactory;

/** The transport and the extensions a command runs with, as the command line chose them. */
final class Choices {
    private Choices() {
    }

    /**
     * The transport named by {@code --transport}, or the default one when not given.
     *
     * @throws IllegalStateException when no transport is installed at all
     */
    static Transport transport(String name) throws UsageException {
        try {
            return name == null ? Transport.defaultTransport() : Transport.named(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--transport: " + e.getMessage());
        }
    }

    /**
     * The extensions installed on the module path (permessage-deflate), found with ServiceLoader;
     * none when {@code enabled} is false.
     */
    static List<ExtensionFactory> extensions(boolean enabled) {
        if (!enabled) {
            return List.of();
        }
        return ServiceLoader.load(ExtensionFactory.class).stream().map(ServiceLoader.Provider::get).toList();
    }
}
