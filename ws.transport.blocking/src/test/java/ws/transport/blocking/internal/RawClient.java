package ws.transport.blocking.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A raw TCP peer that speaks exactly the bytes a test gives it: bad HTTP, bad frames, silence. */
final class RawClient implements Closeable {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** A frame as read: FIN, opcode, payload. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** A client whose receive buffer is {@code receiveBuffer} bytes (0: the system's, autotuned). */
    RawClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) Support.WAIT.toMillis());
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Wraps a socket that is already connected (the server end of a {@link RawServer}). */
    RawClient(Socket connected) throws IOException {
        socket = connected;
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A valid upgrade request for {@code path}, with more header lines. */
    static String upgradeRequest(String path, String... extraLines) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String line : extraLines) {
            request.append(line).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends the upgrade request and returns the response head. */
    String upgrade(String path, String... extraLines) throws IOException {
        send(upgradeRequest(path, extraLines));
        return readHead();
    }

    /** Reads an HTTP head, up to the empty line. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of input in the response head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** An HTTP response as read: status, head, body. */
    record Response(int status, String head, String body) {
        boolean closes() {
            return head.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n");
        }
    }

    /** Reads one response framed by its Content-Length, leaving the connection for the next. */
    Response readResponse() throws IOException {
        String head = readHead();
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return new Response(status(head), head, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    /** Reads everything up to the end of input (a response with its body). */
    String readAll() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** The status code of a response head. */
    static int status(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** A masked frame, as a client must send it. */
    static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked) {
        ByteBuffer buffer = ByteBuffer.allocate(payload.length + 14);
        buffer.put((byte) ((fin ? 0x80 : 0) | opcode));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            buffer.put((byte) (maskBit | payload.length));
        } else if (payload.length < 65536) {
            buffer.put((byte) (maskBit | 126)).putShort((short) payload.length);
        } else {
            buffer.put((byte) (maskBit | 127)).putLong(payload.length);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        if (masked) {
            buffer.put(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            buffer.put(masked ? (byte) (payload[i] ^ mask[i & 3]) : payload[i]);
        }
        buffer.flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        send(frame(fin, opcode, payload, true));
    }

    void sendText(String text) throws IOException {
        sendFrame(true, 1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one (unmasked) frame. */
    Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] mask = null;
        if ((b1 & 0x80) != 0) {
            mask = in.readNBytes(4);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("frame cut short");
        }
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of input in a frame");
        }
        return b;
    }

    /** Reads frames until a close frame, skipping others. */
    Frame readClose() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == 8) {
                return frame;
            }
        }
    }

    /** Whether the peer closes (end of input or reset) within {@code timeout}, discarding what comes. */
    boolean closedWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] sink = new byte[4096];
        try {
            while (System.nanoTime() < deadline) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
