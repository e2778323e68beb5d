package ws.transport.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import ws.transport.tls.internal.Bc;
import ws.transport.tls.internal.CertificateBuilder;

/**
 * A certificate and its private key made on the spot, for development and tests: by default a
 * self-signed certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1} (and any names
 * given), valid from an hour ago for 90 days, with an EC P-256 key.
 *
 * <pre>{@code
 * DevCertificate dev = DevCertificate.create("myhost.local");
 * WebSocketServer server = WebSocketServer.builder()
 *         .route("/", listener)
 *         .transport(TlsTransport.server(dev.serverConfig()))
 *         .start();
 * System.out.println("SHA-256 fingerprint: " + dev.sha256Fingerprint());
 * }</pre>
 *
 * <p>The builder also makes what tests need: certificate authorities, certificates they sign
 * (client certificates for mutual TLS), and certificates with any validity, expired ones included.
 * Never use such a certificate in production: nobody but you trusts it.
 *
 * <p><b>BouncyCastle.</b> Certificates are built with BouncyCastle (keys and signatures come from
 * the JDK's providers), an optional dependency of this module ({@code requires static}): nothing
 * else in it needs BouncyCastle, so an application serving {@code wss://} with PEM files or a key
 * store has none in its class path or image. To make development certificates, add
 * {@code org.bouncycastle:bcpkix-jdk18on} (it brings {@code bcprov} and {@code bcutil}); on the
 * module path, also have it resolved: {@code requires org.bouncycastle.pkix;} in a module of yours
 * (a test module, say) or {@code --add-modules org.bouncycastle.pkix}. Without it, {@link #create}
 * and {@link Builder#build()} throw an {@link IllegalStateException} that says so.
 */
public final class DevCertificate {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private DevCertificate(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /**
     * A self-signed certificate for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and
     * {@code extraNames} (host names or IP addresses), valid from an hour ago for 90 days.
     */
    public static DevCertificate create(String... extraNames) {
        return builder().names(extraNames).build();
    }

    /** A builder, with the defaults of {@link #create(String...)}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Its private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The chain to present: this certificate, then its issuers' (just itself when self-signed). */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The certificate that anchors the chain (the last one): what a peer must trust. */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /** The SHA-256 fingerprint of the certificate, as colon-separated upper-case hex. */
    public String sha256Fingerprint() {
        return fingerprint(certificate);
    }

    /** The SHA-256 fingerprint of {@code certificate}, as colon-separated upper-case hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available: " + e.getMessage(), e);
        }
    }

    /** The chain as PEM text. */
    public String certificatePem() {
        StringBuilder text = new StringBuilder();
        for (X509Certificate each : chain) {
            text.append(Pem.certificate(each));
        }
        return text.toString();
    }

    /** The private key as unencrypted PKCS#8 PEM text. */
    public String privateKeyPem() {
        return Pem.privateKey(privateKey);
    }

    /**
     * Writes the chain and the key as PEM files (the key readable by its owner only, where the file
     * system has POSIX permissions), replacing existing files.
     */
    public void writePem(Path certificateFile, Path keyFile) throws IOException {
        Files.writeString(certificateFile, certificatePem(), StandardCharsets.US_ASCII);
        Files.deleteIfExists(keyFile);
        try {
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(keyFile);
        }
        Files.writeString(keyFile, privateKeyPem(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** An in-memory PKCS#12 key store with the key and chain under the alias {@code "ws"}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("ws", privateKey, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /** A server configuration that presents this certificate. */
    public TlsServerConfig serverConfig() {
        return TlsServerConfig.builder().keyMaterial(chain, privateKey).build();
    }

    /** A client configuration that trusts this certificate's root alone. */
    public TlsClientConfig clientConfig() {
        return TlsClientConfig.builder().trustedCertificates(List.of(root())).build();
    }

    @Override
    public String toString() {
        return "DevCertificate[" + certificate.getSubjectX500Principal().getName() + ", SHA-256 "
                + sha256Fingerprint() + "]";
    }

    /** Collects what a certificate says and who signs it. */
    public static final class Builder {
        private final Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        private String commonName = "localhost";
        private Instant notBefore;
        private Instant notAfter;
        private Duration validity = Duration.ofDays(90);
        private DevCertificate issuer;
        private boolean authority;
        private int rsaBits;

        private Builder() {
        }

        /** Adds host names or IP addresses (subject alternative names). */
        public Builder names(String... values) {
            for (String value : values) {
                names.add(Objects.requireNonNull(value, "name").strip());
            }
            return this;
        }

        /** Uses exactly these names, without the default local ones. */
        public Builder onlyNames(String... values) {
            names.clear();
            return names(values);
        }

        /** The subject's common name ({@code localhost} by default). */
        public Builder commonName(String value) {
            commonName = Objects.requireNonNull(value, "commonName");
            return this;
        }

        /** Valid from {@code from} to {@code to} (in the past, for an expired certificate). */
        public Builder validity(Instant from, Instant to) {
            if (!to.isAfter(from)) {
                throw new IllegalArgumentException("notAfter " + to + " is not after notBefore " + from);
            }
            notBefore = from;
            notAfter = to;
            return this;
        }

        /** Valid from an hour ago for {@code value}. */
        public Builder validFor(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("validity " + value + " must be positive");
            }
            validity = value;
            notBefore = null;
            notAfter = null;
            return this;
        }

        /** Signed by {@code value} (a certificate authority made with {@link #certificateAuthority()}) instead of itself. */
        public Builder issuer(DevCertificate value) {
            issuer = Objects.requireNonNull(value, "issuer");
            return this;
        }

        /** A certificate authority (basic constraints CA, may sign certificates), not a server or client certificate. */
        public Builder certificateAuthority() {
            authority = true;
            return this;
        }

        /** An RSA key of {@code bits} bits instead of EC P-256. */
        public Builder rsa(int bits) {
            if (bits < 2048) {
                throw new IllegalArgumentException("RSA key size " + bits + " < 2048");
            }
            rsaBits = bits;
            return this;
        }

        /**
         * Makes the key pair and the certificate.
         *
         * @throws IllegalStateException if BouncyCastle is not installed (see the class comment)
         */
        public DevCertificate build() {
            Bc.require("development certificates (DevCertificate)");
            try {
                KeyPair keys = keyPair();
                Instant from = notBefore != null ? notBefore : Instant.now().minus(Duration.ofHours(1));
                Instant to = notAfter != null ? notAfter : from.plus(validity).plus(Duration.ofHours(1));
                X509Certificate certificate = new CertificateBuilder(commonName,
                        authority ? "ws development CA" : "ws development", keys.getPublic())
                        .validity(from, to)
                        .authority(authority)
                        .keyEncipherment(rsaBits > 0)
                        .names(List.copyOf(names), Builder::isIpLiteral)
                        .sign(issuer == null ? null : issuer.certificate(),
                                issuer == null ? keys.getPrivate() : issuer.privateKey());
                List<X509Certificate> chain = new ArrayList<>();
                chain.add(certificate);
                if (issuer != null) {
                    chain.addAll(issuer.chain());
                }
                return new DevCertificate(certificate, keys.getPrivate(), chain);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a development certificate: " + e.getMessage(), e);
            }
        }

        private KeyPair keyPair() throws GeneralSecurityException {
            if (rsaBits > 0) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(rsaBits);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        }

        /** An IPv4 dotted quad or an IPv6 literal (a colon), told apart without any name lookup. */
        static boolean isIpLiteral(String name) {
            return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        }
    }
}
