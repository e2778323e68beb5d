package ws.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import ws.transport.tls.internal.Der;

/**
 * PEM files (RFC 7468): certificate chains, and private keys in the usual forms: PKCS#8
 * ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2 or PBES1), PKCS#1
 * RSA ({@code RSA PRIVATE KEY}), SEC1 EC ({@code EC PRIVATE KEY}, with or without a leading
 * {@code EC PARAMETERS} block), and OpenSSL's legacy encrypted forms ({@code Proc-Type: 4,ENCRYPTED}
 * with AES-CBC or DES-EDE3-CBC). Text outside the blocks (the {@code subject=} lines OpenSSL writes)
 * is ignored. Everything is done with the JDK's own providers: reading PEM needs no other library.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final HexFormat HEX = HexFormat.of();
    // AlgorithmIdentifier OIDs (content octets) of the key types the JDK's key factories read
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "2a864886f70d010101", "RSA",          // 1.2.840.113549.1.1.1 rsaEncryption
            "2a864886f70d01010a", "RSASSA-PSS",   // 1.2.840.113549.1.1.10
            "2a8648ce3d0201", "EC",               // 1.2.840.10045.2.1 id-ecPublicKey
            "2b6570", "Ed25519",                  // 1.3.101.112
            "2b6571", "Ed448",                    // 1.3.101.113
            "2b656e", "X25519",                   // 1.3.101.110
            "2b656f", "X448",                     // 1.3.101.111
            "2a8648ce380401", "DSA");             // 1.2.840.10040.4.1
    private static final byte[] RSA_ALGORITHM = Der.element(Der.SEQUENCE,
            HEX.parseHex("06092a864886f70d010101"), new byte[] {Der.NULL, 0});
    private static final byte[] EC_PUBLIC_KEY = HEX.parseHex("06072a8648ce3d0201");

    private Pem() {
    }

    /** One {@code -----BEGIN type-----} block: its headers (RFC 1421 style, as OpenSSL writes) and its bytes. */
    private record Block(String type, Map<String, String> headers, byte[] der) {
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
        for (Block block : blocks(pem, source)) {
            if (block.type().equals("CERTIFICATE") || block.type().equals("X509 CERTIFICATE")) {
                try {
                    certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(block.der())));
                } catch (CertificateException e) {
                    throw new IOException("certificate " + (certificates.size() + 1) + " in " + source
                            + " is not a valid X.509 certificate: " + e.getMessage(), e);
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
        byte[] curve = null; // from an "EC PARAMETERS" block, for an EC key that leaves its curve out
        for (Block block : blocks(pem, source)) {
            if (password == null && (block.type().equals("ENCRYPTED PRIVATE KEY") || legacyEncrypted(block))) {
                throw new IOException("the private key in " + source + " is encrypted: give its password");
            }
            try {
                switch (block.type()) {
                    case "PRIVATE KEY" -> {
                        return pkcs8(block.der());
                    }
                    case "ENCRYPTED PRIVATE KEY" -> {
                        return pkcs8(decryptPkcs8(block.der(), password));
                    }
                    case "RSA PRIVATE KEY" -> {
                        // PKCS#1 RSAPrivateKey, inside a PKCS#8 PrivateKeyInfo (RFC 5208 section 5)
                        byte[] rsa = legacyDecrypt(block, password);
                        return pkcs8(Der.element(Der.SEQUENCE, Der.smallInteger(0), RSA_ALGORITHM,
                                Der.element(Der.OCTET_STRING, rsa)));
                    }
                    case "EC PRIVATE KEY" -> {
                        return pkcs8(ecPrivateKeyInfo(legacyDecrypt(block, password), curve));
                    }
                    case "EC PARAMETERS" -> curve = block.der();
                    default -> {
                        // certificates and other blocks in the same file are skipped
                    }
                }
            } catch (GeneralSecurityException | IOException e) {
                throw new IOException("cannot read the private key in " + source + ": " + describe(e)
                        + (password != null ? " (wrong password?)" : ""), e);
            }
        }
        throw new IOException("no private key block (\"PRIVATE KEY\", \"RSA PRIVATE KEY\", \"EC PRIVATE KEY\", "
                + "\"ENCRYPTED PRIVATE KEY\") in " + source);
    }

    /** A key from a PKCS#8 PrivateKeyInfo, by the JDK's key factory for its algorithm. */
    private static PrivateKey pkcs8(byte[] der) throws IOException, GeneralSecurityException {
        Der.Reader info = new Der.Reader(new Der.Reader(der).next(Der.SEQUENCE, "PrivateKeyInfo").content());
        info.next(Der.INTEGER, "PrivateKeyInfo version");
        Der.Reader algorithm = new Der.Reader(info.next(Der.SEQUENCE, "PrivateKeyInfo algorithm").content());
        String oid = HEX.formatHex(algorithm.next(Der.OBJECT_IDENTIFIER, "key algorithm").content());
        String name = KEY_ALGORITHMS.get(oid);
        if (name == null) {
            throw new IOException("key algorithm " + oid + " (hex of the OID) is not one the JDK reads");
        }
        return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /**
     * A SEC1 ECPrivateKey (RFC 5915) inside a PKCS#8 PrivateKeyInfo whose algorithm names the curve:
     * the key's own {@code [0]} parameters, else those of a preceding "EC PARAMETERS" block.
     */
    private static byte[] ecPrivateKeyInfo(byte[] sec1, byte[] parametersBlock) throws IOException {
        Der.Reader key = new Der.Reader(new Der.Reader(sec1).next(Der.SEQUENCE, "ECPrivateKey").content());
        key.next(Der.INTEGER, "ECPrivateKey version");
        key.next(Der.OCTET_STRING, "ECPrivateKey privateKey");
        byte[] curve = parametersBlock;
        while (key.hasNext()) {
            Der.Element element = key.next("ECPrivateKey");
            if (element.tag() == 0xa0) { // [0] parameters: a named curve's OID
                curve = element.content();
            }
        }
        if (curve == null) {
            throw new IOException("the EC PRIVATE KEY does not name its curve, and no EC PARAMETERS block precedes it");
        }
        return Der.element(Der.SEQUENCE, Der.smallInteger(0), Der.element(Der.SEQUENCE, EC_PUBLIC_KEY, curve),
                Der.element(Der.OCTET_STRING, sec1));
    }

    /** Decrypts an EncryptedPrivateKeyInfo (RFC 5958 section 3; PBES2 or PBES1 of RFC 8018) to a PrivateKeyInfo. */
    private static byte[] decryptPkcs8(byte[] der, char[] password) throws IOException, GeneralSecurityException {
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        AlgorithmParameters parameters = info.getAlgParameters();
        String algorithm = info.getAlgName();
        if (parameters != null && (algorithm.equals("PBES2") || algorithm.startsWith("1."))) {
            algorithm = parameters.toString(); // PBES2: the JDK names the scheme by its parameters (PBEWithHmacSHA256AndAES_256)
        }
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password)),
                parameters);
        return info.getKeySpec(cipher).getEncoded();
    }

    /**
     * The bytes of a traditional (PKCS#1 or SEC1) block, decrypted when its headers say
     * {@code Proc-Type: 4,ENCRYPTED}: OpenSSL's legacy scheme, a key from the password and the first
     * 8 bytes of the IV by EVP_BytesToKey (MD5, one round), then the named cipher in CBC mode.
     */
    private static byte[] legacyDecrypt(Block block, char[] password) throws IOException, GeneralSecurityException {
        if (!legacyEncrypted(block)) {
            return block.der();
        }
        String[] dekInfo = block.headers().getOrDefault("DEK-Info", "").split(",");
        if (dekInfo.length != 2) {
            throw new IOException("an encrypted key without a \"DEK-Info: cipher,iv\" header");
        }
        String cipherName = dekInfo[0].strip().toUpperCase(Locale.ROOT);
        byte[] iv = HEX.parseHex(dekInfo[1].strip().toLowerCase(Locale.ROOT));
        String transformation;
        String keyAlgorithm;
        int keyLength;
        switch (cipherName) {
            case "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" -> {
                transformation = "AES/CBC/PKCS5Padding";
                keyAlgorithm = "AES";
                keyLength = Integer.parseInt(cipherName.substring(4, 7)) / 8;
            }
            case "DES-EDE3-CBC" -> {
                transformation = "DESede/CBC/PKCS5Padding";
                keyAlgorithm = "DESede";
                keyLength = 24;
            }
            default -> throw new IOException("the key is encrypted with " + cipherName
                    + "; re-encrypt it with AES (openssl pkcs8 -topk8 -v2 aes-256-cbc)");
        }
        byte[] key = bytesToKey(new String(password).getBytes(StandardCharsets.UTF_8), Arrays.copyOf(iv, 8), keyLength);
        Cipher cipher = Cipher.getInstance(transformation);
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
        return cipher.doFinal(block.der());
    }

    /** OpenSSL's EVP_BytesToKey with MD5 and one round: D_i = MD5(D_(i-1) || password || salt), concatenated. */
    private static byte[] bytesToKey(byte[] password, byte[] salt, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] key = new byte[length];
        byte[] previous = new byte[0];
        for (int filled = 0; filled < length; ) {
            md5.update(previous);
            md5.update(password);
            md5.update(salt);
            previous = md5.digest();
            int count = Math.min(previous.length, length - filled);
            System.arraycopy(previous, 0, key, filled, count);
            filled += count;
        }
        return key;
    }

    private static boolean legacyEncrypted(Block block) {
        String procType = block.headers().get("Proc-Type");
        return procType != null && procType.replace(" ", "").equals("4,ENCRYPTED");
    }

    /** The blocks of PEM text in order; text between them is ignored. */
    private static List<Block> blocks(String pem, String source) throws IOException {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(pem);
        while (matcher.find()) {
            String type = matcher.group(1);
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder base64 = new StringBuilder();
            for (String line : matcher.group(2).split("\\R")) {
                String text = line.strip();
                int colon = text.indexOf(':');
                if (colon > 0 && base64.isEmpty()) {
                    headers.put(text.substring(0, colon).strip(), text.substring(colon + 1).strip());
                } else {
                    base64.append(text);
                }
            }
            try {
                blocks.add(new Block(type, headers, Base64.getDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new IOException("malformed PEM in " + source + ": the \"" + type + "\" block is not base64: "
                        + e.getMessage(), e);
            }
        }
        int begins = pem.split("-----BEGIN ", -1).length - 1;
        if (begins > blocks.size()) {
            throw new IOException("malformed PEM in " + source + ": a \"-----BEGIN\" line without its matching \"-----END\" line");
        }
        return blocks;
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
