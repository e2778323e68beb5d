package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.await;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.BlockingTransport;

/** PEM in the forms servers are given: PKCS#8, PKCS#1 RSA, SEC1 EC, encrypted; chains with text around. Read with the JDK alone. */
class PemTest {
    private static final DevCertificate EC = DevCertificate.create();
    private static final DevCertificate RSA = DevCertificate.builder().rsa(2048).build();
    private static final char[] PASSWORD = "s3cret".toCharArray();
    /** BouncyCastle writes the encrypted forms the tests read (Pem reads them with the JDK alone). */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    @TempDir
    Path dir;

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** PKCS#1 (RSA) or SEC1 (EC, with its curve inside, as OpenSSL writes it): the "traditional" forms. */
    private static String traditional(PrivateKey key) throws IOException {
        return traditional(key, true);
    }

    private static String traditional(PrivateKey key, boolean curveInside) throws IOException {
        String type = key.getAlgorithm().equals("RSA") ? "RSA PRIVATE KEY" : "EC PRIVATE KEY";
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        byte[] der = info.parsePrivateKey().toASN1Primitive().getEncoded();
        if (type.startsWith("EC") && curveInside) {
            org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters())
                    .getEncoded();
        }
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Nested
    class Keys {
        @Test
        void pkcs8() throws IOException {
            assertArrayEquals(EC.privateKey().getEncoded(), Pem.parsePrivateKey(EC.privateKeyPem(), null).getEncoded());
            assertArrayEquals(RSA.privateKey().getEncoded(), Pem.parsePrivateKey(RSA.privateKeyPem(), null).getEncoded());
        }

        @Test
        void pkcs1Rsa() throws IOException {
            String text = traditional(RSA.privateKey());
            assertTrue(text.startsWith("-----BEGIN RSA PRIVATE KEY-----"));
            assertEquals("RSA", Pem.parsePrivateKey(text, null).getAlgorithm());
            assertArrayEquals(RSA.privateKey().getEncoded(), Pem.parsePrivateKey(text, null).getEncoded());
        }

        @Test
        void sec1EcWithAndWithoutParameters() throws IOException {
            String text = traditional(EC.privateKey());
            assertTrue(text.startsWith("-----BEGIN EC PRIVATE KEY-----"));
            assertEquals("EC", Pem.parsePrivateKey(text, null).getAlgorithm());
            String withParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                    + traditional(EC.privateKey(), false);
            assertArrayEquals(EC.privateKey().getEncoded(), Pem.parsePrivateKey(withParameters, null).getEncoded());
        }

        @Test
        void encryptedPkcs8() throws Exception {
            String text = pem(new JcaPKCS8Generator(EC.privateKey(), new JceOpenSSLPKCS8EncryptorBuilder(
                    org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC).setProvider(BC)
                    .setPassword(PASSWORD).build()).generate());
            assertTrue(text.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), text);
            assertEquals("EC", Pem.parsePrivateKey(text, PASSWORD).getAlgorithm());
            IOException noPassword = assertThrows(IOException.class, () -> Pem.parsePrivateKey(text, null));
            assertTrue(noPassword.getMessage().contains("encrypted"), noPassword.getMessage());
            IOException wrong = assertThrows(IOException.class, () -> Pem.parsePrivateKey(text, "nope".toCharArray()));
            assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC", "DES-EDE3-CBC"})
        void legacyEncryptedRsaAndEc(String cipher) throws Exception {
            for (DevCertificate dev : List.of(RSA, EC)) {
                // as OpenSSL writes it: the traditional form (an EC key names its curve), encrypted
                String plain = traditional(dev.privateKey());
                String type = plain.substring("-----BEGIN ".length(), plain.indexOf("-----", 5));
                byte[] der = java.util.Base64.getMimeDecoder().decode(plain.replaceAll("-----[^-]+-----", ""));
                org.bouncycastle.openssl.PEMEncryptor encryptor = new JcePEMEncryptorBuilder(cipher).setProvider(BC)
                        .build(PASSWORD);
                String text = "-----BEGIN " + type + "-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: " + encryptor.getAlgorithm()
                        + "," + java.util.HexFormat.of().withUpperCase().formatHex(encryptor.getIV()) + "\n\n"
                        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(encryptor.encrypt(der))
                        + "\n-----END " + type + "-----\n";
                assertEquals(dev.privateKey().getAlgorithm(), Pem.parsePrivateKey(text, PASSWORD).getAlgorithm());
                assertArrayEquals(Pem.parsePrivateKey(plain, null).getEncoded(), Pem.parsePrivateKey(text, PASSWORD).getEncoded());
                IOException noPassword = assertThrows(IOException.class, () -> Pem.parsePrivateKey(text, null));
                assertTrue(noPassword.getMessage().contains("encrypted: give its password"), noPassword.getMessage());
            }
        }

