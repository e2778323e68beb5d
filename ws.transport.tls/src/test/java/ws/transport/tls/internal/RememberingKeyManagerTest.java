package ws.transport.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.transport.tls.DevCertificate;

@DisplayName("The key manager reads each entry's key and chain once, whatever alias a handshake's choice got")
class RememberingKeyManagerTest {
    private static final DevCertificate CERTIFICATE = DevCertificate.create();

    @Test
    @DisplayName("two choices of one entry (uids 1 and 2): the store is read once; another entry is read on its own")
    void readOncePerEntry() {
        Counting store = new Counting();
        RememberingKeyManager manager = new RememberingKeyManager(store);
        assertSame(CERTIFICATE.privateKey(), manager.getPrivateKey("1.0.ws"));
        assertSame(CERTIFICATE.privateKey(), manager.getPrivateKey("2.0.ws"));
        manager.getCertificateChain("3.0.ws");
        X509Certificate[] chain = manager.getCertificateChain("4.0.ws");
        manager.getPrivateKey("5.0.other");
        assertEquals(List.of("key 1.0.ws", "chain 3.0.ws", "key 5.0.other"), store.reads);
        assertEquals(CERTIFICATE.chain(), List.of(chain));
        assertNotSame(chain, manager.getCertificateChain("6.0.ws"), "each caller gets its own array");
        assertNull(manager.getPrivateKey(null));
        assertNull(manager.getPrivateKey("7.0.missing"));
    }

    @Test
    @DisplayName("the entry of an alias: without a leading number and dot, and only then")
    void entryOfAnAlias() {
        assertEquals("0.ws", RememberingKeyManager.entry("12.0.ws"));
        assertEquals("ws", RememberingKeyManager.entry("ws"));
        assertEquals("a1.0.ws", RememberingKeyManager.entry("a1.0.ws"));
        assertEquals(".ws", RememberingKeyManager.entry(".ws"));
    }

    /** A store with the entries "0.ws" and "0.other" that records each read. */
    private static final class Counting extends X509ExtendedKeyManager {
        final List<String> reads = new ArrayList<>();

        @Override
        public PrivateKey getPrivateKey(String alias) {
            reads.add("key " + alias);
            return alias.endsWith(".missing") ? null : CERTIFICATE.privateKey();
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            reads.add("chain " + alias);
            return CERTIFICATE.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return null;
        }
    }
}
