package ws.transport.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What a TLS server presents and whom it trusts: its certificate chain and private key (PEM files,
 * a PKCS#12 or JKS key store, or in memory), whether it asks clients for certificates, and the TLS
 * versions it speaks (TLS 1.3 and 1.2 only, with the JDK's default cipher suites, which are the
 * strong ones). Immutable; build with {@link #builder()} or the shortcuts.
 *
 * <p>Key material from files is reloaded without a restart: when a file changes (checked at most
 * every {@link #reloadCheckInterval()}, when a connection arrives), the next connections get the new
 * certificate; connections already open keep theirs. A file that does not load (half written, say)
 * leaves the previous certificate in use, with a warning.
 */
public final class TlsServerConfig {
    private final Sources.Keys keys;
    private final ClientAuth clientAuth;
    private final Sources.Trust clientTrust;
    private final List<String> protocols;
    private final Duration reloadCheckInterval;

    private TlsServerConfig(Builder builder) {
        if (builder.keys == null) {
            throw new IllegalStateException("a TLS server needs key material: call certificate(chain, key), "
                    + "keyStore(...) or keyMaterial(chain, key) on the builder");
        }
        this.keys = builder.keys;
        this.clientAuth = builder.clientAuth;
        this.clientTrust = builder.clientTrust != null ? builder.clientTrust : new Sources.SystemTrust();
        this.protocols = builder.protocols;
        this.reloadCheckInterval = builder.reloadCheckInterval;
    }

    /** A server presenting the chain in PEM file {@code chain} (leaf first) with the key in PEM file {@code key}. */
    public static TlsServerConfig pem(Path chain, Path key) {
        return builder().certificate(chain, key).build();
    }

    /** A server presenting the key entry of a PKCS#12 (or JKS) key store file, whose store and key share {@code password}. */
    public static TlsServerConfig keyStore(Path file, char[] password) {
        return builder().keyStore(file, password).build();
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether clients are asked for certificates. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The TLS versions, most preferred first. */
    public List<String> protocols() {
        return protocols;
    }

    /** How often, at most, the key files are checked for changes. */
    public Duration reloadCheckInterval() {
        return reloadCheckInterval;
    }

    /** The files whose change reloads the key material and client trust (empty for in-memory material). */
    public List<Path> watchedFiles() {
        List<Path> files = new ArrayList<>(keys.files());
        files.addAll(clientTrust.files());
        return List.copyOf(files);
    }

    /**
     * A new SSL context with the key material and client trust as they are now (files are read now).
     *
     * @throws IOException              when a file cannot be read or parsed (the message names it)
     * @throws GeneralSecurityException when the key does not fit the certificate, or a store is unusable
     */
    public SSLContext createContext() throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.load(), clientAuth == ClientAuth.NONE ? null : clientTrust.load(), null);
        return context;
    }

    @Override
    public String toString() {
        return "TlsServerConfig[" + keys.getClass().getSimpleName() + " " + keys.files() + ", clientAuth " + clientAuth
                + ", " + protocols + "]";
    }

    /** Collects a server configuration. */
    public static final class Builder {
        private Sources.Keys keys;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private Sources.Trust clientTrust;
        private List<String> protocols = Sources.PROTOCOLS;
        private Duration reloadCheckInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        /** The chain in PEM file {@code chain} (leaf first) and the unencrypted key in PEM file {@code key}. */
        public Builder certificate(Path chain, Path key) {
            return certificate(chain, key, null);
        }

        /** The chain in PEM file {@code chain} and the key in PEM file {@code key}, encrypted with {@code keyPassword}. */
        public Builder certificate(Path chain, Path key, char[] keyPassword) {
            keys = new Sources.PemKeys(Objects.requireNonNull(chain, "chain"), Objects.requireNonNull(key, "key"),
                    keyPassword == null ? null : keyPassword.clone());
            return this;
        }

        /** A PKCS#12 (or JKS) key store file whose store and key share {@code password}. */
        public Builder keyStore(Path file, char[] password) {
            return keyStore(file, password, password);
        }

        /** A PKCS#12 (or JKS) key store file, with the store's and the key's passwords. */
        public Builder keyStore(Path file, char[] storePassword, char[] keyPassword) {
            keys = new Sources.KeyStoreFileKeys(Objects.requireNonNull(file, "file"),
                    storePassword == null ? null : storePassword.clone(), keyPassword == null ? null : keyPassword.clone());
            return this;
        }

        /** A loaded key store (not reloaded), whose keys have {@code keyPassword}. */
        public Builder keyStore(KeyStore store, char[] keyPassword) {
            keys = new Sources.KeyStoreKeys(Objects.requireNonNull(store, "store"),
                    keyPassword == null ? null : keyPassword.clone());
            return this;
        }

        /** A chain (leaf first) and key in memory (not reloaded). */
        public Builder keyMaterial(List<X509Certificate> chain, PrivateKey key) {
            keys = new Sources.MemoryKeys(chain, Objects.requireNonNull(key, "key"));
            return this;
        }

        /** Whether to ask clients for certificates; {@link ClientAuth#NONE} by default. */
        public Builder clientAuth(ClientAuth value) {
            clientAuth = Objects.requireNonNull(value, "clientAuth");
            return this;
        }

        /** Client certificates must chain to a CA certificate of this PEM file (else: the system's CAs). */
        public Builder trustedClientCertificates(Path pem) {
            clientTrust = new Sources.PemTrust(Objects.requireNonNull(pem, "pem"));
            return this;
        }

        /** Client certificates must chain to one of these certificates. */
        public Builder trustedClientCertificates(List<X509Certificate> anchors) {
            clientTrust = new Sources.AnchorTrust(anchors);
            return this;
        }

        /** Client certificates must chain to a certificate of this trust store. */
        public Builder clientTrustStore(KeyStore store) {
            clientTrust = new Sources.KeyStoreTrust(Objects.requireNonNull(store, "store"));
            return this;
        }

        /** The TLS versions to speak, among {@code TLSv1.3} and {@code TLSv1.2} (both by default). */
        public Builder protocols(String... values) {
            protocols = Sources.checkProtocols(values);
            return this;
        }

        /**
         * How often, at most, to check the files for changes when connections arrive (1 s by default;
         * {@link Duration#ZERO}: on every connection).
         */
        public Builder reloadCheckInterval(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("reloadCheckInterval " + value + " is negative");
            }
            reloadCheckInterval = value;
            return this;
        }

        /**
         * The configuration; the files are read when a server starts with it.
         *
         * @throws IllegalStateException without key material
         */
        public TlsServerConfig build() {
            return new TlsServerConfig(this);
        }
    }
}
