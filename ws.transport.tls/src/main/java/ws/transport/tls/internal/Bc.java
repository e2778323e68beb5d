package ws.transport.tls.internal;

/**
 * Whether BouncyCastle, an optional dependency of this module ({@code requires static}), is
 * there: on the class path, or on the module path and resolved. Only development certificates
 * need it ({@link CertificateBuilder}); the check comes first so that its absence is a clear
 * message rather than a {@link NoClassDefFoundError} from deep inside.
 */
public final class Bc {
    private static final String PROBE = "org.bouncycastle.cert.X509v3CertificateBuilder";

    private Bc() {
    }

    /** Whether BouncyCastle's certificate builder (bcpkix, with bcprov and bcutil) can be loaded. */
    public static boolean available() {
        try {
            Class.forName(PROBE, false, Bc.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Throws an {@link IllegalStateException} naming what to add when BouncyCastle is not there. */
    public static void require(String feature) {
        if (!available()) {
            throw new IllegalStateException(feature + " need BouncyCastle, an optional dependency of ws.transport.tls: "
                    + "add org.bouncycastle:bcpkix-jdk18on (it brings bcprov and bcutil), and on the module path "
                    + "resolve it (requires org.bouncycastle.pkix, or --add-modules org.bouncycastle.pkix); "
                    + "or serve PEM files or a key store instead");
        }
    }
}
