package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.FragmentListener;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.stream.Message;
import ws.protocol.stream.MessagePublisher;
import ws.protocol.stream.MessageStreams;
import ws.protocol.stream.StreamingListener;

/**
 * Fragment-level I/O, messages as streams and as a Flow, on the loopback with a raw peer that sends and
 * reads exact frames.
 */
class StreamsAndFragmentsTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    Loopback net;

    @BeforeEach
    void start() {
        net = Loopback.withSystemClock();
    }

    @AfterEach
    void stop() {
        net.close();
    }

    RawPeer connect(WebSocketServer server) {
        RawPeer peer = net.rawClient(server);
        assertEquals(101, peer.handshake("/s").status());
        return peer;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    record Received(String data, boolean text, boolean first, boolean last) {
    }

    /** Records each fragment: text as its bytes in hex, so that a split character shows. */
    static final class Recorder implements FragmentListener {
        final List<Received> fragments = new CopyOnWriteArrayList<>();
        final CompletableFuture<WebSocket> open = new CompletableFuture<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            open.complete(webSocket);
        }

        @Override
        public void onFragment(WebSocket webSocket, ByteBuffer data, boolean text, boolean first, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            fragments.add(new Received(java.util.HexFormat.of().formatHex(bytes), text, first, last));
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            closed.complete(status);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String hex(String text) {
        return java.util.HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class FragmentLevelReceiving {
        @Test
        void eachDataFrameArrivesAsThePeerSentItWithControlFramesHandledBetween() throws Exception {
            Recorder recorder = new Recorder();
            RawPeer peer = connect(net.startServer("/s", recorder));
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // e2 82 ac: split across frames
            peer.frame(Frame.TEXT).fin(false).payload("ab" + "").send();
            peer.frame(Frame.CONTINUATION).fin(false).payload(new byte[] {euro[0], euro[1]}).send();
            peer.frame(Frame.PING).payload("p").send();
            peer.frame(Frame.CONTINUATION).fin(true).payload(new byte[] {euro[2], 'c'}).send();
            peer.frame(Frame.BINARY).fin(true).payload(new byte[] {1, 2, 3}).send();
            assertEquals("p", peer.awaitFrame(Frame.PONG, WAIT).text());
            await(() -> recorder.fragments.size() == 4, "four fragments");
            assertEquals(List.of(
                    new Received(hex("ab"), true, true, false),
                    new Received("e282", true, false, false),
                    new Received("ac63", true, false, true),
                    new Received("010203", false, true, true)), recorder.fragments);
            peer.sendClose(1000, "");
            assertEquals(1000, peer.awaitClose(WAIT).code());
        }

        @Test
        void invalidUtf8AcrossAFragmentBoundaryFailsWith1007AndIsNeverDelivered() throws Exception {
            Recorder recorder = new Recorder();
            RawPeer peer = connect(net.startServer("/s", recorder));
            peer.frame(Frame.TEXT).fin(false).payload(new byte[] {'o', 'k', (byte) 0xe2}).send();
            peer.frame(Frame.CONTINUATION).fin(true).payload(new byte[] {0x28, 'x'}).send(); // e2 28: not a continuation byte
            assertEquals(CloseCodes.INVALID_PAYLOAD, peer.awaitClose(WAIT).code());
            assertEquals(List.of(new Received("6f6be2", true, true, false)), recorder.fragments);
            assertEquals(CloseCodes.INVALID_PAYLOAD, recorder.closed.get(10, TimeUnit.SECONDS).code());
        }

        @Test
        void aStreamedMessageOverTheStreamedLimitFailsWith1009() throws Exception {
            Recorder recorder = new Recorder();
            WebSocketServer server = WebSocketServer.builder().transport(net).port(0).route("/s", recorder)
                    .connection(c -> c.withLimits(c.limits().withMaxStreamedMessageSize(10))).start();
            RawPeer peer = connect(server);
            peer.frame(Frame.BINARY).fin(false).payload(new byte[6]).send();
            peer.frame(Frame.CONTINUATION).fin(true).payload(new byte[6]).send();
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, peer.awaitClose(WAIT).code());
            assertEquals(1, recorder.fragments.size());
        }

        @Test
        void aClientReceivesFragmentsToo() throws Exception {
            RawListener raw = net.rawServer();
            Recorder recorder = new Recorder();
            net.client().connect(net.uri(raw.port(), "/s"), recorder);
            RawPeer peer = raw.accept(WAIT);
            peer.acceptHandshake(WAIT);
            recorder.open.get(10, TimeUnit.SECONDS);
            peer.frame(Frame.BINARY).fin(false).payload(new byte[] {9}).send();
            peer.frame(Frame.CONTINUATION).fin(true).payload(new byte[] {8}).send();
            await(() -> recorder.fragments.size() == 2, "two fragments");
            assertEquals(List.of(new Received("09", false, true, false), new Received("08", false, false, true)),
                    recorder.fragments);
        }
    }

    @Nested
    class PartialSends {
        @Test
        void partsBecomeExactlyTheFramesAskedForAndNoOtherMessageMayInterleave() throws Exception {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            WebSocketServer server = net.startServer("/s", new ws.protocol.api.WebSocketListener() {
                @Override
                public void onOpen(WebSocket ws) {
                    ws.sendText("Hel", false);
                    try {
                        ws.sendText("whole");
                    } catch (IllegalStateException e) {
                        refused.complete(e);
                    }
                    ws.ping(ByteBuffer.wrap(new byte[] {7})); // control frames may come between the parts
                    ws.sendText("lo", true);
                    ws.sendBinary(ByteBuffer.wrap(new byte[] {1}), false);
                    ws.sendBinary(ByteBuffer.wrap(new byte[0]), true);
                }
            });
            RawPeer peer = connect(server);
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                frames.add(peer.awaitFrame(WAIT));
            }
            // the ping may overtake queued data at a frame boundary: the data frames keep their order
            assertEquals(1, frames.stream().filter(f -> f.opcode() == Frame.PING).count());
            Iterator<Frame> data = frames.stream().filter(f -> f.opcode() != Frame.PING).iterator();
            assertFrame(data.next(), false, Frame.TEXT, "Hel");
            assertFrame(data.next(), true, Frame.CONTINUATION, "lo");
            Frame first = data.next();
            assertEquals(Frame.BINARY, first.opcode());
            assertFalse(first.fin());
            assertArrayEquals(new byte[] {1}, first.payload());
            Frame last = data.next();
            assertEquals(Frame.CONTINUATION, last.opcode());
            assertTrue(last.fin());
            assertEquals(0, last.payload().length);
            assertTrue(refused.get(10, TimeUnit.SECONDS).getMessage().contains("partial TEXT message is in progress"));
        }

        @Test
        void aClientsPartsAreMaskedFramesOfOneMessage() throws Exception {
            RawListener raw = net.rawServer();
            CompletableFuture<WebSocket> connecting = net.client().connect(net.uri(raw.port(), "/s"),
                    new ws.protocol.api.WebSocketListener() {
                    }).toCompletableFuture();
            RawPeer peer = raw.accept(WAIT);
            peer.acceptHandshake(WAIT);
            WebSocket client = connecting.get(10, TimeUnit.SECONDS);
            client.sendBinary(ByteBuffer.wrap(new byte[] {1, 2}), false);
            assertThrows(IllegalStateException.class, () -> client.sendText("a text part", false));
            client.sendBinary(ByteBuffer.wrap(new byte[] {3}), true);
            Frame first = peer.awaitFrame(WAIT);
            Frame last = peer.awaitFrame(WAIT);
            assertEquals(List.of(Frame.BINARY, Frame.CONTINUATION), List.of(first.opcode(), last.opcode()));
            assertEquals(List.of(false, true), List.of(first.fin(), last.fin()));
            assertTrue(first.masked() && last.masked(), "a client masks every frame");
            assertArrayEquals(new byte[] {1, 2}, first.payload());
            assertArrayEquals(new byte[] {3}, last.payload());
        }
    }

    /** A handler that reads nothing until {@link #go} opens, then counts the message's bytes. */
    static final class HeldReader implements StreamingListener {
        final CountDownLatch go = new CountDownLatch(1);
        final CompletableFuture<WebSocket> streaming = new CompletableFuture<>();
        final CompletableFuture<Long> total = new CompletableFuture<>();

        @Override
        public void onBinaryStream(WebSocket ws, InputStream data) throws IOException {
            streaming.complete(ws);
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            total.complete(data.transferTo(OutputStream.nullOutputStream()));
        }
    }

    @Nested
    class ReceivingStreams {
        @Test
        void aBinaryMessageIsReadWhileItsFramesArrive() throws Exception {
            CompletableFuture<String> firstPart = new CompletableFuture<>();
            CompletableFuture<String> whole = new CompletableFuture<>();
            WebSocketServer server = net.startServer("/s", MessageStreams.receiving(new StreamingListener() {
                @Override
                public void onBinaryStream(WebSocket ws, InputStream data) throws IOException {
                    firstPart.complete(new String(data.readNBytes(3), StandardCharsets.US_ASCII));
                    whole.complete(new String(data.readAllBytes(), StandardCharsets.US_ASCII));
                }
            }));
            RawPeer peer = connect(server);
            peer.frame(Frame.BINARY).fin(false).payload("abc").send();
            // read before the message ended: the rest is not sent yet
            assertEquals("abc", firstPart.get(10, TimeUnit.SECONDS));
            assertFalse(whole.isDone());
            peer.frame(Frame.CONTINUATION).fin(true).payload("def").send();
            assertEquals("def", whole.get(10, TimeUnit.SECONDS));
        }

        @Test
        void invalidUtf8MidStreamFailsTheReaderAndTheConnectionWith1007() throws Exception {
            CompletableFuture<String> before = new CompletableFuture<>();
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            WebSocketServer server = net.startServer("/s", MessageStreams.receiving(new StreamingListener() {
                @Override
                public void onTextStream(WebSocket ws, Reader text) {
                    char[] chars = new char[5];
                    try {
                        int n = text.read(chars);
                        before.complete(new String(chars, 0, n));
                        text.read();
                        failed.completeExceptionally(new AssertionError("read past invalid UTF-8"));
                    } catch (IOException e) {
                        failed.complete(e);
                    }
                }
            }));
            RawPeer peer = connect(server);
            peer.frame(Frame.TEXT).fin(false).payload("h\u00e9llo").send();
            assertEquals("h\u00e9llo", before.get(10, TimeUnit.SECONDS));
            peer.frame(Frame.CONTINUATION).fin(true).payload(new byte[] {'a', (byte) 0xc0, (byte) 0xaf}).send(); // overlong
            assertEquals(CloseCodes.INVALID_PAYLOAD, peer.awaitClose(WAIT).code());
            Throwable error = failed.get(10, TimeUnit.SECONDS);
            assertTrue(String.valueOf(error.getCause()).contains("invalid UTF-8"), String.valueOf(error.getCause()));
        }

        @Test
        void aHandlerWokenByTheFailureCannotSendTheRestOfTheBrokenMessage() throws Exception {
            // RFC 6455 section 8.1: invalid UTF-8 fails the connection. An echo that writes what it reads
            // closes its Writer when the Reader fails; that FIN must not go out before the 1007 (the
            // engine holds its close while the reading thread finishes dispatching: held here, in
            // onError, until the handler's send was refused or made)
            CompletableFuture<Void> handlerDone = new CompletableFuture<>();
            WebSocketServer server = net.startServer("/s", MessageStreams.receiving(new StreamingListener() {
                @Override
                public void onTextStream(WebSocket ws, Reader text) throws IOException {
                    try (java.io.Writer echo = MessageStreams.writer(ws)) {
                        text.transferTo(echo);
                    } finally {
                        handlerDone.complete(null);
                    }
                }

                @Override
                public void onError(WebSocket ws, Throwable error) {
                    handlerDone.join();
                }
            }));
            RawPeer peer = connect(server);
            peer.frame(Frame.TEXT).fin(false).payload(new byte[] {(byte) 0xce, (byte) 0xba}).send();
            peer.frame(Frame.CONTINUATION).fin(true).payload(new byte[] {(byte) 0xc0, (byte) 0xaf}).send(); // overlong
            assertEquals(CloseCodes.INVALID_PAYLOAD, peer.awaitClose(WAIT).code());
            assertTrue(peer.received().stream().noneMatch(f -> f.opcode() == Frame.TEXT || f.opcode() == Frame.CONTINUATION),
                    "no data frame before the close: " + peer.received());
        }

        @Test
        void aSlowReaderPausesTheSocket() throws Exception {
            int frame = 64 << 10;
            int frames = 256; // 16 MiB
            HeldReader reader = new HeldReader();
            WebSocketServer server = net.startServer("/s", MessageStreams.receiving(reader));
            RawPeer peer = connect(server);
            Link link = net.links().get(0);
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < frames; i++) {
                    peer.frame(i == 0 ? Frame.BINARY : Frame.CONTINUATION).fin(i == frames - 1).payload(new byte[frame]).send();
                }
            });
            ConnectionDriver connection = (ConnectionDriver) reader.streaming.get(10, TimeUnit.SECONDS);
            await(() -> connection.readPause().pauses() > 0, "the reader paused");
            long read = link.toServer().bytesDelivered();
            // the handler has read nothing: the stream's buffer (64 KiB), one frame, and one network read
            // at most were taken from the network; the peer is held back with 15+ MiB unsent
            assertTrue(read < 1 << 20, "read " + read + " bytes while paused");
            assertTrue(sender.isAlive());
            assertEquals(read, link.toServer().bytesDelivered(), "nothing more read while paused");
            reader.go.countDown();
            assertEquals((long) frame * frames, reader.total.get(30, TimeUnit.SECONDS));
            sender.join();
        }
        @Test
        void aPausedReaderIsNeitherDeadNorIdleForTheKeepalive() throws Exception {
            try (Loopback manual = Loopback.create()) {
                HeldReader reader = new HeldReader();
                WebSocketServer server = WebSocketServer.builder().transport(manual).port(0)
                        .route("/s", MessageStreams.receiving(reader, 1024))
                        .connection(c -> c.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10))
                                .withIdleTimeout(Duration.ofSeconds(60)))
                        .start();
                RawPeer peer = manual.rawClient(server);
                assertEquals(101, peer.handshake("/s").status());
                for (int i = 0; i < 8; i++) {
                    peer.frame(i == 0 ? Frame.BINARY : Frame.CONTINUATION).fin(i == 7).payload(new byte[1024]).send();
                }
                ConnectionDriver connection = (ConnectionDriver) reader.streaming.get(10, TimeUnit.SECONDS);
                await(connection.readPause()::isWaiting, "the reader waits for the handler");
                for (int i = 0; i < 12; i++) {
                    manual.clock().advance(Duration.ofSeconds(10)); // 2 minutes: keepalive, pong deadline, idle timeout
                }
                assertEquals(ws.protocol.api.ReadyState.OPEN, connection.readyState());
                reader.go.countDown();
                assertEquals(8 * 1024L, reader.total.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Nested
    class SendingStreams {
        @Test
        void anOutputStreamSendsAFramePerBufferAndFlushAndTheLastAtClose() throws Exception {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            WebSocketServer server = net.startServer("/s", new ws.protocol.api.WebSocketListener() {
                @Override
                public void onOpen(WebSocket ws) {
                    Thread.ofVirtual().start(() -> {
                        try (OutputStream out = MessageStreams.outputStream(ws, 4)) {
                            out.write("abcdefghij".getBytes(StandardCharsets.US_ASCII)); // abcd, efgh sent; ij buffered
                            out.flush();                                                  // ij
                            refused.complete(assertThrows(IllegalStateException.class, () -> ws.sendText("other")));
                            out.write('k');
                        } catch (IOException e) {
                            refused.completeExceptionally(e);
                        }
                    });
                }
            });
            RawPeer peer = connect(server);
            List<String> frames = new ArrayList<>();
            Frame frame;
            do {
                frame = peer.awaitFrame(WAIT);
                frames.add(Frame.opcodeName(frame.opcode()) + (frame.fin() ? "+FIN " : " ") + frame.text());
            } while (!frame.fin());
            assertEquals(List.of("TEXT abcd".replace("TEXT", Frame.opcodeName(Frame.BINARY)),
                    Frame.opcodeName(Frame.CONTINUATION) + " efgh",
                    Frame.opcodeName(Frame.CONTINUATION) + " ij",
                    Frame.opcodeName(Frame.CONTINUATION) + "+FIN k"), frames);
            assertTrue(refused.get(10, TimeUnit.SECONDS).getMessage().contains("partial BINARY message"));
        }

        @Test
        void aWriterKeepsASurrogatePairSplitByAFlushWhole() throws Exception {
            WebSocketServer server = net.startServer("/s", new ws.protocol.api.WebSocketListener() {
                @Override
                public void onOpen(WebSocket ws) {
                    Thread.ofVirtual().start(() -> {
                        try (Writer out = MessageStreams.writer(ws, 3)) {
                            out.write("ab\uD83D\uDE00c"); // "ab" + high half, then low half + "c"
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
            });
            RawPeer peer = connect(server);
            StringBuilder text = new StringBuilder();
            Frame frame;
            do {
                frame = peer.awaitFrame(WAIT);
                text.append(frame.text());
            } while (!frame.fin());
            assertEquals("ab\uD83D\uDE00c", text.toString());
        }
    }

    @Nested
    class StreamingWithPermessageDeflate {
        @Test
        void aMessageStreamedBothWaysIsCompressedAndInflatedFrameByFrame() throws Exception {
            var deflate = java.util.List.<ws.protocol.extension.ExtensionFactory>of(new ws.protocol.deflate.PerMessageDeflate());
            // the echo: each message streamed back as it is read
            WebSocketServer server = WebSocketServer.builder().transport(net).port(0)
                    .route("/s", MessageStreams.receiving(new StreamingListener() {
                        @Override
                        public void onBinaryStream(WebSocket ws, InputStream data) throws IOException {
                            try (OutputStream out = MessageStreams.outputStream(ws, 16 << 10)) {
                                data.transferTo(out);
                            }
                        }
                    }))
                    .connection(c -> c.withExtensions(deflate).withLimits(c.limits().withMaxMessageSize(256 << 10)))
                    .start();
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            WebSocket client = net.newClient(ws.protocol.api.WebSocketClient.builder()
                            .connection(c -> c.withExtensions(deflate).withLimits(c.limits().withMaxMessageSize(256 << 10)))
                            .options())
                    .connect(net.uri(server, "/s"), MessageStreams.receiving(new StreamingListener() {
                        @Override
                        public void onBinaryStream(WebSocket ws, InputStream data) throws IOException {
                            echoed.complete(sha256(data.readAllBytes()));
                        }
                    })).get(10, TimeUnit.SECONDS);
            assertEquals("permessage-deflate", client.extensions().get(0).name());
            // 4 MB, compressible: far beyond maxMessageSize (256 KiB), streamed in 32 KiB frames
            java.security.MessageDigest sent = java.security.MessageDigest.getInstance("SHA-256");
            try (OutputStream out = MessageStreams.outputStream(client, 32 << 10)) {
                byte[] line = new byte[1000];
                for (int i = 0; i < 4096; i++) {
                    Arrays.fill(line, (byte) ('a' + i % 26));
                    line[i % line.length] = (byte) i;
                    out.write(line);
                    sent.update(line);
                }
            }
            assertArrayEquals(sent.digest(), echoed.get(60, TimeUnit.SECONDS));
            Link link = net.link(client);
            assertTrue(link.toServer().bytesDelivered() < 1 << 20, "compressed: " + link.toServer().bytesDelivered());
        }
    }

    /** A subscriber that records and checks rule 1.1 (never more than requested) on every signal. */
    static final class Subscriber implements Flow.Subscriber<Message> {
        final AtomicLong requested = new AtomicLong();
        final List<Message> items = new CopyOnWriteArrayList<>();
        final CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>(); // null: onComplete
        final List<String> violations = new CopyOnWriteArrayList<>();
        volatile boolean signalling;

        void request(long n) throws Exception {
            requested.accumulateAndGet(n, (now, more) -> now + more < 0 ? Long.MAX_VALUE : now + more);
            subscribed.get(10, TimeUnit.SECONDS).request(n);
        }

        private void enter(String signal) {
            if (signalling) {
                violations.add("rule 1.3: " + signal + " while another signal runs");
            }
            if (ended.isDone()) {
                violations.add(signal + " after the end");
            }
            signalling = true;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscribed.complete(subscription);
        }

        @Override
        public void onNext(Message item) {
            enter("onNext");
            items.add(item);
            if (items.size() > requested.get()) {
                violations.add("rule 1.1: " + items.size() + " items > " + requested.get() + " requested");
            }
            signalling = false;
        }

        @Override
        public void onError(Throwable error) {
            enter("onError");
            ended.complete(error);
            signalling = false;
        }

        @Override
        public void onComplete() {
            enter("onComplete");
            ended.complete(null);
            signalling = false;
        }
    }

    @Nested
    class MessagesAsAFlow {
        final Subscriber subscriber = new Subscriber();
        final CompletableFuture<MessagePublisher> publisher = new CompletableFuture<>();
        RawPeer peer;

        @BeforeEach
        void connectWithASubscriber() {
            WebSocketServer server = net.startServer("/s", MessagePublisher.perConnection(p -> {
                p.subscribe(subscriber);
                publisher.complete(p);
            }));
            peer = connect(server);
        }

        ConnectionDriver connection() throws Exception {
            return (ConnectionDriver) publisher.get(10, TimeUnit.SECONDS).webSocket();
        }

        @Test
        void demandDrivesReadingAndIsNeverExceeded() throws Exception {
            for (int i = 0; i < 5; i++) {
                peer.sendText("m" + i);
            }
            // rule 1.1: no demand, no onNext; the reader waits instead
            await(() -> {
                try {
                    return connection().readPause().pauses() > 0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "the reader waits for demand");
            assertEquals(List.of(), subscriber.items);
            subscriber.request(2);
            await(() -> subscriber.items.size() == 2, "two messages");
            await(() -> {
                try {
                    return connection().readPause().pauses() >= 2; // waiting for m0, then for m2
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "the reader waits again");
            assertEquals(2, subscriber.items.size());
            subscriber.request(Long.MAX_VALUE); // rule 3.17: demand adds up without overflowing
            subscriber.request(Long.MAX_VALUE);
            await(() -> subscriber.items.size() == 5, "five messages");
            assertEquals(new Message.Text("m4"), subscriber.items.get(4));
            peer.sendClose(1000, "");
            assertEquals(null, subscriber.ended.get(10, TimeUnit.SECONDS)); // onComplete
            assertEquals(List.of(), subscriber.violations);
        }

        @Test
        void noReadingOfTheSocketPastDemand() throws Exception {
            Link link = net.links().get(0);
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 256; i++) {
                    peer.sendBinary(new byte[64 << 10]); // 16 MiB in all
                }
            });
            subscriber.request(1);
            await(() -> subscriber.items.size() == 1, "one message");
            await(() -> {
                try {
                    return connection().readPause().isWaiting();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "the reader waits for demand");
            long read = link.toServer().bytesDelivered();
            // one message delivered, one waiting, and the rest of one network read: not the 16 MiB sent
            assertTrue(read < 1 << 20, "read " + read + " bytes with a demand of 1");
            assertTrue(sender.isAlive(), "the peer is held back");
            assertEquals(1, subscriber.items.size());
            subscriber.request(Long.MAX_VALUE);
            await(() -> subscriber.items.size() == 256, "every message once demanded");
            sender.join();
            assertEquals(List.of(), subscriber.violations);
        }

        @Test
        void rule3_9ANonPositiveRequestSignalsOnErrorAndClosesTheConnection() throws Exception {
            subscriber.request(0);
            assertInstanceOf(IllegalArgumentException.class, subscriber.ended.get(10, TimeUnit.SECONDS));
            assertEquals(1000, peer.awaitClose(WAIT).code());
            assertEquals(List.of(), subscriber.violations);
        }

        @Test
        void rule3_6CancelClosesTheConnectionAndLaterCallsDoNothing() throws Exception {
            peer.sendText("one");
            subscriber.request(1);
            await(() -> subscriber.items.size() == 1, "one message");
            subscriber.subscribed.get().cancel();
            assertEquals(1000, peer.awaitClose(WAIT).code());
            peer.sendText("dropped");
            subscriber.request(5);
            subscriber.subscribed.get().cancel();
            peer.sendClose(1000, "");
            peer.awaitEnd(WAIT);
            assertEquals(1, subscriber.items.size());
            assertFalse(subscriber.ended.isDone(), "no signal after cancel");
            assertEquals(List.of(), subscriber.violations);
        }

        @Test
        void rule1_9ASecondSubscriberGetsOnSubscribeThenOnError() throws Exception {
            Subscriber second = new Subscriber();
            publisher.get(10, TimeUnit.SECONDS).subscribe(second);
            assertTrue(second.subscribed.isDone());
            assertInstanceOf(IllegalStateException.class, second.ended.get(10, TimeUnit.SECONDS));
        }

        @Test
        void anAbnormalEndSignalsOnError() throws Exception {
            subscriber.request(1);
            peer.sendClose(CloseCodes.POLICY_VIOLATION, "no");
            Throwable error = subscriber.ended.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IOException.class, error);
            assertTrue(error.getMessage().contains("1008"), error.getMessage());
        }
    }

    static void assertFrame(Frame frame, boolean fin, int opcode, String text) {
        assertEquals(opcode, frame.opcode(), frame.toString());
        assertEquals(fin, frame.fin(), frame.toString());
        assertEquals(text, frame.text());
        assertEquals(0, frame.rsv());
    }
}
