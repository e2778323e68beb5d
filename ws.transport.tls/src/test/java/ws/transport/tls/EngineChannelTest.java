package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import ws.transport.eventloop.layer.NetBuffers;

/**
 * The SSLEngine layer alone, driven the way a loop drives it: non-blocking calls on one thread, no
 * waiting but for its wakeup. The engine's delegated tasks (here the choice of the server's key, made
 * while the ClientHello is processed) run on virtual threads, never on the thread that reads.
 */
class EngineChannelTest {

    @Test
    void theHandshakeRunsWithoutBlockingTheReaderAndItsTasksRunElsewhere() throws Exception {
        List<Thread> keyChoosers = new CopyOnWriteArrayList<>();
        Thread reader = Thread.currentThread();
        try (ServerSocketChannel listening = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
            CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> jsseClient(port),
                    task -> Thread.ofVirtual().start(task));
            Semaphore woken = new Semaphore(0);
            EngineChannel tls = serverChannel(listening.accept(), serverContext(keyChoosers), reader, woken);

            ByteBuffer app = ByteBuffer.allocate(64 << 10);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (app.position() < 4 && System.nanoTime() < deadline) {
                assertTrue(tls.read(app) >= 0, "the end of input before the client's bytes");
                if (!tls.wantsInput()) {
                    assertTrue(woken.tryAcquire(10, TimeUnit.SECONDS), "a delegated task never woke the reader");
                } else if (tls.hasPendingOutput()) {
                    tls.flush();
                } else {
                    Thread.sleep(2); // a loop would select; the test polls
                }
            }
            assertTrue(tls.handshakeDone());
            assertEquals("ping", new String(app.array(), 0, app.position(), StandardCharsets.US_ASCII));
            assertEquals(4, tls.write(new ByteBuffer[] {ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII))}, 0, 1));
            while (!tls.flush()) {
                Thread.sleep(2);
            }
            tls.shutdownOutput();
            assertEquals("pong", client.get(10, TimeUnit.SECONDS));
            assertFalse(keyChoosers.isEmpty(), "the server's key was chosen");
            for (Thread thread : keyChoosers) {
                assertTrue(thread.isVirtual() && thread != reader, "a delegated task ran on " + thread);
            }
            tls.release();
        }
    }

    @Test
    void aCloseNotifyUnwrappedBehindDataIsInputTheLoopMustReadAgainFor() throws Exception {
        Thread reader = Thread.currentThread();
        try (ServerSocketChannel listening = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
            CountDownLatch secured = new CountDownLatch(1);
            CountDownLatch sent = new CountDownLatch(1);
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                // "ping" and close_notify written together once the server is secured; TCP stays open
                try (SSLSocket socket = (SSLSocket) TlsSupport.jsseClient().getSocketFactory()
                        .createSocket(new Socket("localhost", port), "localhost", port, true)) {
                    socket.startHandshake();
                    assertTrue(secured.await(10, TimeUnit.SECONDS));
                    socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    socket.shutdownOutput();
                    sent.countDown();
                    socket.getInputStream().readAllBytes(); // until the server's close_notify
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, task -> Thread.ofVirtual().start(task));
            Semaphore woken = new Semaphore(0);
            EngineChannel tls = serverChannel(listening.accept(), serverContext(new CopyOnWriteArrayList<>()), reader, woken);
            ByteBuffer app = ByteBuffer.allocate(64 << 10);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(tls.handshakeDone() && !tls.hasPendingOutput()) && System.nanoTime() < deadline) {
                assertEquals(0, tls.read(app), "no application data before the handshake's end");
                if (!tls.wantsInput()) {
                    assertTrue(woken.tryAcquire(10, TimeUnit.SECONDS), "a delegated task never woke the reader");
                } else if (tls.hasPendingOutput()) {
                    tls.flush();
                } else {
                    Thread.sleep(2);
                }
            }
            assertTrue(tls.handshakeDone());
            secured.countDown();
            assertTrue(sent.await(10, TimeUnit.SECONDS));
            int n = 0;
            while (n == 0 && System.nanoTime() < deadline) {
                n = tls.read(app); // the data record and close_notify are both in the socket: one read takes them
                if (n == 0) {
                    Thread.sleep(2);
                }
            }
            assertEquals(4, n, "ping");
            assertTrue(tls.hasBufferedInput(),
                    "the close_notify read with the data waits to be reported: the selector will not announce it");
            assertEquals(-1, tls.read(app));
            tls.shutdownOutput();
            while (!tls.flush()) {
                Thread.sleep(2);
            }
            client.get(10, TimeUnit.SECONDS);
            tls.release();
        }
    }

    /** The server's side of {@code accepted}, non-blocking, read on {@code reader}; its wakeups release {@code woken}. */
    private static EngineChannel serverChannel(SocketChannel accepted, SSLContext context, Thread reader, Semaphore woken)
            throws Exception {
        accepted.configureBlocking(false);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return new EngineChannel(engine, accepted, new Scratch(reader), woken::release,
                (error, late) -> new TlsHandshakeException(TlsHandshakeException.Reason.OTHER, null, "failed", error),
                TimeUnit.SECONDS.toNanos(10));
    }

    /** A JSSE client: handshake, "ping", then what the server sends until its close_notify. */
    private static String jsseClient(int port) {
        try (SSLSocket socket = (SSLSocket) TlsSupport.jsseClient().getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext serverContext(List<Thread> keyChoosers) throws Exception {
        char[] password = "changeit".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(LOCALHOST.keyStore(password), password);
        X509ExtendedKeyManager delegate = (X509ExtendedKeyManager) keys.getKeyManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                keyChoosers.add(Thread.currentThread());
                return delegate.chooseEngineServerAlias(keyType, issuers, engine);
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
                return delegate.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return delegate.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return delegate.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return delegate.getPrivateKey(alias);
            }
        }}, null, null);
        return context;
    }

    /** A loop's scratch buffers, usable on the reading thread only. */
    private record Scratch(Thread owner) implements NetBuffers {
        @Override
        public boolean usable() {
            return Thread.currentThread() == owner;
        }

        @Override
        public ByteBuffer in(int capacity) {
            return ByteBuffer.allocate(capacity);
        }

        @Override
        public ByteBuffer out(int capacity) {
            return ByteBuffer.allocate(capacity);
        }
    }
}