        @Test
        void encryptedPkcs8WithPbes1TripleDes() throws Exception {
            String text = pem(new JcaPKCS8Generator(RSA.privateKey(), new JceOpenSSLPKCS8EncryptorBuilder(
                    org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC).setProvider(BC)
                    .setPassword(PASSWORD).build()).generate());
            assertArrayEquals(RSA.privateKey().getEncoded(), Pem.parsePrivateKey(text, PASSWORD).getEncoded());
        }

        @Test
        void aBlockWithoutItsEndIsMalformed() {
            String cut = EC.privateKeyPem().substring(0, EC.privateKeyPem().indexOf("-----END"));
            IOException e = assertThrows(IOException.class, () -> Pem.parsePrivateKey(cut, null));
            assertTrue(e.getMessage().contains("without its matching \"-----END\""), e.getMessage());
        }

        @Test
        void noKeyIsNamed() {
            IOException e = assertThrows(IOException.class, () -> Pem.parsePrivateKey(EC.certificatePem(), null));
            assertTrue(e.getMessage().contains("no private key block"), e.getMessage());
        }

        @Test
        void bouncyCastleIsNotRegistered() throws IOException {
            Pem.parsePrivateKey(traditional(RSA.privateKey()), null);
            assertEquals(null, java.security.Security.getProvider("BC"));
        }
    }

    @Nested
    class Certificates {
        @Test
        void chainInOrderWithTextAround() throws IOException {
            DevCertificate ca = DevCertificate.builder().certificateAuthority().onlyNames().commonName("CA").build();
            DevCertificate leaf = DevCertificate.builder().issuer(ca).build();
            String text = "subject=CN=localhost\nissuer=CN=CA\n" + Pem.certificate(leaf.certificate())
                    + "\nsubject=CN=CA\n" + Pem.certificate(ca.certificate());
            List<X509Certificate> chain = Pem.parseCertificates(text);
            assertEquals(List.of(leaf.certificate(), ca.certificate()), chain);
            assertEquals(chain, Pem.parseCertificates(leaf.certificatePem()));
        }

        @Test
        void noCertificateIsNamed() {
            IOException e = assertThrows(IOException.class, () -> Pem.parseCertificates("hello"));
            assertTrue(e.getMessage().contains("no \"-----BEGIN CERTIFICATE-----\" block"), e.getMessage());
        }
    }

    @Nested
    class Files_ {
        @Test
        void devCertificateWritesPemFilesAServerUses() throws Exception {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            RSA.writePem(cert, key);
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(key));
            assertEquals(RSA.chain(), Pem.readCertificates(cert));
            try (WebSocketServer server = TlsSupport.echoServer(new BlockingTransport(), TlsServerConfig.pem(cert, key));
                 WebSocketClient client = TlsSupport.client(new BlockingTransport(), TlsClientConfig.trusting(cert))) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                await(client.connect(TlsSupport.wss("localhost", server), inbox)).sendText("rsa");
                assertEquals("rsa", inbox.next());
            }
        }

        @Test
        void pkcs1KeyFileServes() throws Exception {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("rsa.key");
            Files.writeString(cert, RSA.certificatePem());
            Files.writeString(key, traditional(RSA.privateKey()));
            try (WebSocketServer server = TlsSupport.echoServer(new BlockingTransport(), TlsServerConfig.pem(cert, key));
                 WebSocketClient client = TlsSupport.client(new BlockingTransport(), RSA.clientConfig())) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                await(client.connect(TlsSupport.wss(server), inbox)).sendText("pkcs1");
                assertEquals("pkcs1", inbox.next());
            }
        }

        @Test
        void aServerWithBadFilesDoesNotStartAndSaysWhy() throws Exception {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Files.writeString(cert, EC.certificatePem());
            Files.writeString(key, RSA.privateKeyPem());
            IOException mismatch = assertThrows(IOException.class,
                    () -> TlsSupport.echoServer(new BlockingTransport(), TlsServerConfig.pem(cert, key)));
            assertTrue(mismatch.getMessage().contains("does not match"), mismatch.getMessage());
            IOException missing = assertThrows(IOException.class, () -> TlsSupport.echoServer(new BlockingTransport(),
                    TlsServerConfig.pem(cert, dir.resolve("missing.pem"))));
            assertTrue(missing.getMessage().contains("missing.pem"), missing.getMessage());
        }
    }

    @Nested
    class DevCertificates {
        @Test
        void namesAndFingerprint() throws Exception {
            DevCertificate dev = DevCertificate.create("myhost.test", "10.1.2.3");
            List<String> names = dev.certificate().getSubjectAlternativeNames().stream()
                    .map(entry -> entry.get(1).toString()).toList();
            assertEquals(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "myhost.test", "10.1.2.3"), names);
            assertTrue(dev.sha256Fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), dev.sha256Fingerprint());
            dev.certificate().checkValidity();
            dev.certificate().verify(dev.certificate().getPublicKey());
            assertEquals(List.of(dev.certificate()), dev.chain());
        }
    }
}
