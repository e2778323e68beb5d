package ws.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import ws.conformance.wire.FrameReader;
import ws.conformance.wire.Frames;
import ws.conformance.wire.Http;
import ws.conformance.wire.RawFrame;

/**
 * A deliberately non-conformant echo server for testing the suite itself: it echoes every data
 * frame as it came (RSV bits, reserved opcodes, invalid UTF-8 and all), answers pings, and echoes any
 * close frame. A suite that passes it on the failure cases is broken.
 */
final class NaiveEchoServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread acceptor;

    NaiveEchoServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "naive-echo");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread t = new Thread(() -> serve(s), "naive-echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            Http.Head request = Http.readHead(in, 8192);
            out.write(Http.serverResponse(request.header("Sec-WebSocket-Key"), List.of()));
            FrameReader reader = new FrameReader(in, 64 << 20);
            while (true) {
                RawFrame f = reader.read();
                int opcode = f.opcode() == RawFrame.PING ? RawFrame.PONG : f.opcode();
                out.write(Frames.encode(f.fin(), f.rsv(), opcode, f.payload(), null));
                if (f.opcode() == RawFrame.CLOSE) {
                    return;
                }
            }
        } catch (IOException e) {
            // connection over
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
