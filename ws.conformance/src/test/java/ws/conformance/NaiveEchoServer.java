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
    private final boolean closeTcp;
    private final boolean ignoreReserved;

    NaiveEchoServer() throws IOException {
        this(true, false);
    }

    /**
     * @param closeTcp       whether to close TCP after echoing a close frame (a server must)
     * @param ignoreReserved whether to drop frames with reserved opcodes silently instead of echoing them
     */
    NaiveEchoServer(boolean closeTcp, boolean ignoreReserved) throws IOException {
        this.closeTcp = closeTcp;
        this.ignoreReserved = ignoreReserved;
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

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            Http.Head request = Http.readHead(in, 8192);
            out.write(Http.serverResponse(request.header("Sec-WebSocket-Key"), List.of()));
            FrameReader reader = new FrameReader(in, 64 << 20);
            while (true) {
                RawFrame f = reader.read();
                if (ignoreReserved && (f.opcode() >= 3 && f.opcode() <= 7 || f.opcode() >= 11)) {
                    continue;
                }
                int opcode = f.opcode() == RawFrame.PING ? RawFrame.PONG : f.opcode();
                out.write(Frames.encode(f.fin(), f.rsv(), opcode, f.payload(), null));
                if (f.opcode() == RawFrame.CLOSE) {
                    if (!closeTcp) {
                        while (in.read() >= 0) {
                            // wait for the client to close
                        }
                    }
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
