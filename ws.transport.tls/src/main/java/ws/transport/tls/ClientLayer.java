package ws.transport.tls;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for a client's connected socket, on the connection's own thread: SNI with the URI's host
 * name, host name verification (RFC 2818 rules, as HTTPS does), the handshake bounded by the
 * handshake timeout as a whole (a timer closes the socket at the deadline; a read timeout alone
 * would let a server that trickles bytes go on forever).
 */
final class ClientLayer implements ws.transport.blocking.layer.ClientLayer {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLayer.class);

    private final TlsClientConfig config;
    /** The client's handshake timeout: the TLS handshake must be done within it. */
    private final Duration timeout;
    private final SSLContext context;
    private final AtomicBoolean warned = new AtomicBoolean();
    /** The TLS sockets and engines whose server asked for a client certificate, during their handshake. */
    private final java.util.Map<Object, Boolean> requested = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param config  what to trust and show
     * @param timeout the client's handshake timeout
     * @throws IllegalArgumentException when the trust or key files do not load (the message names them)
     */
    public ClientLayer(TlsClientConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
        try {
            this.context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new RequestRecorder(config.keyManagers())}, config.trustManagers(), null);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + config + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs on the connection's own thread, over TCP and the layers below (a proxy tunnel): SNI and
     * host name verification name {@code target}, the origin.
     */
    @Override
    public Socket open(Socket connected, java.net.InetSocketAddress target) throws IOException {
        String host = target.getHostString();
        int port = target.getPort();
        warnIfInsecure(host, port);
        SocketAddress peer = connected.getRemoteSocketAddress();
        String peerName = "server " + host + ":" + port;
        long start = System.nanoTime();
        SSLSocket layered = null;
        ScheduledFuture<?> deadline = Deadlines.TIMER.schedule(() -> closeQuietly(connected), timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        try {
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
            layered = ssl;
            ssl.setSSLParameters(configure(ssl.getSSLParameters(), host));
            ssl.setSoTimeout(ServerLayer.millis(timeout));
            ssl.startHandshake();
            ssl.setSoTimeout(0);
            if (LOG.isDebugEnabled()) {
                LOG.debug("TLS handshake with {} done: {} {}", peerName, ssl.getSession().getProtocol(),
                        ssl.getSession().getCipherSuite());
            }
            return ssl;
        } catch (IOException e) {
            boolean late = deadline.isDone() || Failures.late(start, timeout.toNanos());
            TlsHandshakeException named = failed(e, layered, peer, peerName, late);
            closeQuietly(connected);
            throw named;
        } finally {
            deadline.cancel(false);
            asked(layered);
        }
    }

    /** Our protocols, host name verification and SNI for {@code host} on {@code parameters} (a socket's or an engine's). */
    SSLParameters configure(SSLParameters parameters, String host) {
        parameters.setProtocols(config.protocols().toArray(new String[0]));
        if (config.hostnameVerification()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(host)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException notADnsName) {
                LOG.debug("no SNI for {}: {}", host, notADnsName.getMessage());
            }
        }
        return parameters;
    }

    /** The context every connection of this client shares (and with it the cache of sessions to resume). */
    SSLContext context() {
        return context;
    }

    /** The client's handshake timeout. */
    Duration timeout() {
        return timeout;
    }

    /**
     * A failed handshake of {@code connection} (an {@code SSLSocket} or {@code SSLEngine}), named and
     * logged: a server that asked for a certificate we do not have and ended the handshake (with an
     * alert, or by closing before we could read it) is named for that.
     */
    TlsHandshakeException failed(IOException error, Object connection, SocketAddress peer, String peerName, boolean late) {
        TlsHandshakeException named = Failures.describe(error, true, peer, peerName, timeout, late,
                config.hasClientCertificate());
        if (asked(connection) && !config.hasClientCertificate() && named.reason() != TlsHandshakeException.Reason.TIMEOUT
                && named.reason() != TlsHandshakeException.Reason.UNTRUSTED
                && named.reason() != TlsHandshakeException.Reason.EXPIRED
                && named.reason() != TlsHandshakeException.Reason.NOT_YET_VALID
                && named.reason() != TlsHandshakeException.Reason.HOSTNAME_MISMATCH) {
            named = new TlsHandshakeException(TlsHandshakeException.Reason.CLIENT_CERTIFICATE_REQUIRED, peer,
                    "TLS handshake with " + peerName + " failed: the server requires a client certificate and "
                            + "none was configured", error);
        }
        LOG.info("{}", named.getMessage());
        return named;
    }

    /** Whether the server asked for a client certificate on this TLS socket or engine (and forgets it). */
    boolean asked(Object connection) {
        return connection != null && requested.remove(connection) != null;
    }

    /** Warns once that certificate checks are off (insecure mode). */
    void warnIfInsecure(String host, int port) {
        if (config.isInsecure() && warned.compareAndSet(false, true)) {
            LOG.warn("TLS certificate checks are OFF (insecure mode, development only): the server at {}:{} and every "
                    + "server after it is trusted without any check", host, port);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    /** An IPv4 dotted quad or an IPv6 literal, told apart without any name lookup. */
    static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    @Override
    public String toString() {
        return "TLS client layer " + config;
    }

    /**
     * The client's key manager, or one with no key, that notes when a server asks for a client
     * certificate (a CertificateRequest): a handshake that then fails without one has its reason.
     */
    private final class RequestRecorder extends X509ExtendedKeyManager {
        private final X509KeyManager delegate;

        RequestRecorder(KeyManager[] managers) {
            X509KeyManager found = null;
            if (managers != null) {
                for (KeyManager manager : managers) {
                    if (manager instanceof X509KeyManager x509) {
                        found = x509;
                        break;
                    }
                }
            }
            this.delegate = found;
        }

        private void noteRequest(Object connection) {
            if (connection != null) {
                requested.put(connection, Boolean.TRUE);
            }
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            noteRequest(socket);
            return delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            noteRequest(engine);
            return delegate instanceof X509ExtendedKeyManager extended
                    ? extended.chooseEngineClientAlias(keyType, issuers, engine) : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate == null ? null : delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate == null ? null : delegate.getPrivateKey(alias);
        }
    }

    /** One daemon thread that closes sockets whose client handshake overran; made on first use. */
    private static final class Deadlines {
        static final ScheduledThreadPoolExecutor TIMER = make();

        private static ScheduledThreadPoolExecutor make() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().daemon(true).name("ws-tls-deadlines").factory());
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
