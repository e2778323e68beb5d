package ws.benchmark.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for one non-blocking connection of the load generator: an {@link SSLEngine} between the
 * generator's plaintext buffers and the socket. Nothing here blocks: {@link #handshake} moves the
 * handshake on with what has arrived, {@link #read} unwraps what the socket has, {@link #write} wraps
 * and writes what the socket takes, keeping the rest ({@link #pending}) for {@link #flush} when the
 * socket is writable again. Records that arrive after the handshake (TLS 1.3 session tickets, key
 * updates) are handled on the way. The engine's delegated tasks run on the calling thread.
 *
 * <p>Plaintext is unwrapped straight into the caller's buffer when it has room for a whole record;
 * otherwise into a buffer of its own, handed over on this and the next reads ({@link #buffered}
 * says when bytes wait there or as ciphertext: the selector will not announce them again).
 */
final class TlsWire {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final ByteChannel channel;
    private final int applicationSize;
    /** Ciphertext read and not yet unwrapped (fill mode). */
    private final ByteBuffer netIn;
    /** Ciphertext wrapped and not yet written (fill mode). */
    private final ByteBuffer netOut;
    /** Plaintext unwrapped and not yet handed over (read mode); allocated when first needed. */
    private ByteBuffer appIn = EMPTY;
    private boolean handshaking = true;

    /**
     * @param engine  a client-mode engine, not started
     * @param channel the connected socket, non-blocking
     */
    TlsWire(SSLEngine engine, ByteChannel channel) {
        this.engine = engine;
        this.channel = channel;
        int packet = engine.getSession().getPacketBufferSize();
        this.applicationSize = engine.getSession().getApplicationBufferSize();
        this.netIn = ByteBuffer.allocateDirect(2 * packet);
        this.netOut = ByteBuffer.allocateDirect(4 * packet);
    }

    /**
     * A client engine of {@code context} for a server at {@code host}:{@code port}, its certificate
     * checked against {@code host} (a name or an IP address), TLS 1.3.
     */
    static SSLEngine clientEngine(SSLContext context, String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {"TLSv1.3"});
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** A client context that trusts the certificates of a PEM file (a benchmark's self-signed one), and no other. */
    static SSLContext trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("bench-" + n++, certificate);
            }
            if (n == 0) {
                throw new IOException("no certificate in " + pem);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + pem + ": " + e.getMessage(), e);
        }
    }

    /** Starts the handshake: the ClientHello is written (or {@link #pending}). */
    void begin() throws IOException {
        engine.beginHandshake();
        handshake();
    }

    /** True until the handshake has finished. */
    boolean handshaking() {
        return handshaking;
    }

    /**
     * Moves the handshake on as far as what has arrived allows, writing what it produces; true once
     * it has finished (then {@link #read} and {@link #write} carry application data).
     */
    boolean handshake() throws IOException {
        while (handshaking) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    if (!wrapControl()) {
                        return false; // the socket is full: the rest when it is writable
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapHandshake()) {
                        flush();
                        return false; // waiting for the server
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> handshaking = false;
            }
        }
        flush();
        return true;
    }

    /** One unwrap while handshaking; false when it needs bytes the socket does not have yet. */
    private boolean unwrapHandshake() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, spill());
            } finally {
                netIn.compact();
            }
            appIn.flip();
            switch (result.getStatus()) {
                case OK -> {
                    return true;
                }
                case CLOSED -> throw new IOException("the server closed TLS during the handshake");
                case BUFFER_OVERFLOW -> throw new IOException("TLS record larger than the session's buffer");
                case BUFFER_UNDERFLOW -> {
                    if (fill() <= 0) {
                        return false;
                    }
                }
            }
        }
    }

    /** The plaintext buffer as an unwrap target (fill mode, after what it already holds). */
    private ByteBuffer spill() {
        if (appIn.capacity() < applicationSize) {
            ByteBuffer bigger = ByteBuffer.allocate(applicationSize);
            bigger.put(appIn);
            appIn = bigger;
        } else {
            appIn.compact();
        }
        return appIn;
    }

    /** Reads ciphertext from the socket: bytes read, 0 when it has none, or an exception at its end. */
    private int fill() throws IOException {
        if (!netIn.hasRemaining()) {
            throw new IOException("TLS record larger than " + netIn.capacity() + " bytes");
        }
        int n = channel.read(netIn);
        if (n < 0) {
            throw new IOException("the server closed the connection" + (handshaking ? " during the TLS handshake" : ""));
        }
        return n;
    }

    /** Wraps a handshake or post-handshake message; false when the socket cannot take it yet. */
    private boolean wrapControl() throws IOException {
        SSLEngineResult result = engine.wrap(EMPTY, netOut);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            flush();
            return netOut.position() == 0 && engine.wrap(EMPTY, netOut).getStatus() == SSLEngineResult.Status.OK;
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("TLS closed");
        }
        return true;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** After an unwrap or wrap of data: what the engine asks for besides (a key update's answer, tasks). */
    private void afterData() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    if (!wrapControl()) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /**
     * Unwraps what has arrived into {@code dst} (plaintext), reading the socket as needed until it
     * has no more or {@code dst} is full: the bytes produced, or -1 when the server ended the
     * connection (TLS close or TCP end) and nothing was left to hand over.
     */
    int read(ByteBuffer dst) throws IOException {
        int produced = drain(dst);
        while (dst.hasRemaining()) {
            if (appIn.hasRemaining()) {
                return produced;
            }
            netIn.flip();
            if (!netIn.hasRemaining()) {
                netIn.clear();
                int n = channel.read(netIn);
                if (n < 0) {
                    return produced > 0 ? produced : -1;
                }
                if (n == 0) {
                    return produced;
                }
                continue;
            }
            boolean direct = dst.remaining() >= applicationSize;
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, direct ? dst : spill());
            } finally {
                netIn.compact();
                if (!direct) {
                    appIn.flip();
                }
            }
            produced += direct ? result.bytesProduced() : drain(dst);
            switch (result.getStatus()) {
                case OK -> afterData();
                case CLOSED -> {
                    return produced > 0 ? produced : -1;
                }
                case BUFFER_OVERFLOW -> throw new IOException("TLS record larger than the session's buffer");
                case BUFFER_UNDERFLOW -> {
                    int n = fill();
                    if (n == 0) {
                        return produced;
                    }
                }
            }
        }
        return produced;
    }

    private int drain(ByteBuffer dst) {
        int n = Math.min(appIn.remaining(), dst.remaining());
        if (n > 0) {
            dst.put(dst.position(), appIn, appIn.position(), n);
            dst.position(dst.position() + n);
            appIn.position(appIn.position() + n);
        }
        return n;
    }

    /** Bytes received and not yet handed over (plaintext, or ciphertext not yet unwrapped). */
    boolean buffered() {
        return appIn.hasRemaining() || netIn.position() > 0;
    }

    /**
     * Wraps as much of {@code src} as fits (one record per 16 KiB) and writes it: the plaintext bytes
     * taken. Ciphertext the socket did not take stays {@link #pending}.
     */
    int write(ByteBuffer src) throws IOException {
        int consumed = 0;
        int packet = engine.getSession().getPacketBufferSize();
        while (src.hasRemaining()) {
            if (netOut.remaining() < packet) {
                flush();
                if (netOut.remaining() < packet) {
                    break;
                }
            }
            SSLEngineResult result = engine.wrap(src, netOut);
            consumed += result.bytesConsumed();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new IOException("TLS closed");
            }
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
            afterData();
        }
        flush();
        return consumed;
    }

    /** Writes pending ciphertext, as much as the socket takes now. */
    void flush() throws IOException {
        if (netOut.position() == 0) {
            return;
        }
        netOut.flip();
        try {
            channel.write(netOut);
        } finally {
            netOut.compact();
        }
    }

    /** Ciphertext waits for the socket to take it. */
    boolean pending() {
        return netOut.position() > 0;
    }
}
