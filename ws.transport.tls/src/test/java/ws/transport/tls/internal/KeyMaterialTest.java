package ws.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.transport.tls.DevCertificate;

@DisplayName("Key managers: every key decrypted once, when they are made")
class KeyMaterialTest {
    private static final DevCertificate CERTIFICATE = DevCertificate.create();

    @Test
    @DisplayName("a key store's key, protected by its password, is presented as it was, with its chain")
    void keyStoreKeyPresented() throws Exception {
        char[] password = "s3cret".toCharArray();
        X509KeyManager manager = only(KeyMaterial.keyManagers(CERTIFICATE.keyStore(password), password));
        String alias = manager.chooseServerAlias(CERTIFICATE.privateKey().getAlgorithm(), null, null);
        assertNotNull(alias);
        assertEquals(CERTIFICATE.privateKey(), manager.getPrivateKey(alias));
        assertArrayEquals(CERTIFICATE.chain().toArray(), manager.getCertificateChain(alias));
        // asked again (a later handshake), the same key: the copy is the key manager's, not re-read
        assertEquals(CERTIFICATE.privateKey(), manager.getPrivateKey(
                manager.chooseServerAlias(CERTIFICATE.privateKey().getAlgorithm(), null, null)));
    }

    @Test
    @DisplayName("a wrong key password fails when the key managers are made, not at the first handshake")
    void wrongPasswordFailsAtOnce() {
        KeyStore store = CERTIFICATE.keyStore("right".toCharArray());
        assertThrows(UnrecoverableKeyException.class, () -> KeyMaterial.keyManagers(store, "wrong".toCharArray()));
    }

    @Test
    @DisplayName("a key pair from PEM is presented as it was")
    void pemKeyPresented() throws Exception {
        X509KeyManager manager = only(KeyMaterial.keyManagers(CERTIFICATE.chain(), CERTIFICATE.privateKey()));
        String alias = manager.chooseServerAlias(CERTIFICATE.privateKey().getAlgorithm(), null, null);
        assertEquals(CERTIFICATE.privateKey(), manager.getPrivateKey(alias));
    }

    private static X509KeyManager only(KeyManager[] managers) {
        assertEquals(1, managers.length);
        org.junit.jupiter.api.Assertions.assertInstanceOf(RememberingKeyManager.class, managers[0]);
        return (X509KeyManager) managers[0];
    }
}
