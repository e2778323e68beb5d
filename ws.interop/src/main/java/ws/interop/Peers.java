package ws.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where the peers are, and whether they can run here. Each check returns what is missing, so a
 * test can fail with that message (the default), or skip with it where the environment says the
 * peers are optional ({@value #OPTIONAL_VARIABLE}{@code =1}).
 */
public final class Peers {
    /**
     * The environment variable that turns a missing peer from a failure into a (loud) skip, for a
     * machine that cannot have it. By default every peer is required: a fresh clone must not pass
     * with interop tests silently skipped.
     */
    public static final String OPTIONAL_VARIABLE = "WS_INTEROP_OPTIONAL";

    /** What installs the peers: the Debian packages and the npm packages. */
    public static final String INSTALLER = ".ci/peers";

    private Peers() {
    }

    /** Whether a missing peer must fail the build: unless {@code WS_INTEROP_OPTIONAL=1}. */
    public static boolean required() {
        return !"1".equals(System.getenv(OPTIONAL_VARIABLE));
    }

    /** The interop folder (interop/ at the repository root). */
    public static Path interopDirectory() {
        return Path.of(System.getProperty("ws.interop.dir", "../interop")).toAbsolutePath().normalize();
    }

    /** The Node project with the ws package. */
    public static Path nodeDirectory() {
        return interopDirectory().resolve("node");
    }

    /** The python-websockets scripts. */
    public static Path pythonDirectory() {
        return interopDirectory().resolve("python");
    }

    /** The Python that has the websockets package: {@code WS_INTEROP_PYTHON}, else Debian's /usr/bin/python3. */
    public static String python() {
        String chosen = System.getenv("WS_INTEROP_PYTHON");
        return chosen != null && !chosen.isBlank() ? chosen : "/usr/bin/python3";
    }

    /** What keeps the Node peers from running, or empty when they can. */
    public static Optional<String> nodeMissing() {
        if (!runs(List.of("node", "--version"))) {
            return Optional.of("node is not installed (apt-get install nodejs npm)");
        }
        if (!Files.isRegularFile(nodeDirectory().resolve("node_modules/ws/package.json"))) {
            return Optional.of("the ws package is not installed: run 'npm ci' in " + nodeDirectory());
        }
        return Optional.empty();
    }

    /** What keeps the npm socket.io server (interop/node/socketio-server.mjs) from running, or empty when it can. */
    public static Optional<String> socketIoServerMissing() {
        Optional<String> node = nodeMissing();
        if (node.isPresent()) {
            return node;
        }
        if (!Files.isRegularFile(nodeDirectory().resolve("node_modules/socket.io/package.json"))) {
            return Optional.of("the socket.io package is not installed: run 'npm ci' in " + nodeDirectory());
        }
        return Optional.empty();
    }

    /** What keeps the mixed Redis cluster (redis-server, socket.io with @socket.io/redis-adapter) from running, or empty. */
    public static Optional<String> redisClusterMissing() {
        Optional<String> server = socketIoServerMissing();
        if (server.isPresent()) {
            return server;
        }
        if (!Files.isExecutable(Path.of(redisServer()))) {
            return Optional.of(redisServer() + " is not installed (apt-get install redis-server)");
        }
        if (!Files.isRegularFile(nodeDirectory().resolve("node_modules/@socket.io/redis-adapter/package.json"))) {
            return Optional.of("the @socket.io/redis-adapter package is not installed: run 'npm ci' in " + nodeDirectory());
        }
        return Optional.empty();
    }

    /** The redis-server executable: {@code WS_INTEROP_REDIS_SERVER}, else Debian's /usr/bin/redis-server. */
    public static String redisServer() {
        String chosen = System.getenv("WS_INTEROP_REDIS_SERVER");
        return chosen != null && !chosen.isBlank() ? chosen : "/usr/bin/redis-server";
    }

    /** The Chromium executable: {@code WS_INTEROP_CHROMIUM}, else Debian's /usr/bin/chromium. */
    public static String chromium() {
        String chosen = System.getenv("WS_INTEROP_CHROMIUM");
        return chosen != null && !chosen.isBlank() ? chosen : "/usr/bin/chromium";
    }

    /** What keeps headless Chromium (driven by playwright-core from Node) from running, or empty when it can. */
    public static Optional<String> chromiumMissing() {
        Optional<String> node = nodeMissing();
        if (node.isPresent()) {
            return node;
        }
        if (!Files.isExecutable(Path.of(chromium()))) {
            return Optional.of(chromium() + " is not installed (apt-get install chromium)");
        }
        if (!Files.isRegularFile(nodeDirectory().resolve("node_modules/playwright-core/package.json"))) {
            return Optional.of("the playwright-core package is not installed: run 'npm ci' in " + nodeDirectory());
        }
        return Optional.empty();
    }

    /** The tinyproxy executable: {@code WS_INTEROP_TINYPROXY}, else Debian's /usr/bin/tinyproxy. */
    public static String tinyproxy() {
        String chosen = System.getenv("WS_INTEROP_TINYPROXY");
        return chosen != null && !chosen.isBlank() ? chosen : "/usr/bin/tinyproxy";
    }

    /** What keeps the tinyproxy peer (an HTTP proxy with CONNECT and Basic auth) from running, or empty when it can. */
    public static Optional<String> tinyproxyMissing() {
        if (!Files.isExecutable(Path.of(tinyproxy()))) {
            return Optional.of(tinyproxy() + " is not installed (apt-get install tinyproxy)");
        }
        return Optional.empty();
    }

    /** What keeps the python-websockets peer from running, or empty when it can. */
    public static Optional<String> pythonMissing() {
        if (!runs(List.of(python(), "-c", "import websockets"))) {
            return Optional.of(python() + " cannot import websockets (apt-get install python3-websockets)");
        }
        return Optional.empty();
    }

    private static boolean runs(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
