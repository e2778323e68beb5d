package ws.transport.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import ws.transport.tls.internal.InsecureTrustManager;
import ws.transport.tls.internal.KeyMaterial;

/** Where keys and trust come from, shared by the server and client configurations. */
final class Sources {
    /** The TLS versions this module speaks. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private Sources() {
    }

    static List<String> checkProtocols(String... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("at least one TLS version is needed: TLSv1.3 or TLSv1.2");
        }
        List<String> list = List.of(values);
        for (String value : list) {
            if (!PROTOCOLS.contains(value)) {
                throw new IllegalArgumentException("TLS version \"" + value + "\" is not allowed: only " + PROTOCOLS
                        + " (older versions are broken)");
            }
        }
        if (Set.copyOf(list).size() != list.size()) {
            throw new IllegalArgumentException("TLS versions repeat: " + list);
        }
        return list;
    }

    /** A private key and the certificate chain presented with it. */
    sealed interface Keys {
        KeyManager[] load() throws IOException, GeneralSecurityException;

        /** Files whose change means new keys. */
        List<Path> files();
    }

    record PemKeys(Path chain, Path key, char[] password) implements Keys {
        @Override
        public KeyManager[] load() throws IOException, GeneralSecurityException {
            List<X509Certificate> certificates = Pem.readCertificates(chain);
            PrivateKey privateKey = Pem.readPrivateKey(key, password);
            try {
                return KeyMaterial.keyManagers(certificates, privateKey);
            } catch (GeneralSecurityException e) {
                throw new GeneralSecurityException(key + " and " + chain + ": " + e.getMessage(), e);
            }
        }

        @Override
        public List<Path> files() {
            return List.of(chain, key);
        }
    }

    record KeyStoreFileKeys(Path file, char[] storePassword, char[] keyPassword) implements Keys {
        @Override
        public KeyManager[] load() throws IOException, GeneralSecurityException {
            return KeyMaterial.keyManagers(KeyMaterial.loadKeyStore(file, storePassword), keyPassword);
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }
    }

    record KeyStoreKeys(KeyStore store, char[] password) implements Keys {
        @Override
        public KeyManager[] load() throws GeneralSecurityException {
            return KeyMaterial.keyManagers(store, password);
        }

        @Override
        public List<Path> files() {
            return List.of();
        }
    }

    record MemoryKeys(List<X509Certificate> chain, PrivateKey key) implements Keys {
        MemoryKeys {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("the certificate chain is empty");
            }
        }

        @Override
        public KeyManager[] load() throws GeneralSecurityException {
            return KeyMaterial.keyManagers(chain, key);
        }

        @Override
        public List<Path> files() {
            return List.of();
        }
    }

    /** Which certificates of the peer are trusted. */
    sealed interface Trust {
        TrustManager[] load() throws IOException, GeneralSecurityException;

        List<Path> files();
    }

    /** The JDK's default trust store: the system's CA certificates. */
    record SystemTrust() implements Trust {
        @Override
        public TrustManager[] load() throws GeneralSecurityException {
            return KeyMaterial.systemTrust();
        }

        @Override
        public List<Path> files() {
            return List.of();
        }
    }

    /** The CA certificates of a PEM file. */
    record PemTrust(Path file) implements Trust {
        @Override
        public TrustManager[] load() throws IOException, GeneralSecurityException {
            return KeyMaterial.trust(Pem.readCertificates(file));
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }
    }

    record KeyStoreFileTrust(Path file, char[] password) implements Trust {
        @Override
        public TrustManager[] load() throws IOException, GeneralSecurityException {
            return KeyMaterial.trust(KeyMaterial.loadKeyStore(file, password));
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }
    }

    record KeyStoreTrust(KeyStore store) implements Trust {
        @Override
        public TrustManager[] load() throws GeneralSecurityException {
            return KeyMaterial.trust(store);
        }

        @Override
        public List<Path> files() {
            return List.of();
        }
    }

    record AnchorTrust(List<X509Certificate> anchors) implements Trust {
        AnchorTrust {
            anchors = List.copyOf(anchors);
        }

        @Override
        public TrustManager[] load() throws GeneralSecurityException {
            return KeyMaterial.trust(anchors);
        }

        @Override
        public List<Path> files() {
            return List.of();
        }
    }

    /** Trusts every certificate: development only. */
    record NoTrust() implements Trust {
        @Override
        public TrustManager[] load() {
            return new TrustManager[] {new InsecureTrustManager()};
        }

        @Override
        public List<Path> files() {
            return List.of();
        }
    }
}
