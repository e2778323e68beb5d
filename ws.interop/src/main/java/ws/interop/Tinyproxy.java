package ws.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's tinyproxy as a real HTTP proxy peer: started in the foreground on a free loopback port
 * with a generated configuration (CONNECT to any port, loopback clients only, optionally Basic
 * authentication), stopped on close. Its log (standard error) is kept for failure messages.
 */
public final class Tinyproxy implements AutoCloseable {
    private final PeerProcess process;
    private final int port;

    private Tinyproxy(PeerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts tinyproxy with its configuration in {@code directory}; with {@code user} and
     * {@code password} non-null it requires them (BasicAuth), answering 407 otherwise.
     */
    public static Tinyproxy start(Path directory, String user, String password) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {  // the free port may be taken between the probe and the start
            int port = freePort();
            Path config = directory.resolve("tinyproxy-" + port + ".conf");
            // no ConnectPort line: CONNECT to every port; no DisableViaHeader needed for CONNECT
            Files.writeString(config, String.join("\n",
                    "Port " + port,
                    "Listen 127.0.0.1",
                    "Timeout 60",
                    "MaxClients 64",
                    "Allow 127.0.0.1",
                    "LogLevel Info",
                    user == null ? "" : "BasicAuth " + user + " " + password,
                    ""));
            PeerProcess process = PeerProcess.start(directory, List.of(Peers.tinyproxy(), "-d", "-c", config.toString()));
            Tinyproxy proxy = new Tinyproxy(process, port);
            if (proxy.awaitListening(Duration.ofSeconds(20))) {
                return proxy;
            }
            last = new IOException("tinyproxy did not listen on 127.0.0.1:" + port + "\n" + process.describe());
            proxy.close();
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private boolean awaitListening(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return true;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    return false;
                }
                Thread.sleep(50);
            }
        }
        return false;
    }

    /** The loopback port it listens on. */
    public int port() {
        return port;
    }

    /** The command, exit state and log, for a failure message. */
    public String describe() {
        return process.describe();
    }

    @Override
    public void close() {
        process.terminate();
        process.close();
    }
}
