package ws.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.transport.blocking.internal.ChannelAcceptLayer;
import ws.transport.stream.Wire;

/**
 * TLS for a server's accepted connections, on each connection's own thread: it reads the first byte
 * (a TLS handshake record starts with 22; a plaintext HTTP request gets a 400 in plain text and is
 * closed), then runs the handshake under the timeout. The socket transports' servers take the wire it
 * makes over the accepted channel ({@link #open}: an {@link EngineWire}); {@link #wrap} gives an
 * {@code SSLSocket} to whoever asks for a socket. The SSL context is swapped atomically when the key
 * files change.
 */
final class ServerLayer implements ChannelAcceptLayer {
    /** Bytes read at once to see the first one: a ClientHello fits, usually (the engine reads the rest). */
    private static final int FIRST_READ = 512;
    /** A handshake whose channel was closed this close to its timeout was closed by the server's timer. */
    private static final long TIMER_SLACK_NANOS = 100_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(ServerLayer.class);
    /** The content type of a TLS handshake record (RFC 8446 section 5.1). */
    static final int HANDSHAKE_RECORD = 22;

    private final TlsServerConfig config;
    /** The connections' handshake timeout, which bounds the TLS handshake too. */
    private final Duration timeout;
    private final List<Path> watched;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Loaded current;

    /** What is in use: the context and the state of the files it was made from. */
    private record Loaded(SSLContext context, List<Object> stamps, long checkedNanos) {
    }

    /**
     * Loads the key material now, so that a server with unreadable files fails to start.
     *
     * @param timeout the connections' handshake timeout (the connection's timer closes the socket then;
     *                this layer also names the failure)
     * @throws IOException naming the file and the problem
     */
    public ServerLayer(TlsServerConfig config, Duration timeout) throws IOException {
        this.config = config;
        this.timeout = timeout;
        this.watched = config.watchedFiles();
        List<Object> stamps = stamps();
        this.current = new Loaded(create(), stamps, System.nanoTime());
    }

    private SSLContext create() throws IOException {
        try {
            return config.createContext();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from " + config + ": " + e.getMessage(), e);
        }
    }

    private List<Object> stamps() {
        List<Object> stamps = new ArrayList<>(watched.size());
        for (Path file : watched) {
            try {
                stamps.add(List.of(Files.getLastModifiedTime(file), Files.size(file)));
            } catch (IOException e) {
                stamps.add("missing");
            }
        }
        return stamps;
    }

    /** The context for a new connection, reloaded first when a watched file changed. */
    SSLContext context() {
        Loaded loaded = current;
        if (watched.isEmpty() || System.nanoTime() - loaded.checkedNanos() < config.reloadCheckInterval().toNanos()
                || !reloading.tryLock()) {
            return loaded.context();
        }
        try {
            loaded = current;
            List<Object> stamps = stamps();
            if (stamps.equals(loaded.stamps())) {
                current = new Loaded(loaded.context(), loaded.stamps(), System.nanoTime());
                return loaded.context();
            }
            try {
                SSLContext fresh = create();
                current = new Loaded(fresh, stamps, System.nanoTime());
                LOG.info("TLS certificate reloaded from {}: new connections use it", watched);
                return fresh;
            } catch (IOException | RuntimeException e) {
                // keep serving with the old certificate; try again when the files change again
                current = new Loaded(loaded.context(), stamps, System.nanoTime());
                LOG.warn("TLS certificate files {} changed but do not load ({}); still using the previous certificate",
                        watched, e.getMessage());
                return loaded.context();
            }
        } finally {
            reloading.unlock();
        }
    }

    /**
     * Reloads the key material now, whatever the files' times say.
     *
     * @throws IOException when it does not load (the previous certificate stays in use)
     */
    public void reload() throws IOException {
        reloading.lock();
        try {
            List<Object> stamps = stamps();
            SSLContext fresh = create();
            current = new Loaded(fresh, stamps, System.nanoTime());
            LOG.info("TLS certificate reloaded from {}", watched.isEmpty() ? config : watched);
        } finally {
            reloading.unlock();
        }
    }

    /** Runs on the connection's own thread, under its handshake timer. */
    @Override
    public Socket wrap(Socket accepted) throws IOException {
        long start = System.nanoTime();
        SocketAddress peer = accepted.getRemoteSocketAddress();
        String peerName = "client " + peer;
        SSLContext context = context();
        try {
            accepted.setSoTimeout(millis(timeout));
            InputStream in = accepted.getInputStream();
            int first = in.read();
            if (first < 0) {
                throw new TlsHandshakeException(TlsHandshakeException.Reason.CLOSED, peer, "TLS handshake with "
                        + peerName + " failed: the client closed the connection before its ClientHello", null);
            }
            if (first != HANDSHAKE_RECORD) {
                refusePlaintext(accepted, first);
                throw notTls(peer, first);
            }
            SSLSocket ssl = (SSLSocket) context.getSocketFactory()
                    .createSocket(accepted, new ByteArrayInputStream(new byte[] {(byte) first}), true);
            ssl.setSSLParameters(configure(ssl.getSSLParameters()));
            ssl.startHandshake();
            ssl.setSoTimeout(0);
            if (LOG.isDebugEnabled()) {
                LOG.debug("TLS handshake with {} done: {} {}", peerName, ssl.getSession().getProtocol(),
                        ssl.getSession().getCipherSuite());
            }
            return ssl;
        } catch (IOException e) {
            throw failed(e, peer, Failures.late(start, timeout.toNanos()));
        }
    }

