package ws.transport.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * How a client checks the servers it connects to over {@code wss://}, and the certificate it shows
 * when a server asks (mutual TLS). By default: the system's trust store (the JDK's CA
 * certificates), host name verification and SNI on, TLS 1.3 and 1.2 only.
 *
 * <p>{@link Builder#insecure()} turns every check off, for development against a server with a
 * self-signed certificate; the first connection made with such a configuration logs a warning.
 */
public final class TlsClientConfig {
    private static final TlsClientConfig SYSTEM = builder().build();

    private final Sources.Trust trust;
    private final Sources.Keys keys;
    private final boolean hostnameVerification;
    private final List<String> protocols;

    private TlsClientConfig(Builder builder) {
        this.trust = builder.trust;
        this.keys = builder.keys;
        this.hostnameVerification = builder.hostnameVerification && !(builder.trust instanceof Sources.NoTrust);
        this.protocols = builder.protocols;
    }

    /** The defaults: the system's trust store, host name verification, no client certificate. */
    public static TlsClientConfig systemDefault() {
        return SYSTEM;
    }

    /** Trusting exactly the CA certificates of a PEM file, with host name verification. */
    public static TlsClientConfig trusting(Path caPem) {
        return builder().trustedCertificates(caPem).build();
    }

    /** Trusting every server: development only (a warning is logged once). */
    public static TlsClientConfig insecure() {
        return builder().insecure().build();
    }

    /** A builder, starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the server's certificate must name the host connected to (RFC 2818 / RFC 6125 rules). */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** Whether every certificate is trusted (development only). */
    public boolean isInsecure() {
        return trust instanceof Sources.NoTrust;
    }

    /** Whether a client certificate is configured. */
    public boolean hasClientCertificate() {
        return keys != null;
    }

    /** The TLS versions, most preferred first. */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * A new SSL context with this trust and client certificate (files are read now).
     *
     * @throws IOException              when a file cannot be read or parsed (the message names it)
     * @throws GeneralSecurityException when a store is unusable or the key does not fit its certificate
     */
    public SSLContext createContext() throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), trustManagers(), null);
        return context;
    }

    /** The key managers for the client certificate (files are read now), or {@code null} without one. */
    public KeyManager[] keyManagers() throws IOException, GeneralSecurityException {
        return keys == null ? null : keys.load();
    }

    /** The trust managers that check servers (files are read now). */
    public TrustManager[] trustManagers() throws IOException, GeneralSecurityException {
        return trust.load();
    }

    @Override
    public String toString() {
        return "TlsClientConfig[" + trust.getClass().getSimpleName() + (keys == null ? "" : ", client certificate")
                + (hostnameVerification ? "" : ", no host name verification") + ", " + protocols + "]";
    }

    /** Collects a client configuration. */
    public static final class Builder {
        private Sources.Trust trust = new Sources.SystemTrust();
        private Sources.Keys keys;
        private boolean hostnameVerification = true;
        private List<String> protocols = Sources.PROTOCOLS;

        private Builder() {
        }

        /** Trusts exactly the CA certificates of this PEM file (not the system's). */
        public Builder trustedCertificates(Path caPem) {
            trust = new Sources.PemTrust(Objects.requireNonNull(caPem, "caPem"));
            return this;
        }

        /** Trusts exactly these certificates (not the system's). */
        public Builder trustedCertificates(List<X509Certificate> anchors) {
            trust = new Sources.AnchorTrust(anchors);
            return this;
        }

        /** Trusts exactly the certificates of this trust store. */
        public Builder trustStore(KeyStore store) {
            trust = new Sources.KeyStoreTrust(Objects.requireNonNull(store, "store"));
            return this;
        }

        /** Trusts exactly the certificates of this trust store file (PKCS#12 or JKS). */
        public Builder trustStore(Path file, char[] password) {
            trust = new Sources.KeyStoreFileTrust(Objects.requireNonNull(file, "file"),
                    password == null ? null : password.clone());
            return this;
        }

        /** Trusts every server certificate and checks no host name: development only. */
        public Builder insecure() {
            trust = new Sources.NoTrust();
            return this;
        }

        /**
         * Whether the server's certificate must name the host (on by default). Turning it off is for
         * servers reached by an address their certificate does not name; the chain is still checked.
         */
        public Builder hostnameVerification(boolean value) {
            hostnameVerification = value;
            return this;
        }

        /** The client certificate (PEM chain, leaf first) and its unencrypted PEM key, shown when a server asks. */
        public Builder clientCertificate(Path chain, Path key) {
            return clientCertificate(chain, key, null);
        }

        /** The client certificate and its PEM key encrypted with {@code keyPassword}. */
        public Builder clientCertificate(Path chain, Path key, char[] keyPassword) {
            keys = new Sources.PemKeys(Objects.requireNonNull(chain, "chain"), Objects.requireNonNull(key, "key"),
                    keyPassword == null ? null : keyPassword.clone());
            return this;
        }

        /** The client certificate from a PKCS#12 (or JKS) key store file whose store and key share {@code password}. */
        public Builder clientKeyStore(Path file, char[] password) {
            keys = new Sources.KeyStoreFileKeys(Objects.requireNonNull(file, "file"),
                    password == null ? null : password.clone(), password == null ? null : password.clone());
            return this;
        }

        /** The client certificate in memory (chain leaf first). */
        public Builder clientCertificate(List<X509Certificate> chain, PrivateKey key) {
            keys = new Sources.MemoryKeys(chain, Objects.requireNonNull(key, "key"));
            return this;
        }

        /** The TLS versions to speak, among {@code TLSv1.3} and {@code TLSv1.2} (both by default). */
        public Builder protocols(String... values) {
            protocols = Sources.checkProtocols(values);
            return this;
        }

        /** The configuration; files are read when a client is made with it. */
        public TlsClientConfig build() {
            return new TlsClientConfig(this);
        }
    }
}
