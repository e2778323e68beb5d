package ws.transport.tls.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider instance of this module, made on first use and handed to
 * BouncyCastle's builders explicitly: it is never added to the JVM's provider list
 * ({@link java.security.Security#addProvider}), so it changes nothing for the rest of the
 * application.
 */
public final class Bc {
    private Bc() {
    }

    private static final class Holder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /** The provider instance (not registered). */
    public static Provider provider() {
        return Holder.PROVIDER;
    }
}
