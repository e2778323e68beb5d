package ws.events.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A balancer in miniature: forwards each TCP connection on its loopback port to the current target
 * port; {@link #switchTo} sends new connections elsewhere, {@link #dropAll} cuts every connection
 * (the network failing under the clients), {@link #hold} keeps new connections waiting (accepted,
 * not yet forwarded) until {@link #release}.
 */
final class SwitchingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile int target;
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);

    SwitchingProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    void switchTo(int port) {
        target = port;
    }

    /** New connections wait, accepted, until {@link #release}. */
    void hold() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    /** New connections, and those held, go to the target again. */
    void release() {
        gate.countDown();
    }

    void dropAll() {
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            java.util.concurrent.CountDownLatch waitFor = gate;
            Thread.ofVirtual().start(() -> forward(client, waitFor));
        }
    }

    private void forward(Socket client, java.util.concurrent.CountDownLatch waitFor) {
        try {
            waitFor.await();
            Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
            open.add(client);
            open.add(server);
            Thread.ofVirtual().start(() -> pump(client, server));
            pump(server, client);
        } catch (IOException | InterruptedException e) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // one side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropAll();
    }
}
