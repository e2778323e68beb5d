package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Field;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.engine.ProtocolConfig;

@DisplayName("Every connection of a server shares the server's one engine configuration")
class SharedConfigTest {

    @Test
    @DisplayName("two servers with different options, connections alternating: each connection has its own server's config")
    void perServer() throws ReflectiveOperationException {
        Server small = new Server(ConnectionOptions.defaults().withAutoFragmentSize(1024));
        Server large = new Server(ConnectionOptions.defaults().withAutoFragmentSize(64 * 1024));
        for (int i = 0; i < 3; i++) {
            // a single cached entry would rebuild the configuration at every switch between the servers
            assertSame(small.config, configOf(ConnectionDriver.server(small)));
            assertSame(large.config, configOf(ConnectionDriver.server(large)));
        }
        assertNotSame(small.config, large.config);
    }

    /** The engine's configuration: kept privately by the engine's framing part (its Connection). */
    private static ProtocolConfig configOf(ConnectionDriver driver) throws ReflectiveOperationException {
        Object engine = driver.engine;
        for (Class<?> type = engine.getClass(); type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getType().getName().equals("ws.protocol.engine.Connection")) {
                    field.setAccessible(true);
                    Object connection = field.get(engine);
                    Field config = connection.getClass().getDeclaredField("config");
                    config.setAccessible(true);
                    return (ProtocolConfig) config.get(connection);
                }
            }
        }
        throw new AssertionError("no configuration in " + engine.getClass());
    }

    /** As a server does: the configuration made once, with its options. */
    private static final class Server extends TestHost {
        final ConnectionOptions options;
        final ProtocolConfig config;

        Server(ConnectionOptions options) {
            this.options = options;
            this.config = options.protocolConfig();
        }

        @Override
        public ProtocolConfig protocolConfig() {
            return config;
        }

        @Override
        public ConnectionOptions connectionOptions() {
            return options;
        }
    }
}
