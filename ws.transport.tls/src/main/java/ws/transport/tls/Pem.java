package ws.transport.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import ws.transport.tls.internal.Bc;

/**
 * PEM files: certificate chains, and private keys in the usual forms: PKCS#8 ({@code PRIVATE KEY}),
 * encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}), SEC1 EC
 * ({@code EC PRIVATE KEY}, with or without a leading {@code EC PARAMETERS} block), and OpenSSL's
 * legacy encrypted forms ({@code Proc-Type: 4,ENCRYPTED}). Text outside the blocks (the
 * {@code subject=} lines OpenSSL writes) is ignored. Keys are made by the JDK's key factories;
 * BouncyCastle only parses, and decrypts with its own provider instance, never registered globally.
 */
public final class Pem {

    private Pem() {
    }

    /** The certificates in a PEM file, in file order (a chain: the leaf first). */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return certificates(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** The certificates in PEM text, in order. */
    public static List<X509Certificate> parseCertificates(String pem) throws IOException {
        return certificates(pem, "PEM text");
    }

    private static List<X509Certificate> certificates(String pem, String source) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            while ((item = readItem(parser, source)) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    try {
                        certificates.add(converter.getCertificate(holder));
                    } catch (CertificateException e) {
                        throw new IOException("certificate " + (certificates.size() + 1) + " in " + source
                                + " is not a valid X.509 certificate: " + e.getMessage(), e);
                    }
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException("no \"-----BEGIN CERTIFICATE-----\" block in " + source);
        }
        return List.copyOf(certificates);
    }

    /** The private key in a PEM file that is not encrypted. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return readPrivateKey(file, null);
    }

    /**
     * The private key in a PEM file.
     *
     * @param password the password of an encrypted key, or {@code null}
     */
    public static PrivateKey readPrivateKey(Path file, char[] password) throws IOException {
        return privateKey(Files.readString(file, StandardCharsets.US_ASCII), password, file.toString());
    }

    /** The private key in PEM text ({@code password} for an encrypted one, else {@code null}). */
    public static PrivateKey parsePrivateKey(String pem, char[] password) throws IOException {
        return privateKey(pem, password, "PEM text");
    }

    private static PrivateKey privateKey(String pem, char[] password, String source) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        ASN1ObjectIdentifier curve = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            while ((item = readItem(parser, source)) != null) {
                try {
                    switch (item) {
                        case PrivateKeyInfo info -> {
                            return converter.getPrivateKey(info);
                        }
                        case PEMKeyPair pair -> {
                            // only the private part is needed (a SEC1 key may leave out its public key)
                            return converter.getPrivateKey(withCurve(pair.getPrivateKeyInfo(), curve));
                        }
                        case PKCS8EncryptedPrivateKeyInfo encrypted -> {
                            requirePassword(password, source);
                            return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.provider()).build(password)));
                        }
                        case PEMEncryptedKeyPair encrypted -> {
                            requirePassword(password, source);
                            return converter.getKeyPair(encrypted.decryptKeyPair(
                                    new JcePEMDecryptorProviderBuilder().setProvider(Bc.provider()).build(password))).getPrivate();
                        }
                        case ASN1ObjectIdentifier named -> {
                            // an "EC PARAMETERS" block before "EC PRIVATE KEY": the curve, if the key omits it
                            curve = named;
                        }
                        case X9ECParameters ignored -> {
                            // explicit EC parameters before the key: likewise
                        }
                        default -> {
                            // certificates and other blocks in the same file are skipped
                        }
                    }
                } catch (PKCSException | OperatorCreationException | PEMException e) {
                    throw new IOException("cannot read the private key in " + source + ": " + describe(e)
                            + (password != null ? " (wrong password?)" : ""), e);
                }
            }
        }
        throw new IOException("no private key block (\"PRIVATE KEY\", \"RSA PRIVATE KEY\", \"EC PRIVATE KEY\", "
                + "\"ENCRYPTED PRIVATE KEY\") in " + source);
    }

    /** A SEC1 EC key without its curve gets the one of a preceding "EC PARAMETERS" block. */
    private static PrivateKeyInfo withCurve(PrivateKeyInfo info, ASN1ObjectIdentifier curve) throws IOException {
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        if (curve != null && X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                && (algorithm.getParameters() == null || algorithm.getParameters() instanceof org.bouncycastle.asn1.ASN1Null)) {
            return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), info.parsePrivateKey());
        }
        return info;
    }

    private static void requirePassword(char[] password, String source) throws IOException {
        if (password == null) {
            throw new IOException("the private key in " + source + " is encrypted: give its password");
        }
    }

    private static Object readItem(PEMParser parser, String source) throws IOException {
        try {
            return parser.readObject();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException("malformed PEM in " + source + ": " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
            message = (message == null ? "" : message + ": ") + cause.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** A certificate as PEM text. */
    public static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** A private key as unencrypted PKCS#8 PEM text ({@code PRIVATE KEY}). */
    public static String privateKey(PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("the private key has no PKCS#8 encoding (format " + key.getFormat() + ")");
        }
        return block("PRIVATE KEY", encoded);
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
