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
        KeyStore store = inMemoryStore();
        store.setEntry("ws", new KeyStore.PrivateKeyEntry(key, chain.toArray(new Certificate[0])), IN_MEMORY);
        return pkix(store);
    }

    /**
     * Key managers from a key store whose keys have {@code password}. The keys are decrypted once,
     * here, into an in-memory store, and the key manager remembers each key and chain it read
     * ({@link RememberingKeyManager}): the JDK's PKIX key manager reads the private key from its store
     * on every handshake, and a PKCS#12 key is encrypted with 10,000 rounds of PBKDF2 by default,
     * milliseconds of CPU per TLS handshake.
     *
     * @throws java.security.UnrecoverableKeyException if a key cannot be read with {@code password}
     */
    public static KeyManager[] keyManagers(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password == null ? NO_PASSWORD : password);
        KeyStore copy = inMemoryStore();
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getEntry(alias, protection) instanceof KeyStore.PrivateKeyEntry entry) {
                copy.setEntry(alias, entry, IN_MEMORY);
            }
        }
        return pkix(copy);
    }

    private static KeyManager[] pkix(KeyStore inMemory) throws GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(inMemory, NO_PASSWORD);
        KeyManager[] managers = factory.getKeyManagers();
        for (int i = 0; i < managers.length; i++) {
            if (managers[i] instanceof javax.net.ssl.X509ExtendedKeyManager x509) {
                managers[i] = new RememberingKeyManager(x509); // the key read once, not per handshake
            }
        }
        return managers;
    }

    /**
     * How a key is kept in a store that lives only in this process's memory: with no password, and
     * one round of key derivation (the default 10,000 would protect nothing here: the password is
     * empty, and the key is in the same memory anyway; for the same reason the salt is fixed).
     */
    private static final KeyStore.PasswordProtection IN_MEMORY = new KeyStore.PasswordProtection(NO_PASSWORD,
            "PBEWithHmacSHA256AndAES_256", new javax.crypto.spec.PBEParameterSpec(new byte[16], 1));

    private static KeyStore inMemoryStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new java.security.KeyStoreException("cannot make an in-memory key store", e);
        }
        return store;
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
