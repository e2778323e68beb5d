package ws.transport.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Key managers and trust managers from key stores, key pairs and certificate lists (JDK only). */
public final class KeyMaterial {
    private static final char[] NO_PASSWORD = new char[0];

    private KeyMaterial() {
    }

    /** Key managers presenting {@code chain} (leaf first) with {@code key}. */
    public static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
        if (chain.isEmpty()) {
            throw new java.security.KeyStoreException("the certificate chain is empty");
        }
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())
                && !(key.getAlgorithm().equals("EC") && chain.get(0).getPublicKey().getAlgorithm().equals("ECDSA"))) {
            throw new java.security.KeyStoreException("the private key (" + key.getAlgorithm() + ") does not match the "
                    + "certificate's public key (" + chain.get(0).getPublicKey().getAlgorithm() + ") of "
                    + chain.get(0).getSubjectX500Principal().getName());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new java.security.KeyStoreException("cannot make an in-memory key store", e);
        }
        store.setKeyEntry("ws", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
        return keyManagers(store, NO_PASSWORD);
    }

    /** Key managers from a key store whose keys have {@code password}. */
    public static KeyManager[] keyManagers(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(store, password == null ? NO_PASSWORD : password);
        return factory.getKeyManagers();
    }

    /** A key store file (PKCS#12 or JKS: the JDK tells them apart). */
    public static KeyStore loadKeyStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new IOException("cannot open the key store " + file + ": wrong password", e);
            }
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(in, password);
                return store;
            } catch (IOException again) {
                throw new IOException("cannot open the key store " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Trust managers for the JDK's default trust store (the system's CA certificates). */
    public static TrustManager[] systemTrust() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return factory.getTrustManagers();
    }

    /** Trust managers trusting exactly the certificates of {@code store}. */
    public static TrustManager[] trust(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** Trust managers trusting exactly {@code anchors}. */
    public static TrustManager[] trust(List<X509Certificate> anchors) throws GeneralSecurityException {
        if (anchors.isEmpty()) {
            throw new java.security.KeyStoreException("no certificate to trust");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new java.security.KeyStoreException("cannot make an in-memory trust store", e);
        }
        int i = 0;
        for (X509Certificate anchor : anchors) {
            store.setCertificateEntry("ca-" + i++, anchor);
        }
        return trust(store);
    }
}
