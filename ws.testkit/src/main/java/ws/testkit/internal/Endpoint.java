package ws.testkit.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** The byte pipe under a raw peer: one end of a loopback link, or a real socket. */
public interface Endpoint {

    /**
     * Reads some bytes, waiting at most {@code timeoutNanos}.
     *
     * @return the count read, 0 when the time ran out, -1 at the end of input
     */
    int read(ByteBuffer dst, long timeoutNanos) throws IOException;

    /** Writes every remaining byte of {@code src}. */
    void write(ByteBuffer src) throws IOException;

    /** Bytes readable now without blocking (a lower bound). */
    int available() throws IOException;

    /** Sends FIN; reading goes on. */
    void shutdownOutput() throws IOException;

    /** Closes this end (the peer reads the end of input). Never throws. */
    void close();

    /** Drops the connection without FIN (a reset). Never throws. */
    void reset();

    /** For messages. */
    String describe();

    /** One end of a loopback link. */
    static Endpoint of(Pipe in, Pipe out, Runnable reset, String description) {
        return new Endpoint() {
            @Override
            public int read(ByteBuffer dst, long timeoutNanos) throws IOException {
                return in.read(dst, Math.max(0, timeoutNanos));
            }

            @Override
            public void write(ByteBuffer src) throws IOException {
                out.write(src);
            }

            @Override
            public int available() {
                return in.available();
            }

            @Override
            public void shutdownOutput() {
                out.finish();
            }

            @Override
            public void close() {
                out.closeWriter();
                in.closeReader();
            }

            @Override
            public void reset() {
                reset.run();
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** A connected socket (blocking streams; reads time out with SO_TIMEOUT). */
    static Endpoint of(Socket socket) {
        return new Endpoint() {
            @Override
            public int read(ByteBuffer dst, long timeoutNanos) throws IOException {
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000)));
                try {
                    int n = socket.getInputStream().read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                    return n;
                } catch (SocketTimeoutException e) {
                    return 0;
                }
            }

            @Override
            public void write(ByteBuffer src) throws IOException {
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            }

            @Override
            public int available() throws IOException {
                return socket.getInputStream().available();
            }

            @Override
            public void shutdownOutput() throws IOException {
                socket.shutdownOutput();
            }

            @Override
            public void close() {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }

            @Override
            public void reset() {
                try {
                    socket.setSoLinger(true, 0);
                } catch (IOException ignored) {
                    // closing anyway
                }
                close();
            }

            @Override
            public String describe() {
                return "socket " + socket.getLocalSocketAddress() + " -> " + socket.getRemoteSocketAddress();
            }
        };
    }
}
