package ws.benchmark.peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The trivial server that measures the load generator's ceiling: it answers the opening handshake,
 * then never parses a frame. In echo mode it writes every byte it reads back to the same connection;
 * in broadcast mode it writes every byte it reads to every connection. The client's frames come back
 * still masked, which the load generator accepts. One thread, non-blocking, no per-message allocation:
 * whatever limits a run against it is the load generator (or the loopback itself).
 */
final class RawEchoServer implements Runnable {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final PeerMain.Mode mode;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final List<Conn> open = new ArrayList<>();
    private final ByteBuffer shared = ByteBuffer.allocateDirect(256 << 10);

    private RawEchoServer(PeerMain.Mode mode, int port) throws IOException {
        this.mode = mode;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    static void start(PeerMain.Mode mode, int port) throws IOException {
        Thread.ofPlatform().name("raw-" + mode).start(new RawEchoServer(mode, port));
    }

    /** One connection: the handshake bytes until the head is complete, then bytes waiting to be written. */
    private static final class Conn {
        final SocketChannel channel;
        final SelectionKey key;
        ByteBuffer head = ByteBuffer.allocate(4096);
        ByteBuffer pending = ByteBuffer.allocateDirect(64 << 10).flip();

        Conn(SocketChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isAcceptable()) {
                            accept();
                        } else {
                            Conn conn = (Conn) key.attachment();
                            if (key.isWritable()) {
                                flush(conn);
                            }
                            if (key.isValid() && key.isReadable()) {
                                read(conn);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        if (key.attachment() instanceof Conn conn) {
                            close(conn);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            key.attach(new Conn(channel, key));
        }
    }

    private void read(Conn conn) throws IOException {
        if (conn.head != null) {
            if (conn.channel.read(conn.head) < 0) {
                close(conn);
                return;
            }
            int end = indexOf(conn.head, HEAD_END);
            if (end < 0) {
                return;
            }
            String head = new String(conn.head.array(), 0, end, StandardCharsets.ISO_8859_1);
            ByteBuffer rest = conn.head.flip().position(end + 4);
            conn.head = null;
            writeAll(conn, ByteBuffer.wrap(response(head).getBytes(StandardCharsets.ISO_8859_1)));
            open.add(conn);
            if (rest.hasRemaining()) {
                forward(conn, rest);
            }
            return;
        }
        if (conn.pending.hasRemaining()) {
            return; // still writing: stop reading until the peer drains (back-pressure)
        }
        shared.clear();
        int n = conn.channel.read(shared);
        if (n < 0) {
            close(conn);
            return;
        }
        if (n > 0) {
            forward(conn, shared.flip());
        }
    }

    private void forward(Conn from, ByteBuffer bytes) throws IOException {
        if (mode == PeerMain.Mode.ECHO) {
            writeAll(from, bytes);
            return;
        }
        for (int i = 0; i < open.size(); i++) {
            Conn to = open.get(i);
            try {
                writeAll(to, bytes.duplicate());
            } catch (IOException e) {
                close(to);
                i--;
            }
        }
    }

    /** Writes what it can now; keeps the rest (growing the buffer) and waits for OP_WRITE. */
    private void writeAll(Conn conn, ByteBuffer bytes) throws IOException {
        if (!conn.pending.hasRemaining()) {
            conn.channel.write(bytes);
            if (!bytes.hasRemaining()) {
                return;
            }
        }
        ByteBuffer pending = conn.pending;
        pending.compact();
        if (pending.remaining() < bytes.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(pending.capacity() * 2, pending.position() + bytes.remaining()));
            bigger.put(pending.flip());
            pending = bigger;
        }
        pending.put(bytes).flip();
        conn.pending = pending;
        conn.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    private void flush(Conn conn) throws IOException {
        conn.channel.write(conn.pending);
        if (!conn.pending.hasRemaining()) {
            conn.key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void close(Conn conn) {
        open.remove(conn);
        conn.key.cancel();
        try {
            conn.channel.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }

    private static String response(String head) {
        String key = null;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
                key = line.substring(colon + 1).trim();
            }
        }
        if (key == null) {
            return "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        }
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
    }

    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(ByteBuffer written, byte[] needle) {
        byte[] array = written.array();
        for (int i = 0, end = written.position() - needle.length; i <= end; i++) {
            if (array[i] == needle[0] && array[i + 1] == needle[1] && array[i + 2] == needle[2] && array[i + 3] == needle[3]) {
                return i;
            }
        }
        return -1;
    }
}
