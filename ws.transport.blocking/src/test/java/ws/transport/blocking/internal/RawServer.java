package ws.transport.blocking.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import ws.protocol.handshake.ServerHandshake;

/** A raw server for one client: answers the opening handshake by hand, then does only what the test says. */
final class RawServer implements Closeable {
    private final ServerSocket listener;
    private Socket socket;
    private RawClient.Frame lastFrame;

    RawServer() throws IOException {
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + path);
    }

    /** Accepts the client and answers its upgrade with a 101. */
    void acceptAndUpgrade() throws IOException {
        socket = listener.accept();
        socket.setSoTimeout((int) Support.WAIT.toMillis());
        StringBuilder head = new StringBuilder();
        var in = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of input in the request");
            }
            head.append((char) b);
        }
        String key = null;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).strip();
            }
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(key) + "\r\n\r\n";
        socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads one (masked) client frame. */
    RawClient.Frame readFrame() throws IOException {
        RawClient reader = new RawClient(socket);
        lastFrame = reader.readFrame();
        return lastFrame;
    }

    /** Sends an unmasked server frame. */
    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        socket.getOutputStream().write(RawClient.frame(fin, opcode, payload, false));
        socket.getOutputStream().flush();
    }

    /** Whether the client closed its side (end of input) within the read timeout. */
    boolean readsEof() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        listener.close();
    }
}
