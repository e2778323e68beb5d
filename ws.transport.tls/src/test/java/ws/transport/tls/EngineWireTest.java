package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.transport.stream.Wire;

/**
 * The TLS wire of the socket transports' servers, alone: a {@link ServerLayer} opens it over an accepted
 * channel (the handshake on the calling thread), a JSSE client is the peer. Its writes that do not wait
 * keep the bytes' order and lose none, even when the socket fills and no write follows; its reads that do
 * not wait see everything that has arrived; its end is close_notify; the peer's end is the end of input.
 */
@DisplayName("EngineWire: TLS over the accepted channel, for a connection's own thread")
class EngineWireTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ServerSocketChannel listening;
    private Socket plain;
    private SSLSocket client;
    private EngineWire wire;

    @AfterEach
    void close() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (client != null) {
            client.close();
        }
        if (plain != null) {
            plain.close();
        }
        if (listening != null) {
            listening.close();
        }
    }

    /** Accepts a JSSE client and opens the server's wire; small socket buffers on both sides when asked. */
    private void connect(int socketBuffers) throws Exception {
        listening = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
        plain = new Socket();
        if (socketBuffers > 0) {
            plain.setReceiveBufferSize(socketBuffers);
        }
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        client = (SSLSocket) TlsSupport.jsseClient().getSocketFactory().createSocket(plain, "localhost", port, true);
        client.setSoTimeout((int) TIMEOUT.toMillis());
        CompletableFuture<Void> clientHandshake = CompletableFuture.runAsync(() -> {
            try {
                client.startHandshake();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofVirtual().start(task));
        SocketChannel accepted = listening.accept();
        if (socketBuffers > 0) {
            accepted.socket().setSendBufferSize(socketBuffers);
        }
        Wire opened = new ServerLayer(LOCALHOST.serverConfig(), TIMEOUT).open(accepted);
        wire = (EngineWire) opened;
        clientHandshake.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(wire.tlsSession().isPresent(), "the session is on the wire once the handshake is done");
    }

    /** Runs {@code body} on a virtual thread (a reader of the virtual transport) and returns its result. */
    private static <T> T onVirtualThread(java.util.concurrent.Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static byte expected(long index) {
        return (byte) (index % 251);
    }

    @Test
    @DisplayName("writes that do not wait keep order, and what the socket did not take goes out with no later write")
    void writesThatDoNotWaitKeepOrderAndLoseNothing() throws Exception {
        connect(8 << 10);
        long flushersBefore = EngineWire.flushersStarted();
        // the reader's inline writes while the client reads nothing: until the socket takes no more
        long written = onVirtualThread(() -> {
            long total = 0;
            while (true) {
                byte[] chunk = new byte[3000];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = expected(total + i);
                }
                long taken = wire.tryWrite(new ByteBuffer[] {ByteBuffer.wrap(chunk)}, 0, 1);
                total += taken;
                if (taken < chunk.length) {
                    return total; // full: a driver would hand the rest off; here nothing more is written
                }
            }
        });
        assertTrue(EngineWire.flushersStarted() > flushersBefore,
                "the ciphertext the full socket did not take was kept aside for a flusher");
        // no write follows: the client still receives every byte reported written, in order
        InputStream in = client.getInputStream();
        byte[] buffer = new byte[8192];
        long received = 0;
        while (received < written) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, written - received));
            assertTrue(n > 0, "the end of input after " + received + " of " + written + " bytes");
            for (int i = 0; i < n; i++) {
                assertEquals(expected(received + i), buffer[i], "byte " + (received + i));
            }
            received += n;
        }
        // then the server's end: close_notify, which JSSE reports as the end of data (a bare FIN would throw)
        wire.shutdownOutput();
        assertEquals(-1, in.read());
    }

    @Test
    @DisplayName("the writer's end goes out while the reader waits for input")
    void theWritersEndGoesOutWhileTheReaderWaits() throws Exception {
        connect(0);
        CompletableFuture<Integer> reading = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                reading.complete(wire.read(ByteBuffer.allocate(512)));
            } catch (Throwable e) {
                reading.completeExceptionally(e);
            }
        });
        while (reader.getState() != Thread.State.WAITING) {
            Thread.sleep(1); // the reader parks in the channel's read
        }
        // the hand-off writer (a virtual thread) ends the output, the reader still waiting for input
        onVirtualThread(() -> {
            wire.shutdownOutput();
            return null;
        });
        client.setSoTimeout(5_000);
        assertEquals(-1, client.getInputStream().read(), "close_notify, while the reader still waits");
        assertFalse(reading.isDone(), "the reader still waits for input");
    }

    @Test
    @DisplayName("the answer to the client's key update, wrapped by the reading thread, gives its buffer back")
    void aKeyUpdatesAnswerGivesItsBufferBack() throws Exception {
        connect(0);
        int before = WireBuffers.lent();
        client.startHandshake(); // after a TLS 1.3 handshake: a KeyUpdate, an update of ours requested
        client.getOutputStream().write('x');
        client.getOutputStream().flush();
        ByteBuffer buffer = ByteBuffer.allocate(512);
        assertEquals(1, onVirtualThread(() -> wire.read(buffer)));
        assertEquals(before, WireBuffers.lent(), "no buffer held by the reader waiting for input after the answer");
    }

    @Test
    @DisplayName("a record larger than the reader's buffer comes in pieces, and a read that does not wait sees the rest")
    void aLargeRecordComesInPiecesAndReadNowSeesTheRest() throws Exception {
        connect(0);
        byte[] message = message(10_000);
        client.getOutputStream().write(message); // one record
        client.getOutputStream().flush();
        assertTrue(wire.readNowSeesAll());
        ByteBuffer small = ByteBuffer.allocate(512);
        int total = wire.read(small);
        assertTrue(total > 0);
        ByteBuffer all = ByteBuffer.allocate(message.length).put(small.flip());
        while (total < message.length) {
            small.clear();
            int n = wire.readNow(small);
            assertTrue(n > 0, "a read that does not wait found nothing after " + total + " of " + message.length + " bytes");
            all.put(small.flip());
            total += n;
        }
        assertEquals(ByteBuffer.wrap(message), all.flip());
        assertEquals(0, wire.readNow(ByteBuffer.allocate(512)), "nothing more has arrived");
    }

    @Test
    @DisplayName("a read that waited hands its ciphertext to the engine through the pooled buffer, and plaintext the reader's buffer had no room for stays there: no copies of their own")
    void readsThatWaitedAllocateNoCopies() throws Exception {
        connect(0);
        byte[] message = new byte[1_000]; // 16 small frames' worth: one record, larger than the resident buffer
        ByteBuffer resident = ByteBuffer.allocate(512);
        ByteBuffer large = ByteBuffer.allocate(WireBuffers.SIZE);
        // the engine's own allocation per record: records read by the engine from the socket, unwrapped
        // into a buffer with room for them (nothing of ours copied)
        long engine = allocatedPerRecord(message, () -> {
            while (wire.available() <= message.length) {
                Thread.onSpinWait(); // the whole record in the socket
            }
            return wire.readNow(large.clear());
        });
        // as a stream connection reads a burst: it waits in its resident buffer, which fills, then takes the
        // rest into a large one without waiting
        long waited = allocatedPerRecord(message, () -> {
            int n = wire.read(resident.clear());
            while (n < message.length) {
                int more = wire.readNow(large.clear());
                assertTrue(more > 0, "the rest of the record, at " + n);
                n += more;
            }
            return n;
        });
        assertEquals(0, WireBuffers.lent(), "every buffer given back once the record was handed out");
        // with copies: the resident buffer's 512 bytes of ciphertext and the 488 bytes of plaintext it had no
        // room for, each in an array of its own, per record
        assertTrue(waited < engine + 256, "bytes allocated per record: " + waited + " read after a wait, "
                + engine + " by the engine alone");
    }

    @Test
    @DisplayName("plaintext that the read after the one that decrypted it leaves waits in a buffer of its own size: a reader its listener holds then (backpressure) holds no pooled buffer")
    void plaintextTheNextReadLeavesWaitsInACopyOfItsSize() throws Exception {
        connect(0);
        int before = WireBuffers.lent();
        byte[] message = message(10_000); // one record
        client.getOutputStream().write(message);
        client.getOutputStream().flush();
        ByteBuffer small = ByteBuffer.allocate(512);
        ByteBuffer all = ByteBuffer.allocate(message.length);
        assertEquals(512, wire.read(small), "the record decrypted, the reader's buffer filled");
        all.put(small.flip());
        assertEquals(before + 1, WireBuffers.lent(), "the rest waits in the pooled buffer for the read that follows");
        assertEquals(512, wire.readNow(small.clear()), "that read filled the reader's buffer again");
        all.put(small.flip());
        // the reader hands its buffer on and stops there for as long as its listener holds it
        assertEquals(before, WireBuffers.lent(), "the rest moved into a buffer of its own size, the pooled one went back");
        while (all.hasRemaining()) {
            int n = wire.readNow(small.clear());
            assertTrue(n > 0, "the rest of the record, at " + all.position());
            all.put(small.flip());
        }
        assertEquals(ByteBuffer.wrap(message), all.flip());
        assertEquals(before, WireBuffers.lent());
    }

    @Test
    @DisplayName("a burst larger than the resident buffer (its record read in two parts, the wait's and the rest) is unwrapped once, and the wait takes no scratch buffer before its bytes come")
    void aRecordReadInTwoPartsIsUnwrappedOnce() throws Exception {
        connect(0);
        int overhead = 22; // a TLS 1.3 record's header, content type and AES-GCM tag
        ByteBuffer resident = ByteBuffer.allocate(512);
        ByteBuffer large = ByteBuffer.allocate(WireBuffers.SIZE);
        for (int round = 0; round < 3; round++) {
            client.getOutputStream().write(message(1_000)); // 16 small frames' worth: one record
            client.getOutputStream().flush();
            awaitAvailable(1_000 + overhead);
            long unwraps = wire.unwraps();
            long takes = wire.scratchTakes();
            // as a virtual reader after a wait: the resident buffer fills with the record's first 512 bytes,
            // the wire reads the rest without waiting, then the reader takes the plaintext left over
            assertEquals(512, (int) onVirtualThread(() -> wire.read(resident.clear())));
            assertEquals(488, (int) onVirtualThread(() -> wire.readNow(large.clear())));
            assertEquals(1, wire.unwraps() - unwraps,
                    "one unwrap for the one record: none of its first part alone, which could only underflow");
            assertEquals(2, wire.scratchTakes() - takes,
                    "two pooled buffers, the ciphertext's and the plaintext's, both taken once the bytes came");
        }
        assertEquals(0, WireBuffers.lent(), "every buffer given back");
    }

    @Test
    @DisplayName("partialRecord: part of a header, or a header and less than its length; not a whole record, nothing, or a length no record has")
    void partialRecords() {
        byte[] record = {23, 3, 3, 0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 23, 3};
        assertTrue(EngineChannel.partialRecord(ByteBuffer.wrap(record, 0, 3)), "part of the header");
        assertTrue(EngineChannel.partialRecord(ByteBuffer.wrap(record, 0, 5)), "the header alone");
        assertTrue(EngineChannel.partialRecord(ByteBuffer.wrap(record, 0, 14)), "one byte short");
        assertFalse(EngineChannel.partialRecord(ByteBuffer.wrap(record, 0, 15)), "the whole record");
        assertFalse(EngineChannel.partialRecord(ByteBuffer.wrap(record, 0, 17)), "a record and part of the next");
        assertTrue(EngineChannel.partialRecord(ByteBuffer.wrap(record, 15, 2)), "the next one's start");
        assertFalse(EngineChannel.partialRecord(ByteBuffer.allocate(0)), "nothing");
        assertFalse(EngineChannel.partialRecord(ByteBuffer.wrap(new byte[] {23, 3, 3, (byte) 0xff, (byte) 0xff, 0})),
                "a length beyond any record's: the engine's unwrap names that");
    }

    @Test
    @DisplayName("a record header with a length no record may have (RFC 8446 section 5.2) fails the read at once: the wire does not wait for 64 KiB that the engine would refuse")
    void aRecordLengthNoRecordMayHaveFailsAtOnce() throws Exception {
        connect(0);
        // after the handshake, straight onto the TCP socket under the client's TLS: an application_data
        // header claiming 65,535 bytes, and one byte of them
        plain.getOutputStream().write(new byte[] {23, 3, 3, (byte) 0xff, (byte) 0xff, 0});
        plain.getOutputStream().flush();
        awaitAvailable(6);
        ByteBuffer resident = ByteBuffer.allocate(512);
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> onVirtualThread(() -> wire.read(resident.clear())));
        assertTrue(failed.getCause() instanceof java.io.IOException, "the read fails: " + failed.getCause());
    }

    @Test
    @DisplayName("a wire closed with plaintext kept for its reader gives the pooled buffer back, once, and reads no more")
    void closingWithPlaintextKeptGivesTheBufferBack() throws Exception {
        connect(0);
        int before = WireBuffers.lent();
        client.getOutputStream().write(message(10_000)); // one record
        client.getOutputStream().flush();
        ByteBuffer small = ByteBuffer.allocate(512);
        assertEquals(512, wire.read(small));
        assertEquals(before + 1, WireBuffers.lent(), "the rest of the record waits in the pooled buffer");
        wire.close(); // the connection ends (a timeout, an abort) before its reader comes back
        assertEquals(before, WireBuffers.lent(), "closing gave the pooled buffer back");
        wire.close();
        assertEquals(before, WireBuffers.lent(), "a second close gives nothing back twice");
        assertThrows(java.io.IOException.class, () -> wire.read(small.clear()), "a read after the close");
        assertEquals(before, WireBuffers.lent(), "the failed read gave nothing back twice");
    }

    /** {@code length} bytes of the {@link #expected} pattern. */
    private static byte[] message(int length) {
        byte[] message = new byte[length];
        for (int i = 0; i < length; i++) {
            message[i] = expected(i);
        }
        return message;
    }

    /** Bytes the calling thread allocates per record in {@code read}, over the last 200 of 400 records the client sends. */
    private long allocatedPerRecord(byte[] message, java.util.concurrent.Callable<Integer> read) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated = 0;
        int rounds = 400;
        int measured = 200;
        for (int round = 0; round < rounds; round++) {
            client.getOutputStream().write(message);
            client.getOutputStream().flush();
            long before = threads.getCurrentThreadAllocatedBytes();
            assertEquals(message.length, read.call());
            if (round >= rounds - measured) {
                allocated += threads.getCurrentThreadAllocatedBytes() - before;
            }
        }
        return allocated / measured;
    }

    /** Waits until {@code bytes} have arrived in the server's socket (whole records, so a read takes them at once). */
    private void awaitAvailable(int bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (wire.available() < bytes && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(wire.available() >= bytes, "the records arrived");
    }

    @Test
    @DisplayName("drained(): the last socket read, the wire's or the engine's, left room, and nothing is held for the next read")
    void drainedWhenTheSocketHadNoMoreAndNothingIsHeld() throws Exception {
        connect(0);
        assertFalse(wire.drained(), "nothing read yet: it cannot tell");
        int overhead = 22; // a TLS 1.3 record's header, content type and AES-GCM tag
        client.getOutputStream().write(message(100));
        client.getOutputStream().flush();
        awaitAvailable(100 + overhead);
        ByteBuffer resident = ByteBuffer.allocate(512);
        assertEquals(100, (int) onVirtualThread(() -> wire.read(resident.clear())));
        assertTrue(wire.drained(), "a record smaller than the reader's buffer: its read left room");

        client.getOutputStream().write(message(1_000)); // one record, larger than the resident buffer
        client.getOutputStream().flush();
        awaitAvailable(1_000 + overhead);
        assertEquals(512, (int) onVirtualThread(() -> wire.read(resident.clear())), "the buffer filled");
        assertFalse(wire.drained(), "plaintext is kept for the next read");
        ByteBuffer large = ByteBuffer.allocate(WireBuffers.SIZE);
        assertEquals(488, (int) onVirtualThread(() -> wire.readNow(large)));
        assertTrue(wire.drained(), "all handed out, and the engine's read of the record's rest had left room");

        client.getOutputStream().write("last".getBytes(StandardCharsets.US_ASCII));
        client.shutdownOutput(); // close_notify right behind
        awaitAvailable(4 + overhead + 24);
        assertEquals(4, (int) onVirtualThread(() -> wire.read(resident.clear())));
        assertFalse(wire.drained(), "the close_notify read with the bytes is held: the next read ends without the network");
        assertEquals(-1, (int) onVirtualThread(() -> wire.read(resident.clear())));
        assertFalse(wire.drained(), "the end is news, not a drained socket");
    }

    @Test
    @DisplayName("the client's close_notify is the end of input, after its last bytes")
    void thePeersCloseNotifyIsTheEndOfInput() throws Exception {
        connect(0);
        client.getOutputStream().write("last".getBytes(StandardCharsets.US_ASCII));
        client.shutdownOutput(); // close_notify (TLS 1.3 half-close)
        ByteBuffer buffer = ByteBuffer.allocate(512);
        int n = 0;
        while (n < 4) {
            int got = wire.read(buffer);
            assertTrue(got > 0, "the end of input before the last bytes");
            n += got;
        }
        assertEquals("last", new String(buffer.array(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals(-1, wire.read(buffer.clear()));
    }

    @Test
    @DisplayName("a burst of records larger than the reader's buffer, close_notify behind it: every byte in order, then the end, and no buffer left lent")
    void aBurstWithCloseNotifyBehindItComesWholeAndInOrder() throws Exception {
        connect(0);
        byte[] message = message(50_000); // four records
        client.getOutputStream().write(message);
        client.shutdownOutput(); // close_notify right behind the data
        ByteBuffer resident = ByteBuffer.allocate(512);
        ByteBuffer all = ByteBuffer.allocate(message.length);
        int n;
        while ((n = wire.read(resident.clear())) > 0) {
            all.put(resident.flip());
        }
        assertEquals(-1, n);
        assertEquals(ByteBuffer.wrap(message), all.flip());
        assertEquals(0, WireBuffers.lent(), "every buffer given back at the end of input");
    }

    @Test
    @DisplayName("the client's bare TCP FIN is the end of input too")
    void thePeersFinIsTheEndOfInput() throws Exception {
        connect(0);
        plain.shutdownOutput(); // under TLS: no close_notify
        assertEquals(-1, wire.read(ByteBuffer.allocate(512)));
    }

    @Test
    @DisplayName("a plaintext HTTP request gets a 400 in plain text and fails the handshake, named")
    void plaintextOnTheTlsPortGets400() throws Exception {
        listening = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
        plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setSoTimeout((int) TIMEOUT.toMillis());
        plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (SocketChannel accepted = listening.accept()) {
            TlsHandshakeException e = assertThrows(TlsHandshakeException.class,
                    () -> new ServerLayer(LOCALHOST.serverConfig(), TIMEOUT).open(accepted));
            assertEquals(TlsHandshakeException.Reason.NOT_TLS, e.reason(), e.getMessage());
        }
        String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
        assertTrue(answer.contains("wss://"), answer);
    }

    @Test
    @DisplayName("a client that leaves before its ClientHello fails the handshake as CLOSED")
    void aClientLeavingBeforeItsHelloIsClosed() throws Exception {
        listening = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
        plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.shutdownOutput();
        try (SocketChannel accepted = listening.accept()) {
            TlsHandshakeException e = assertThrows(TlsHandshakeException.class,
                    () -> new ServerLayer(LOCALHOST.serverConfig(), TIMEOUT).open(accepted));
            assertEquals(TlsHandshakeException.Reason.CLOSED, e.reason(), e.getMessage());
        }
    }
}