    /**
     * Runs on the connection's own thread, under its handshake timer (which closes the channel at the
     * timeout): the first bytes, then the handshake on the channel, in blocking mode.
     */
    @Override
    public Wire open(SocketChannel accepted) throws IOException {
        long start = System.nanoTime();
        SocketAddress peer = accepted.getRemoteAddress();
        ByteBuffer first = ByteBuffer.allocate(FIRST_READ);
        try {
            if (accepted.read(first) < 0) {
                throw new TlsHandshakeException(TlsHandshakeException.Reason.CLOSED, peer, "TLS handshake with client "
                        + peer + " failed: the client closed the connection before its ClientHello", null);
            }
            int type = first.get(0) & 0xff;
            if (type != HANDSHAKE_RECORD) {
                refusePlaintext(accepted.socket(), type);
                throw notTls(peer, type);
            }
        } catch (IOException e) {
            throw failed(e, peer, timedOut(accepted, start));
        }
        WireBuffers buffers = new WireBuffers();
        EngineChannel tls;
        try {
            tls = new EngineChannel(newEngine(), accepted, buffers, () -> { },
                    (error, late) -> failed(error, peer, late || timedOut(accepted, start)), timeout.toNanos(),
                    EngineChannel.INLINE);
        } catch (IOException e) {
            throw failed(e, peer, false);
        }
        EngineWire wire = new EngineWire(accepted, tls, buffers);
        wire.handshake(first.flip()); // a failure is named and logged by the engine channel
        if (LOG.isDebugEnabled()) {
            SSLSession session = wire.tlsSession().orElseThrow();
            LOG.debug("TLS handshake with client {} done: {} {}", peer, session.getProtocol(), session.getCipherSuite());
        }
        return wire;
    }

    /** Whether the handshake begun at {@code startNanos} failed at its timeout: late, or its channel closed by the timer. */
    private boolean timedOut(SocketChannel channel, long startNanos) {
        return Failures.late(startNanos, timeout.toNanos())
                || (!channel.isOpen() && Failures.late(startNanos, timeout.toNanos() - TIMER_SLACK_NANOS));
    }

    /** A server engine of the current context (reloaded when its files changed), with our parameters. */
    SSLEngine newEngine() {
        SSLEngine engine = context().createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(configure(engine.getSSLParameters()));
        return engine;
    }

    /** Our protocols, cipher order and client authentication on {@code parameters} (a socket's or an engine's). */
    SSLParameters configure(SSLParameters parameters) {
        parameters.setProtocols(config.protocols().toArray(new String[0]));
        parameters.setUseCipherSuitesOrder(true);
        if (config.clientAuth() == ClientAuth.NEED) {
            parameters.setNeedClientAuth(true);
        } else if (config.clientAuth() == ClientAuth.WANT) {
            parameters.setWantClientAuth(true);
        }
        return parameters;
    }

    /** A failed handshake with the client at {@code peer}, named and logged. */
    TlsHandshakeException failed(IOException error, SocketAddress peer, boolean late) {
        TlsHandshakeException named = Failures.describe(error, false, peer, "client " + peer, timeout, late, false);
        if (named.reason() == TlsHandshakeException.Reason.CLOSED) {
            // port scanners and load balancer health checks connect and leave: not worth more than debug
            LOG.debug("{}", named.getMessage());
        } else {
            LOG.info("{}", named.getMessage());
        }
        return named;
    }

    /** The connections' handshake timeout, which bounds the TLS handshake. */
    Duration timeout() {
        return timeout;
    }

    /** The failure of a connection from {@code peer} whose first byte is not a TLS handshake record. */
    static TlsHandshakeException notTls(SocketAddress peer, int first) {
        return new TlsHandshakeException(TlsHandshakeException.Reason.NOT_TLS, peer, "TLS handshake with client "
                + peer + " failed: the client did not speak TLS (first byte " + describeByte(first)
                + ", a TLS handshake record starts with 0x16): a plaintext request on a TLS port", null);
    }

    /** The plain-text 400 a plaintext HTTP request on a TLS port gets, or null for other first bytes. */
    static byte[] plaintextAnswer(int first) {
        if (first < 'A' || first > 'Z') {
            return null;
        }
        byte[] body = "This port speaks TLS: connect with wss:// (or https://).\n".getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] all = java.util.Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + body.length);
        System.arraycopy(body, 0, all, head.length(), body.length);
        return all;
    }

    /**
     * Answers a plaintext HTTP request with 400 in plain text, so that a browser or curl says why,
     * then closes after reading what the client still sends (briefly), so that the answer is not lost
     * to a reset.
     */
    private static void refusePlaintext(Socket socket, int first) {
        byte[] answer = plaintextAnswer(first);
        if (answer == null) {
            return;
        }
        try {
            OutputStream out = socket.getOutputStream();
            out.write(answer);
            out.flush();
            socket.shutdownOutput();
            // drain for at most a second and 64 KiB, however slowly the client sends
            long deadline = System.nanoTime() + 1_000_000_000L;
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[4096];
            int total = 0;
            int n = 0;
            while (total < 65536 && n >= 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) left);
                n = in.read(sink);
                total += Math.max(n, 0);
            }
        } catch (IOException ignored) {
            // the client went away first: nothing more to tell it
        }
    }

    private static String describeByte(int value) {
        String hex = String.format("0x%02x", value);
        return value >= 0x20 && value < 0x7f ? hex + " '" + (char) value + "'" : hex;
    }

    static int millis(Duration timeout) {
        long millis = timeout.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    @Override
    public String toString() {
        return "TLS server layer " + config;
    }
}
