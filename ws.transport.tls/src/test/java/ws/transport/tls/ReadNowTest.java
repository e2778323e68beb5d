package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import ws.transport.blocking.internal.LayeredInput;
import ws.transport.blocking.internal.StreamWire;

/**
 * A server's TLS wire on the socket transports reads what has arrived without waiting, records not
 * yet decrypted included, so that a virtual reader gets the plain sockets' read rule
 * ({@code Wire.readNowSeesAll}); and it never waits for bytes that are not there. The client is an
 * {@code SSLEngine} over a plain socket, so each test decides which bytes of which record arrive.
 * Every test is bounded: a look that waited would hang it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadNowTest {
    private ServerSocketChannel listening;
    private Socket client;
    private SSLEngine engine;
    private SocketChannel accepted;
    private StreamWire wire;

    @BeforeEach
    void connect() throws Exception {
        listening = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        ServerLayer layer = new ServerLayer(TlsSupport.LOCALHOST.serverConfig(), Duration.ofSeconds(20));
        CompletableFuture<LayeredInput.Wrapped> server = CompletableFuture.supplyAsync(() -> {
            try {
                accepted = listening.accept();
                return layer.open(accepted.socket());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        client = new Socket("127.0.0.1", ((InetSocketAddress) listening.getLocalAddress()).getPort());
        engine = TlsSupport.jsseClient().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        handshake();
        LayeredInput.Wrapped wrapped = server.get(20, TimeUnit.SECONDS);
        wire = new StreamWire(wrapped.socket(), 1024, wrapped.input());
    }

    @AfterEach
    void close() throws IOException {
        if (wire != null) {
            wire.close();
        }
        client.close();
        listening.close();
    }

    @Test
    void aRecordThatHasArrivedIsReadWithoutWaiting() throws Exception {
        assertTrue(wire.readNowSeesAll());
        send(record("hello"));
        awaitArrived(1);

        assertEquals("hello", readNow(64));
    }

    @Test
    void bytesDecryptedAndNotYetReadAreSeen() throws Exception {
        String text = "0123456789".repeat(10);
        send(record(text));
        ByteBuffer small = ByteBuffer.allocate(10);
        assertEquals(10, wire.read(small)); // the record is decrypted whole: 90 bytes stay in the TLS socket

        assertEquals(text.substring(10), readNow(200));
        assertEquals("", readNow(200)); // and then nothing: the socket is empty
    }

    @Test
    void nothingThereIsZeroAndTheNextReadWaitsForIt() throws Exception {
        assertEquals("", readNow(64));
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                ByteBuffer buffer = ByteBuffer.allocate(64);
                wire.read(buffer);
                return text(buffer);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        send(record("later"));
        assertEquals("later", read.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aPartOfARecordIsZeroAndKeptForTheNextRead() throws Exception {
        byte[] record = record("split across three arrivals");
        int total = 0;
        for (int end : new int[] {3, record.length - 4}) { // inside the record header, then inside its body
            send(Arrays.copyOfRange(record, total, end));
            total = end;
            awaitArrived(1);
            assertEquals("", readNow(64));
        }
        send(Arrays.copyOfRange(record, total, record.length));
        awaitArrived(1);

        assertEquals("split across three arrivals", readNow(64));
    }

    @Test
    void aRecordWithoutDataIsZero() throws Exception {
        engine.beginHandshake(); // TLS 1.3 after the handshake: a KeyUpdate
        send(wrap(ByteBuffer.allocate(0)));
        awaitArrived(1);

        assertEquals("", readNow(64)); // the key update is taken, no data, and no wait for data
        send(record("after the key update"));
        awaitArrived(1);
        assertEquals("after the key update", readNow(64));
    }

    @Test
    void twoRecordsThatArrivedTogetherAreBothSeen() throws Exception {
        byte[] first = record("one");
        byte[] second = record("two");
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        send(both);
        awaitArrived(both.length);

        assertEquals("one", readNow(64));
        assertEquals("two", readNow(64));
        assertEquals("", readNow(64));
    }

    /** What {@code readNow} returns, as text ("" for 0 bytes). */
    private String readNow(int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        int n = wire.readNow(buffer);
        assertEquals(buffer.position(), Math.max(n, 0));
        return text(buffer);
    }

    private static String text(ByteBuffer buffer) {
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    /** One TLS record of application data carrying {@code text}. */
    private byte[] record(String text) throws IOException {
        return wrap(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] wrap(ByteBuffer data) throws IOException {
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(data, net);
        assertEquals(SSLEngineResult.Status.OK, result.getStatus());
        return Arrays.copyOf(net.array(), net.position());
    }

    private void send(byte[] bytes) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** Waits (bounded) until the server's TCP socket holds at least {@code bytes} unread bytes. */
    private void awaitArrived(int bytes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        InputStream tcp = accepted.socket().getInputStream();
        while (tcp.available() < bytes) {
            assertTrue(System.nanoTime() < deadline, "the bytes never arrived");
            Thread.sleep(1);
        }
    }

    /** The client's TLS handshake over the plain socket, the server's running meanwhile. */
    private void handshake() throws Exception {
        InputStream in = client.getInputStream();
        ByteBuffer fromServer = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 2);
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> send(wrap(ByteBuffer.allocate(0)));
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    fromServer.flip();
                    SSLEngineResult result = engine.unwrap(fromServer, app);
                    fromServer.compact();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        byte[] chunk = new byte[fromServer.remaining()];
                        int n = in.read(chunk);
                        assertTrue(n > 0, "the server closed during the handshake");
                        fromServer.put(chunk, 0, n);
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }
}
