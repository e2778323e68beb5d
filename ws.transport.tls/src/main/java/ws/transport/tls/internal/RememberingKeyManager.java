package ws.transport.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The JDK's PKIX key manager over one in-memory key store, with each entry's key and chain read from
 * the store once. That manager reads them again on every handshake: its own cache is keyed by the
 * alias it returns, and it makes a new one for each choice ({@code uid.builder.alias}, the uid a
 * counter). Here they are remembered by the part that names the entry, after the uid. Choosing an
 * alias stays the PKIX manager's (validity, key usage, SNI).
 */
final class RememberingKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager delegate;
    private final ConcurrentHashMap<String, PrivateKey> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, X509Certificate[]> chains = new ConcurrentHashMap<>();

    RememberingKeyManager(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
    }

    /** The entry an alias names: without a leading {@code digits.} (the choice's uid), if it has one. */
    static String entry(String alias) {
        int dot = alias.indexOf('.');
        if (dot <= 0) {
            return alias;
        }
        for (int i = 0; i < dot; i++) {
            if (alias.charAt(i) < '0' || alias.charAt(i) > '9') {
                return alias;
            }
        }
        return alias.substring(dot + 1);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (alias == null) {
            return null;
        }
        PrivateKey key = keys.get(entry(alias));
        if (key == null) {
            key = delegate.getPrivateKey(alias);
            if (key != null) {
                keys.putIfAbsent(entry(alias), key);
            }
        }
        return key;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        if (alias == null) {
            return null;
        }
        X509Certificate[] chain = chains.get(entry(alias));
        if (chain == null) {
            chain = delegate.getCertificateChain(alias);
            if (chain == null) {
                return null;
            }
            chains.putIfAbsent(entry(alias), chain.clone());
        }
        return chain.clone();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return delegate.chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }
}
