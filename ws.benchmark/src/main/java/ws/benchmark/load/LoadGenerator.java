package ws.benchmark.load;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The load generator: N WebSocket client connections on a few NIO selector threads, built not to be
 * the bottleneck. Frames are encoded and masked once per connection ahead of time and copied into
 * the connection's write buffer; reads go into one buffer per thread and are parsed in place (a
 * header state machine that skips payloads without copying them); nothing is allocated per message;
 * writes are batched per read (one {@code write} per connection per wake-up); latency goes into a
 * histogram per thread.
 *
 * <p>Three kinds of run:
 * <ul>
 *   <li>{@link Kind#ECHO}: each connection keeps {@code window} messages in flight; each echo that
 *       comes back is timed (the server keeps order, so send times are a ring) and replaced by a
 *       new message.</li>
 *   <li>{@link Kind#BROADCAST}: connection 0 sends, keeping {@code window} messages in flight,
 *       where a message is in flight until every connection has received it (counted as all copies
 *       received over all connections, divided by the number of connections); every connection times
 *       every copy it receives from the send time carried in the payload (16 hex digits).</li>
 *   <li>{@link Kind#IDLE}: connections open and stay silent (answering pings).</li>
 *   <li>{@link Kind#SOAK}: an echo at a steady pace, every message checked: each connection sends
 *       {@code rate} messages per second (at most {@code window} in flight), each carrying its
 *       sequence number (16 hex digits) and a filler derived from it; each echo must come back whole,
 *       once, and in order ({@link #checks()}).</li>
 *   <li>{@link Kind#STALL}: connections open, then stop reading (a slow consumer) until
 *       {@link #resume()}: the server's sends to them pile up in its buffers.</li>
 *   <li>{@link Kind#CHURN}: {@code rate} connections per second (over all threads), each ended by a
 *       reset ({@code SO_LINGER} 0) at a point chosen by its index: a quarter in the middle of the
 *       opening handshake's request, a quarter in the middle of a frame after the handshake, the
 *       others after one echoed message. {@link #open} returns once all {@code connections} are
 *       done; {@code opened} counts those reset where planned, {@code failed} the others.</li>
 * </ul>
 * In a broadcast of at least 32-byte messages, the sequence number follows the send time, and every
 * connection checks it as a soak does: every message, once, in order.
 * An echo run with a {@code rate} is open-loop instead: messages leave on a fixed schedule (the rate
 * spread evenly over the connections, each connection's sends staggered), whatever the server does,
 * and each echo is timed from its <em>intended</em> send time, so a server that stalls is charged for
 * every message that should have left meanwhile (no coordinated omission). In-flight messages are
 * bounded only by {@link #PACED_IN_FLIGHT} per connection.
 * Connections are opened with at most {@code maxConnecting} handshakes in progress at a time, from
 * several 127.0.0.x source addresses (one address has about 28,000 ephemeral ports). With several
 * {@code ports} (the nodes of a cluster), connection {@code i} goes to {@code ports[i % n]}, so the
 * broadcast sender (connection 0) is on the first node, and latencies are also kept per node
 * ({@link #latencies(int)}).
 *
 * <p>With {@code socketIo}, every connection speaks Socket.IO v5 over Engine.IO v4 to
 * {@code /socket.io/?EIO=4&transport=websocket}: it joins the main namespace ({@code 40}), then asks to
 * join the benchmark room with an acknowledged {@code join} event, and counts as open once that ack
 * came; it answers the server's Engine.IO pings. An echo then sends {@code ping} events with an ack id
 * and times each acknowledgement; a broadcast sends {@code publish} events whose argument starts with
 * the send time, which the server emits to the room as {@code tick}. Other frames are not counted.
 */
public final class LoadGenerator implements AutoCloseable {
    /** What the connections do once open. */
    public enum Kind { ECHO, BROADCAST, IDLE, SOAK, STALL, CHURN }

    /**
     * @param host          the server's address
     * @param port          the server's port
     * @param connections   how many connections
     * @param payload       message payload size in bytes (at least 16 for broadcast)
     * @param binary        binary messages, else text (ASCII)
     * @param window        messages in flight per connection (echo) or for the sender (broadcast)
     * @param kind          what the connections do
     * @param threads       selector threads
     * @param sources       local addresses to connect from, used in turn
     * @param maxConnecting handshakes in progress at once, over all threads
     * @param socketIo      Socket.IO v5 events instead of plain WebSocket messages
     * @param ports         the ports of the nodes the connections are spread over, or none: {@code port} alone
     * @param rate          {@link Kind#ECHO}: messages per second over all connections on a fixed schedule (0
     *                      keeps {@code window} messages in flight instead, closed loop); {@link Kind#SOAK}:
     *                      messages per second per connection; {@link Kind#CHURN}: connections per second;
     *                      unused by the other kinds
     * @param tls           wss://: each connection speaks TLS through an engine of this context (see
     *                      {@link TlsWire}), checking the certificate against {@code host}; null: ws://
     */
    public record Config(String host, int port, int connections, int payload, boolean binary, int window, Kind kind,
                         int threads, List<InetAddress> sources, int maxConnecting, boolean socketIo, List<Integer> ports,
                         double rate, SSLContext tls) {
        public Config {
            Objects.requireNonNull(host);
            sources = List.copyOf(sources);
            ports = ports.isEmpty() ? List.of(port) : List.copyOf(ports);
            if (kind == Kind.BROADCAST && payload < 16 + (socketIo ? SIO_PUBLISH.length + 2 : 0)) {
                throw new IllegalArgumentException("broadcast payload " + payload + " too small for the send time");
            }
            if (socketIo && (binary || payload < SIO_PING.length + 2)) {
                throw new IllegalArgumentException("Socket.IO runs send text events of at least "
                        + (SIO_PING.length + 2) + " bytes");
            }
            if (rate < 0 || (rate > 0 && kind != Kind.ECHO && kind != Kind.SOAK && kind != Kind.CHURN)) {
                throw new IllegalArgumentException("a rate (" + rate + ") is for echo, soak and churn runs only, and not negative");
            }
            if ((kind == Kind.SOAK || kind == Kind.CHURN) && (socketIo || binary || payload < 16 || payload > 125 || !(rate > 0))) {
                throw new IllegalArgumentException(kind + " runs send text messages of 16 to 125 bytes at a rate above 0, not "
                        + payload + " bytes at " + rate);
            }
            if (tls != null && kind == Kind.CHURN) {
                throw new IllegalArgumentException("a churn resets connections at planned bytes: ws:// only");
            }
        }

        /** This run at a fixed rate of {@code messagesPerSecond} over all connections (echo). */
        public Config withRate(double messagesPerSecond) {
            return new Config(host, port, connections, payload, binary, window, kind, threads, sources, maxConnecting,
                    socketIo, ports, messagesPerSecond, tls);
        }

        /** This run over wss://, trusting what {@code context} trusts (null: ws://). */
        public Config withTls(SSLContext context) {
            return new Config(host, port, connections, payload, binary, window, kind, threads, sources, maxConnecting,
                    socketIo, ports, rate, context);
        }

        /** One server, plain WebSocket messages or Socket.IO events, not paced. */
        public Config(String host, int port, int connections, int payload, boolean binary, int window, Kind kind,
                      int threads, List<InetAddress> sources, int maxConnecting, boolean socketIo) {
            this(host, port, connections, payload, binary, window, kind, threads, sources, maxConnecting, socketIo, List.of(), 0, null);
        }

        /** One server at {@code rate} (see the record's components). */
        public Config(String host, int port, int connections, int payload, boolean binary, int window, Kind kind,
                      int threads, List<InetAddress> sources, int maxConnecting, boolean socketIo, double rate) {
            this(host, port, connections, payload, binary, window, kind, threads, sources, maxConnecting, socketIo, List.of(), rate, null);
        }

        /** Connections spread over the nodes on {@code ports}, the first one's port as {@code port}. */
        public Config(String host, List<Integer> ports, int connections, int payload, int window, Kind kind, int threads,
                      int maxConnecting) {
            this(host, ports.getFirst(), connections, payload, false, window, kind, threads, List.of(), maxConnecting, true, ports, 0, null);
        }

        /** The node connection {@code index} goes to. */
        int node(int index) {
            return index % ports.size();
        }

        /** Plain WebSocket messages. */
        public Config(String host, int port, int connections, int payload, boolean binary, int window, Kind kind,
                      int threads, List<InetAddress> sources, int maxConnecting) {
            this(host, port, connections, payload, binary, window, kind, threads, sources, maxConnecting, false, 0);
        }
    }

    // Socket.IO v5 over Engine.IO v4 text frames (Config.socketIo)
    private static final byte[] SIO_CONNECT = ascii("40");
    private static final byte[] SIO_CONNECTED = ascii("40");
    private static final byte[] SIO_JOIN = ascii("421[\"join\",\"bench\"]");
    private static final byte[] SIO_JOINED = ascii("431");
    private static final byte[] SIO_PONG = ascii("3");
    private static final byte[] SIO_PING = ascii("421[\"ping\",\"");
    private static final byte[] SIO_ACK = ascii("431");
    private static final byte[] SIO_PUBLISH = ascii("42[\"publish\",\"");
    private static final byte[] SIO_TICK = ascii("42[\"tick\",\"");

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** What opening the connections gave. */
    public record OpenResult(int opened, int failed, long nanos, String firstError) {
        /** Handshakes completed per second. */
        public double handshakesPerSecond() {
            return opened / (nanos / 1e9);
        }
    }

    /**
     * What the checked kinds (a soak, a broadcast of 32 bytes or more) found, over all connections.
     *
     * @param sent        messages sent (a soak: by every connection; a broadcast: by the sender)
     * @param received    messages received that carried a sequence number
     * @param inOrder     of those, the ones that came exactly next in their connection's sequence
     * @param duplicates  received again, or late (a sequence number below the next expected)
     * @param skipped     sequence numbers jumped over (lost, or reordered if they come later)
     * @param corrupt     messages whose length or content was not what was sent
     * @param fewest      the fewest in-order messages any open connection received
     * @param open        connections open now
     * @param ended       connections that ended (by the server, or an error) after opening
     * @param behind      sends not made because the connection had {@code window} messages in flight
     * @param policyCloses close frames with 1008 (policy violation) received, as a stall's
     *                     connections get when the server's backpressure policy drops them
     */
    public record Checks(long sent, long received, long inOrder, long duplicates, long skipped, long corrupt,
                         long fewest, int open, int ended, long behind, int policyCloses) {
        /** Nothing lost, duplicated, reordered or damaged: every message sent came back, in order. */
        public boolean clean() {
            return duplicates == 0 && skipped == 0 && corrupt == 0 && received == inOrder;
        }

        /** Adds another thread's figures. */
        Checks plus(Checks other) {
            return new Checks(sent + other.sent, received + other.received, inOrder + other.inOrder,
                    duplicates + other.duplicates, skipped + other.skipped, corrupt + other.corrupt,
                    Math.min(fewest, other.fewest), open + other.open, ended + other.ended, behind + other.behind,
                    policyCloses + other.policyCloses);
        }
    }

    /** Messages and payload bytes received so far, over all connections. */
    public record Counters(long messages, long bytes, long nanoTime) {
    }

    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    /** Messages one connection may have in flight in a paced run (the ring of intended send times). */
    static final int PACED_IN_FLIGHT = 1 << 14;
    /** A paced worker waits in {@code select} when its next send is at least this far off, else polls. */
    private static final long SPIN_NANOS = 1_000_000;
    private static final VarHandle COUNT;
    private static final VarHandle BYTES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(Worker.class, "received", long.class);
            BYTES = lookup.findVarHandle(Worker.class, "receivedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Config config;
    private final byte[] request;
    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean measuring;
    /** Broadcast messages the sender keeps in flight (at most the configured window). */
    private volatile int window;
    private volatile boolean running = true;
    /** False once {@link #stop()} was called: no new messages (a soak, a broadcast, an echo). */
    private volatile boolean sending = true;

    /** Prepares the generator; nothing connects until {@link #open}. */
    public LoadGenerator(Config config) {
        this.config = config;
        this.window = config.window();
        byte[] keyBytes = new byte[16];
        new SplittableRandom().nextBytes(keyBytes);
        this.request = ("GET " + (config.socketIo() ? "/socket.io/?EIO=4&transport=websocket" : "/")
                + " HTTP/1.1\r\nHost: " + config.host() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(keyBytes) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Opens every connection and waits until each has finished its handshake or failed, or until
     * the timeout.
     */
    public OpenResult open(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        int threads = Math.max(1, Math.min(config.threads(), config.connections()));
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int share = config.connections() / threads + (t < config.connections() % threads ? 1 : 0);
            int firstIndex = t == 0 ? 0 : workers.get(t - 1).firstIndex + workers.get(t - 1).toOpen;
            Worker worker = new Worker(t, firstIndex, share, Math.max(1, config.maxConnecting() / threads), done);
            workers.add(worker);
        }
        for (Worker worker : workers) {
            worker.thread.start();
        }
        boolean finished = done.await(timeout, unit);
        long nanos = System.nanoTime() - start;
        int opened = 0;
        int failed = 0;
        String error = null;
        for (Worker worker : workers) {
            opened += worker.opened;
            failed += worker.failed;
            if (error == null) {
                error = worker.firstError;
            }
        }
        if (!finished) {
            error = "timed out after " + unit.toMillis(timeout) + " ms with " + opened + " open" + (error == null ? "" : "; " + error);
        }
        return new OpenResult(opened, failed, nanos, error);
    }

    /**
     * {@link #open}, for a run that needs every connection.
     *
     * @throws IOException naming how many opened and the first error, when not every connection did
     */
    public OpenResult openAll(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        OpenResult open = open(timeout, unit);
        if (open.opened() < config.connections()) {
            throw new IOException("opened " + open.opened() + " of " + config.connections() + ": " + open.firstError());
        }
        return open;
    }

    /** Starts the traffic of an echo or broadcast run. */
    public void start() {
        for (Worker worker : workers) {
            worker.submit(worker::startTraffic);
        }
    }

    /** Stops sending new messages (a soak, a broadcast, an echo); what is in flight still arrives. */
    public void stop() {
        sending = false;
    }

    /** A stall's connections read again, from what the server buffered for them on. */
    public void resume() {
        for (Worker worker : workers) {
            worker.submit(worker::resumeReading);
        }
    }

    /** What the checks found so far, over all threads. */
    public Checks checks() throws InterruptedException {
        Checks all = null;
        for (Worker worker : workers) {
            Checks copy = ask(worker, worker::checks);
            all = all == null ? copy : all.plus(copy);
        }
        return all == null ? new Checks(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : all;
    }

    /** Runs {@code question} on the worker's thread and returns its answer, waiting up to 5 s for it. */
    private static <T> T ask(Worker worker, Supplier<T> question) throws InterruptedException {
        CountDownLatch answered = new CountDownLatch(1);
        List<T> answer = new ArrayList<>(1);
        worker.submit(() -> {
            answer.add(question.get());
            answered.countDown();
        });
        if (!answered.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker " + worker.index + " did not answer");
        }
        return answer.get(0);
    }

    /**
     * From now on (true) latencies are recorded, or no longer (false). When an open-loop run stops
     * measuring, every message it meant to send by then and has not had back yet (in flight, or not
     * even sent because the connection could take no more) is recorded with its age so far, a lower
     * bound of its latency: a server that stops answering is charged for it, not left out.
     */
    public void measuring(boolean on) {
        if (on) {
            long start = System.nanoTime();
            for (Worker worker : workers) {
                worker.submit(() -> {
                    for (Histogram histogram : worker.latencies) {
                        histogram.reset();
                    }
                    worker.stalls = new Stalls(start, config.connections());
                });
            }
        } else {
            long now = System.nanoTime();
            for (Worker worker : workers) {
                worker.submit(() -> worker.recordOutstanding(now));
            }
        }
        measuring = on;
    }

    /**
     * Keeps at most {@code messages} broadcast messages in flight from now on (1: one at a time, for
     * latency without queueing), up to the configured window.
     */
    public void window(int messages) {
        if (messages < 1 || messages > config.window()) {
            throw new IllegalArgumentException("window " + messages + " not in 1.." + config.window());
        }
        window = messages;
    }

    /**
     * The counters now, consistent per worker: a worker publishes its message count before its byte
     * count, so a count read unchanged before and after the bytes pins the bytes of exactly those messages.
     */
    public Counters counters() {
        long messages = 0;
        long bytes = 0;
        for (Worker worker : workers) {
            long before;
            long workerBytes;
            long after = (long) COUNT.getAcquire(worker);
            do {
                before = after;
                workerBytes = (long) BYTES.getAcquire(worker);
                after = (long) COUNT.getAcquire(worker);
            } while (after != before);
            messages += before;
            bytes += workerBytes;
        }
        return new Counters(messages, bytes, System.nanoTime());
    }

    /** The latencies recorded while measuring, over all threads (call after {@code measuring(false)}). */
    public Histogram latencies() throws InterruptedException {
        return latencies(-1);
    }

    /** The latencies recorded by the connections to node {@code node} (an index of the ports; -1: all). */
    public Histogram latencies(int node) throws InterruptedException {
        Histogram all = new Histogram();
        for (Worker worker : workers) {
            all.add(ask(worker, () -> {
                Histogram copy = new Histogram();
                for (int i = 0; i < worker.latencies.length; i++) {
                    if (node < 0 || node == i) {
                        copy.add(worker.latencies[i]);
                    }
                }
                return copy;
            }));
        }
        return all;
    }

    /**
     * The slices of the last measurement of a paced echo (see {@link Stalls}), over all threads; null
     * when nothing was measured.
     */
    Stalls stalls() throws InterruptedException {
        Stalls all = null;
        for (Worker worker : workers) {
            Stalls copy = ask(worker, () -> worker.stalls == null ? null : worker.stalls.copy());
            if (copy != null) {
                if (all == null) {
                    all = copy;
                } else {
                    all.add(copy);
                }
            }
        }
        return all;
    }

    /**
     * Messages each open connection received so far, in no particular order: two snapshots give each
     * connection's share of a run (a fair server serves connections with equal windows equally).
     */
    public long[] receivedPerConnection() throws InterruptedException {
        List<Long> all = new ArrayList<>();
        for (Worker worker : workers) {
            all.addAll(ask(worker, () -> {
                List<Long> received = new ArrayList<>();
                for (Conn conn : worker.conns) {
                    if (conn.open) {
                        received.add(conn.echoed);
                    }
                }
                return received;
            }));
        }
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    /** The first error any connection met (racy read, for a report), or null. */
    public String firstError() {
        for (Worker worker : workers) {
            String error = worker.firstError;
            if (error != null) {
                return error;
            }
        }
        return null;
    }

    /** Connections done so far, opened or failed (a churn's progress; racy reads, for a figure only). */
    public int finished() {
        int done = 0;
        for (Worker worker : workers) {
            done += worker.opened + worker.failed;
        }
        return done;
    }

    /** The number of connections open now. */
    public int openConnections() {
        int open = 0;
        for (Worker worker : workers) {
            open += worker.openNow;
        }
        return open;
    }

    /** Closes every connection (TCP close, no close handshake) and stops the threads. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Worker worker : workers) {
            worker.selector.wakeup();
        }
        for (Worker worker : workers) {
            worker.thread.join(10_000);
        }
    }

    /** One connection's state: a few fields, no buffer until it has something to send. */
    private static final class Conn {
        final int index;
        final SocketChannel channel;
        SelectionKey key;
        /** Bytes of the handshake response until its head is complete; null once open. */
        ByteBuffer head;
        boolean open;
        /** Frames waiting to be written (fill mode); null until the first send. */
        ByteBuffer out;
        /** The pre-encoded, masked frame this connection sends (echo). */
        ByteBuffer frame;
        int maskKey;
        long[] sendTimes;
        long sent;
        long echoed;
        // frame parser
        final byte[] header = new byte[14];
        int headerRead;
        int headerSize = 2;
        boolean inPayload;
        long payloadLeft;
        long payloadLength;
        long payloadOffset;
        int opcode;
        boolean fin;
        boolean masked;
        int receivedMask;
        /** The first bytes of a control payload (ping) or of a broadcast message (its send time). */
        final byte[] captured = new byte[125];
        int capturedLength;
        /** Socket.IO setup: 1 waiting for the namespace's CONNECT, 2 for the join's ack, 0 done (or not Socket.IO). */
        int sioSetup;
        /** Paced runs: the intended time of this connection's next send. */
        long nextDue;
        /** wss://: the connection's TLS; null for ws://. */
        TlsWire tls;

        Conn(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }
    }

    private final class Worker implements Runnable {
        final int index;
        final int firstIndex;
        final int toOpen;
        final int maxConnecting;
        final CountDownLatch done;
        final Thread thread;
        final Selector selector;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ByteBuffer in = ByteBuffer.allocateDirect(256 << 10);
        final Histogram[] latencies;
        /** A paced echo's slices while measuring (see {@link Stalls}); null before. */
        Stalls stalls;
        final List<Conn> conns = new ArrayList<>();
        final SplittableRandom random;
        int started;
        int connecting;
        int opened;
        int failed;
        int openNow;
        String firstError;
        boolean reported;
        long received;
        long receivedBytes;
        boolean sender;
        /** A paced echo run has started: sends follow the schedule. */
        boolean paced;
        /** A paced run's schedule. */
        Pacing schedule;
        // a soak: the pace, and what the checks found
        boolean pacing;
        long paceStart;
        long paceDone;
        int cursor;
        final byte[] scratch = new byte[125];
        long sentMessages;
        long checked;
        long inOrder;
        long duplicates;
        long skipped;
        long corrupt;
        long behind;
        int ended;
        int policyCloses;
        /** A churn: when this thread started connecting, and its share of the rate. */
        long churnStart;
        final double churnRate;

        Worker(int index, int firstIndex, int toOpen, int maxConnecting, CountDownLatch done) throws IOException {
            this.index = index;
            this.firstIndex = firstIndex;
            this.toOpen = toOpen;
            this.maxConnecting = maxConnecting;
            this.done = done;
            this.selector = Selector.open();
            this.random = new SplittableRandom(index * 7919L + 17);
            this.latencies = new Histogram[config.ports().size()];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = new Histogram();
            }
            this.thread = Thread.ofPlatform().name("loadgen-" + index).daemon(true).unstarted(this);
            this.churnRate = config.kind() == Kind.CHURN ? config.rate() * toOpen / config.connections() : 0;
        }

        /** A churn connects at its rate; the other kinds as fast as {@code maxConnecting} lets them. */
        private boolean mayConnect() {
            return config.kind() != Kind.CHURN || started < (System.nanoTime() - churnStart) / 1e9 * churnRate;
        }

        /** A paced run's messages outstanding at {@code now}, recorded with their age (see {@link #measuring}). */
        void recordOutstanding(long now) {
            if (!paced) {
                return;
            }
            for (Conn conn : conns) {
                if (!conn.open) {
                    continue;
                }
                Histogram histogram = latencies[config.node(conn.index)];
                for (long seq = conn.echoed; seq < conn.sent; seq++) {
                    histogram.record(now - conn.sendTimes[(int) (seq % conn.sendTimes.length)]);
                }
                long unsent = Math.min(schedule.dueBy(conn.nextDue, now), PACED_IN_FLIGHT);
                for (long k = 0; k < unsent; k++) {
                    histogram.record(now - (conn.nextDue + k * schedule.interval()));
                }
            }
        }

        Checks checks() {
            long fewest = Long.MAX_VALUE;
            for (Conn conn : conns) {
                if (conn.open) {
                    fewest = Math.min(fewest, conn.echoed);
                }
            }
            return new Checks(sentMessages, checked, inOrder, duplicates, skipped, corrupt,
                    openNow == 0 ? 0 : fewest, openNow, ended, behind, policyCloses);
        }

        void resumeReading() {
            for (Conn conn : conns) {
                if (conn.open && conn.key.isValid()) {
                    conn.key.interestOps(conn.key.interestOps() | SelectionKey.OP_READ);
                }
            }
        }

        void submit(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                churnStart = System.nanoTime();
                while (running) {
                    while (started < toOpen && connecting < maxConnecting && mayConnect()) {
                        connect(firstIndex + started++);
                    }
                    if (!reported && opened + failed == toOpen) {
                        reported = true;
                        done.countDown();
                    }
                    if (paced) {
                        long wait = pace() - System.nanoTime();
                        if (wait >= SPIN_NANOS) {
                            selector.select(wait / SPIN_NANOS);
                        } else {
                            selector.selectNow(); // the next send is due within a millisecond: poll
                        }
                    } else {
                        boolean churning = churnRate > 0 && started < toOpen;
                        selector.select(sender ? 1 : pacing || churning ? 2 : 100);
                    }
                    if (sender) {
                        pumpBroadcast();
                    }
                    if (pacing) {
                        pumpSoak();
                    }
                    Runnable task;
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                    var keys = selector.selectedKeys();
                    if (keys.isEmpty()) {
                        continue;
                    }
                    for (SelectionKey key : keys) {
                        Conn conn = (Conn) key.attachment();
                        try {
                            if (!key.isValid()) {
                                continue;
                            }
                            if (key.isConnectable()) {
                                if (conn.channel.finishConnect()) {
                                    connected(conn);
                                }
                                continue;
                            }
                            if (key.isWritable()) {
                                flush(conn);
                            }
                            if (key.isValid() && key.isReadable()) {
                                read(conn);
                            }
                        } catch (IOException | RuntimeException e) {
                            lost(conn, e);
                        }
                    }
                    keys.clear();
                }
            } catch (IOException e) {
                if (firstError == null) {
                    firstError = e.toString();
                }
            } finally {
                for (Conn conn : conns) {
                    closeQuietly(conn);
                }
                for (SelectionKey key : selector.keys()) { // a churn's connections in progress
                    closeQuietly((Conn) key.attachment());
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing
                }
                if (!reported) {
                    done.countDown();
                }
            }
        }

        private void connect(int index) {
            connecting++;
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (config.kind() == Kind.STALL) { // a small window: the server's buffers fill up, not ours
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, 16 << 10);
                }
                if (!config.sources().isEmpty()) {
                    channel.bind(new InetSocketAddress(config.sources().get(index % config.sources().size()), 0));
                }
                Conn conn = new Conn(index, channel);
                if (config.kind() != Kind.CHURN) {
                    conns.add(conn);
                }
                if (channel.connect(new InetSocketAddress(config.host(), config.ports().get(config.node(index))))) {
                    conn.key = channel.register(selector, 0, conn);
                    connected(conn);
                } else {
                    conn.key = channel.register(selector, SelectionKey.OP_CONNECT, conn);
                }
            } catch (IOException | RuntimeException e) {
                connecting--;
                failed++;
                if (firstError == null) {
                    firstError = "connect " + index + ": " + e;
                }
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // gone
                    }
                }
            }
        }

        private void connected(Conn conn) throws IOException {
            conn.head = ByteBuffer.allocate(1024);
            if (config.tls() != null) { // the TLS handshake first, then the request (sendRequest)
                conn.tls = new TlsWire(TlsWire.clientEngine(config.tls(), config.host(), config.ports().get(config.node(conn.index))),
                        conn.channel);
                conn.tls.begin();
                conn.key.interestOps(SelectionKey.OP_READ | (conn.tls.pending() ? SelectionKey.OP_WRITE : 0));
                return;
            }
            ByteBuffer req = ByteBuffer.wrap(request);
            if (churnStep(conn) == 0) { // reset in the middle of the request: 1 to all but its last byte
                conn.channel.write(req.limit(1 + conn.index / 4 % (request.length - 1)));
                churned(conn);
                return;
            }
            while (req.hasRemaining()) {
                conn.channel.write(req); // a fresh socket's send buffer always takes a ~150-byte request
            }
            conn.key.interestOps(SelectionKey.OP_READ);
        }

        private void lost(Conn conn, Exception e) {
            if (firstError == null) {
                firstError = "connection " + conn.index + ": " + e;
            }
            if (!conn.open) {
                connecting--;
                failed++;
            } else {
                openNow--;
                ended++;
            }
            conn.open = false;
            closeQuietly(conn);
        }

        private void closeQuietly(Conn conn) {
            if (conn.key != null) {
                conn.key.cancel();
            }
            try {
                conn.channel.close();
            } catch (IOException ignored) {
                // gone
            }
        }

        /** wss://: the TLS handshake has finished: the upgrade request, in one record. */
        private void sendRequest(Conn conn) throws IOException {
            ByteBuffer req = ByteBuffer.wrap(request);
            conn.tls.write(req);
            if (req.hasRemaining()) {
                throw new IOException("the upgrade request did not fit the TLS buffer");
            }
            conn.key.interestOps(SelectionKey.OP_READ | (conn.tls.pending() ? SelectionKey.OP_WRITE : 0));
        }

        /** Reads from the connection: plaintext from its TLS (wss://) or the socket (ws://). */
        private int readFrom(Conn conn, ByteBuffer dst) throws IOException {
            return conn.tls == null ? conn.channel.read(dst) : conn.tls.read(dst);
        }

        private void read(Conn conn) throws IOException {
            if (conn.tls != null && conn.tls.handshaking()) {
                if (!conn.tls.handshake()) {
                    conn.key.interestOps(SelectionKey.OP_READ | (conn.tls.pending() ? SelectionKey.OP_WRITE : 0));
                    return;
                }
                sendRequest(conn);
            }
            if (conn.head != null) {
                readHead(conn);
                if (conn.head != null || conn.tls == null || !conn.tls.buffered()) {
                    return;
                }
            }
            ByteBuffer buffer = in;
            while (true) {
                buffer.clear();
                int n = readFrom(conn, buffer);
                if (n < 0) {
                    throw new IOException("server closed the connection");
                }
                if (n == 0) {
                    break;
                }
                buffer.flip();
                parse(conn, buffer);
                if (!conn.channel.isOpen()) {
                    return; // a churn's planned reset
                }
                if (n < buffer.capacity() && (conn.tls == null || !conn.tls.buffered())) {
                    break;
                }
            }
            if ((conn.out != null && conn.out.position() > 0) || (conn.tls != null && conn.tls.pending())) {
                flush(conn);
            }
        }

        private void readHead(Conn conn) throws IOException {
            ByteBuffer head = conn.head;
            if (readFrom(conn, head) < 0) {
                throw new IOException("closed during the handshake");
            }
            int end = indexOf(head, HEAD_END);
            if (end < 0) {
                if (!head.hasRemaining()) {
                    throw new IOException("handshake response head over " + head.capacity() + " bytes");
                }
                return;
            }
            String status = new String(head.array(), 0, Math.min(end, 12), StandardCharsets.ISO_8859_1);
            if (!status.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + new String(head.array(), 0, end, StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""));
            }
            ByteBuffer rest = head.flip().position(end + 4);
            conn.head = null;
            if (config.kind() == Kind.CHURN) {
                churnOpened(conn);
                return;
            }
            if (config.socketIo()) {
                conn.sioSetup = 1;
                sendFrame(conn, 0x1, SIO_CONNECT, SIO_CONNECT.length);
                flush(conn);
            } else {
                ready(conn);
            }
            if (rest.hasRemaining()) {
                parse(conn, rest);
            }
        }

        /** The connection is open for traffic. */
        private void ready(Conn conn) {
            conn.open = true;
            connecting--;
            opened++;
            openNow++;
            if (config.kind() == Kind.STALL) {
                conn.key.interestOps(0); // a slow consumer: reads nothing until resume()
            }
        }

        /** Where a churn's connection is reset: 0 in its request, 1 in a frame, else after one echo. */
        private int churnStep(Conn conn) {
            return config.kind() == Kind.CHURN ? conn.index % 4 : -1;
        }

        /** A churn's connection finished its handshake: a frame cut short, or a whole message to echo. */
        private void churnOpened(Conn conn) throws IOException {
            soakPayload(conn.index, 0, config.payload(), scratch);
            conn.out = ByteBuffer.allocate(config.payload() + 6);
            sendFrame(conn, 0x1, scratch, config.payload());
            conn.out.flip();
            if (churnStep(conn) == 1) { // reset in the middle of the frame: 1 to all but its last byte
                conn.out.limit(1 + conn.index / 4 % (conn.out.limit() - 1));
                conn.channel.write(conn.out);
                churned(conn);
                return;
            }
            conn.channel.write(conn.out); // a fresh socket's send buffer takes a small frame whole
            conn.out.clear();
        }

        /** A churn's connection reaches its planned end: a reset (SO_LINGER 0), not a close. */
        private void churned(Conn conn) throws IOException {
            connecting--;
            opened++;
            conn.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            closeQuietly(conn);
        }

        /**
         * A Socket.IO text frame (its first bytes captured): the setup steps and Engine.IO pings are
         * handled here; true when it is traffic to count.
         */
        private boolean socketIoFrame(Conn conn) {
            byte[] c = conn.captured;
            int n = conn.capturedLength;
            if (n == 1 && c[0] == '2') {
                sendFrame(conn, 0x1, SIO_PONG, SIO_PONG.length);
                return false;
            }
            if (conn.sioSetup == 1) {
                if (startsWith(c, n, SIO_CONNECTED) && n > 2 && c[2] == '{') {
                    sendFrame(conn, 0x1, SIO_JOIN, SIO_JOIN.length);
                    conn.sioSetup = 2;
                }
                return false;
            }
            if (conn.sioSetup == 2) {
                if (startsWith(c, n, SIO_JOINED)) {
                    conn.sioSetup = 0;
                    ready(conn);
                }
                return false;
            }
            return startsWith(c, n, config.kind() == Kind.ECHO ? SIO_ACK : SIO_TICK);
        }

        /** Parses server frames: headers into the connection's state, payloads skipped (captured when needed). */
        private void parse(Conn conn, ByteBuffer buffer) {
            while (buffer.hasRemaining() && conn.channel.isOpen()) {
                if (!conn.inPayload) {
                    if (!readHeader(conn, buffer)) {
                        return;
                    }
                    if (conn.payloadLeft == 0) {
                        frameEnd(conn);
                    }
                    continue;
                }
                int take = (int) Math.min(conn.payloadLeft, buffer.remaining());
                if (conn.payloadOffset < conn.captured.length
                        && (conn.opcode >= 8 || config.kind() != Kind.ECHO || config.socketIo())) {
                    int copy = (int) Math.min(take, conn.captured.length - conn.payloadOffset);
                    buffer.get(buffer.position(), conn.captured, (int) conn.payloadOffset, copy);
                    conn.capturedLength = (int) conn.payloadOffset + copy;
                }
                buffer.position(buffer.position() + take);
                conn.payloadLeft -= take;
                conn.payloadOffset += take;
                if (conn.payloadLeft == 0) {
                    conn.inPayload = false;
                    frameEnd(conn);
                }
            }
        }

        /** Reads header bytes; true once the whole header is in. */
        private boolean readHeader(Conn conn, ByteBuffer buffer) {
            while (buffer.hasRemaining() && conn.headerRead < conn.headerSize) {
                conn.header[conn.headerRead++] = buffer.get();
                if (conn.headerRead == 2) {
                    int b1 = conn.header[1] & 0xFF;
                    int length7 = b1 & 0x7F;
                    conn.masked = (b1 & 0x80) != 0;
                    conn.headerSize = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (conn.masked ? 4 : 0);
                }
            }
            if (conn.headerRead < conn.headerSize) {
                return false;
            }
            byte[] h = conn.header;
            conn.fin = (h[0] & 0x80) != 0;
            conn.opcode = h[0] & 0x0F;
            int length7 = h[1] & 0x7F;
            int at = 2;
            long length;
            if (length7 == 126) {
                length = ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
                at = 4;
            } else if (length7 == 127) {
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (h[i] & 0xFF);
                }
                at = 10;
            } else {
                length = length7;
            }
            conn.receivedMask = conn.masked
                    ? ((h[at] & 0xFF) << 24) | ((h[at + 1] & 0xFF) << 16) | ((h[at + 2] & 0xFF) << 8) | (h[at + 3] & 0xFF)
                    : 0;
            conn.payloadLength = length;
            conn.payloadLeft = length;
            conn.payloadOffset = 0;
            conn.capturedLength = 0;
            conn.headerRead = 0;
            conn.headerSize = 2;
            conn.inPayload = length > 0;
            return true;
        }

        private void frameEnd(Conn conn) {
            int opcode = conn.opcode;
            if (opcode == 0x9) { // ping: answer with a pong carrying the same payload
                unmaskCaptured(conn);
                sendControl(conn, 0xA, conn.captured, conn.capturedLength);
                return;
            }
            if (opcode == 0x8) {
                if (config.kind() == Kind.STALL || config.kind() == Kind.SOAK) { // closed by the server: note why
                    unmaskCaptured(conn);
                    int code = conn.capturedLength >= 2 ? (conn.captured[0] & 0xFF) << 8 | (conn.captured[1] & 0xFF) : 1005;
                    if (code == 1008) {
                        policyCloses++;
                    }
                    lost(conn, new IOException("closed by the server with " + code));
                }
                return; // else the server closes: the read of -1 ends the connection
            }
            if (opcode >= 0x8 || !conn.fin) {
                return; // pong, or a fragment that does not end its message
            }
            if (config.socketIo()) {
                unmaskCaptured(conn);
                conn.masked = false;
                if (!socketIoFrame(conn)) {
                    return;
                }
            }
            if (config.kind() == Kind.CHURN) { // the echo of its one message: the planned reset
                try {
                    churned(conn);
                } catch (IOException e) {
                    lost(conn, e);
                }
                return;
            }
            long now = System.nanoTime();
            long length = conn.payloadLength;
            received++;
            COUNT.setRelease(this, received);
            receivedBytes += length;
            BYTES.setRelease(this, receivedBytes);
            if (config.kind() == Kind.ECHO) {
                if (conn.sendTimes != null && conn.echoed < conn.sent) {
                    long sentAt = conn.sendTimes[(int) (conn.echoed++ % conn.sendTimes.length)];
                    if (measuring) {
                        latencies[config.node(conn.index)].record(now - sentAt);
                        if (paced && stalls != null) {
                            stalls.echo(conn.index, now, now - sentAt);
                        }
                    }
                    if (running && sending && !paced) {
                        queueEcho(conn);
                    }
                }
            } else if (config.kind() == Kind.SOAK) {
                unmaskCaptured(conn);
                checkSoak(conn);
            } else if (config.kind() == Kind.BROADCAST || config.kind() == Kind.STALL) {
                unmaskCaptured(conn);
                int at = config.socketIo() ? SIO_TICK.length : 0;
                if (conn.capturedLength >= at + 16 && measuring) {
                    latencies[config.node(conn.index)].record(now - parseHex(conn.captured, at));
                }
                if (!config.socketIo() && config.payload() >= 32) {
                    boolean whole = conn.payloadLength == config.payload()
                            && conn.capturedLength == Math.min(config.payload(), conn.captured.length);
                    long seq = whole ? parseHexChecked(conn.captured, 16) : -1;
                    if (seq < 0) {
                        corrupt++;
                    } else {
                        sequence(conn, seq);
                    }
                }
            }
        }

        /** A soak's echo: whole, with the content sent, and next in its connection's sequence. */
        private void checkSoak(Conn conn) {
            int size = config.payload();
            long seq = conn.capturedLength == size && conn.payloadLength == size ? parseHexChecked(conn.captured, 0) : -1;
            if (seq >= 0) {
                soakPayload(conn.index, seq, size, scratch);
                if (!java.util.Arrays.equals(scratch, 0, size, conn.captured, 0, size)) {
                    seq = -1;
                }
            }
            if (seq < 0) {
                corrupt++;
                return;
            }
            sequence(conn, seq);
        }

        /** Counts a message's sequence number against the next one its connection expects. */
        private void sequence(Conn conn, long seq) {
            checked++;
            if (seq == conn.echoed) {
                inOrder++;
                conn.echoed++;
            } else if (seq < conn.echoed) {
                duplicates++;
            } else {
                skipped += seq - conn.echoed;
                conn.echoed = seq + 1;
            }
        }

        /**
         * A soak's pace: over all of this thread's connections in turn, as many sends as the rate
         * asks for by now; a connection with {@code window} messages in flight skips its turn.
         */
        private void pumpSoak() {
            int n = conns.size();
            if (!sending || n == 0) {
                return;
            }
            long due = (long) ((System.nanoTime() - paceStart) / 1e9 * config.rate() * n);
            while (paceDone < due) {
                Conn conn = conns.get(cursor);
                cursor = (cursor + 1) % n;
                paceDone++;
                if (!conn.open) {
                    continue;
                }
                if (conn.sent - conn.echoed >= config.window() || conn.out.remaining() < config.payload() + 6) {
                    behind++;
                    continue;
                }
                long seq = conn.sent++;
                sentMessages++;
                soakPayload(conn.index, seq, config.payload(), scratch);
                sendFrame(conn, 0x1, scratch, config.payload());
                flushQuietly(conn);
            }
        }

        private void unmaskCaptured(Conn conn) {
            if (conn.masked) {
                int key = conn.receivedMask;
                for (int i = 0; i < conn.capturedLength; i++) {
                    conn.captured[i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
                }
            }
        }

        void startTraffic() {
            if (config.kind() == Kind.ECHO && config.rate() > 0) {
                schedule = Pacing.of(System.nanoTime(), config.rate(), config.connections());
                for (Conn conn : conns) {
                    if (conn.open) {
                        prepareEcho(conn, PACED_IN_FLIGHT);
                        conn.nextDue = schedule.firstDue(conn.index);
                    }
                }
                paced = true;
            } else if (config.kind() == Kind.ECHO) {
                for (Conn conn : conns) {
                    if (!conn.open) {
                        continue;
                    }
                    prepareEcho(conn, config.window());
                    for (int i = 0; i < config.window(); i++) {
                        queueEcho(conn);
                    }
                    flushQuietly(conn);
                }
            } else if (config.kind() == Kind.SOAK) {
                for (Conn conn : conns) {
                    conn.out = ByteBuffer.allocateDirect(config.window() * (config.payload() + 6) + 256);
                }
                pacing = true;
                paceStart = System.nanoTime();
            } else if (config.kind() == Kind.BROADCAST && firstIndex == 0 && !conns.isEmpty() && conns.get(0).open) {
                Conn conn = conns.get(0);
                conn.out = ByteBuffer.allocateDirect(config.window() * (config.payload() + 14) + 256);
                conn.maskKey = random.nextInt();
                sender = true;
                pumpBroadcast();
            }
        }

        /** The sender: as many new messages as the window allows now, in one write. */
        private void pumpBroadcast() {
            Conn conn = conns.get(0);
            if (!conn.open || !running || !sending) {
                return;
            }
            long delivered = 0;
            for (Worker worker : workers) {
                delivered += (long) COUNT.getOpaque(worker);
            }
            long complete = delivered / config.connections();
            boolean queued = false;
            while (conn.sent - complete < window && conn.out.remaining() >= config.payload() + 14) {
                queueBroadcast(conn);
                queued = true;
            }
            if (queued) {
                flushQuietly(conn);
            }
        }

        private void flushQuietly(Conn conn) {
            try {
                flush(conn);
            } catch (IOException | RuntimeException e) {
                lost(conn, e);
            }
        }

        /**
         * A paced run: every message due by now leaves, each with its intended send time (one write per
         * connection); returns when the next one is due. A connection whose buffer or ring is full
         * sends later, still timed from the schedule.
         */
        private long pace() {
            long now = System.nanoTime();
            long next = now + 100 * SPIN_NANOS;
            for (Conn conn : conns) {
                if (!conn.open) {
                    continue;
                }
                boolean queued = false;
                int frame = conn.frame.remaining();
                for (long due = schedule.dueBy(conn.nextDue, now); due > 0 && conn.out.remaining() >= frame
                        && conn.sent - conn.echoed < conn.sendTimes.length && running; due--) {
                    if (stalls != null && measuring) {
                        stalls.sent(now, now - conn.nextDue);
                    }
                    conn.sendTimes[(int) (conn.sent++ % conn.sendTimes.length)] = conn.nextDue;
                    conn.out.put(conn.frame.duplicate());
                    conn.nextDue += schedule.interval();
                    queued = true;
                }
                if (queued) {
                    flushQuietly(conn);
                }
                if (conn.nextDue - next < 0) {
                    next = conn.nextDue;
                }
            }
            return next;
        }

        private void prepareEcho(Conn conn, int inFlight) {
            int size = config.payload();
            int headerLength = 2 + (size < 126 ? 0 : size < 65536 ? 2 : 8) + 4;
            ByteBuffer frame = ByteBuffer.allocateDirect(headerLength + size);
            int key = random.nextInt();
            writeHeader(frame, config.binary() ? 0x2 : 0x1, size, key);
            for (int i = 0; i < size; i++) {
                int plain = !config.socketIo() ? 'a' + i % 26 // a Socket.IO ping event: 421["ping","xx...x"]
                        : i < SIO_PING.length ? SIO_PING[i] : i == size - 2 ? '"' : i == size - 1 ? ']' : 'x';
                frame.put((byte) (plain ^ (key >>> (24 - 8 * (i & 3)))));
            }
            conn.frame = frame.flip();
            conn.maskKey = key;
            conn.sendTimes = new long[inFlight];
            conn.out = ByteBuffer.allocateDirect(Math.min(inFlight, 1024) * frame.limit() + 256);
        }

        private void queueEcho(Conn conn) {
            conn.sendTimes[(int) (conn.sent++ % conn.sendTimes.length)] = System.nanoTime();
            conn.out.put(conn.frame.duplicate());
        }

        /** One broadcast message from the sender: the send time in 16 hex digits, then filler; masked. */
        private void queueBroadcast(Conn conn) {
            long seq = conn.sent++;
            sentMessages++;
            boolean numbered = !config.socketIo() && config.payload() >= 32;
            int size = config.payload();
            int key = conn.maskKey;
            ByteBuffer out = conn.out;
            writeHeader(out, config.binary() ? 0x2 : 0x1, size, key);
            long now = System.nanoTime();
            int at = config.socketIo() ? SIO_PUBLISH.length : 0; // 42["publish","<time>xx...x"]
            for (int i = 0; i < size; i++) {
                int plain = i < at ? SIO_PUBLISH[i]
                        : i < at + 16 ? HEX[(int) (now >>> (60 - 4 * (i - at))) & 0xF]
                        : numbered && i < 32 ? HEX[(int) (seq >>> (60 - 4 * (i - 16))) & 0xF]
                        : config.socketIo() && i == size - 2 ? '"' : config.socketIo() && i == size - 1 ? ']' : 'x';
                out.put((byte) (plain ^ (key >>> (24 - 8 * (i & 3)))));
            }
        }

        private void sendControl(Conn conn, int opcode, byte[] payload, int length) {
            sendFrame(conn, opcode, payload, length);
        }

        /** Queues a small masked frame (a control frame, or a Socket.IO setup or pong text). */
        private void sendFrame(Conn conn, int opcode, byte[] payload, int length) {
            if (conn.out == null) {
                conn.out = ByteBuffer.allocateDirect(256);
            }
            if (conn.out.remaining() < length + 6) {
                return; // no room now: the server will ping again
            }
            int key = random.nextInt();
            writeHeader(conn.out, opcode, length, key);
            for (int i = 0; i < length; i++) {
                conn.out.put((byte) (payload[i] ^ (key >>> (24 - 8 * (i & 3)))));
            }
        }

        /** Writes what the connection has queued, as much as the socket takes; OP_WRITE while some is left. */
        private void flush(Conn conn) throws IOException {
            ByteBuffer out = conn.out;
            boolean more = false;
            if (conn.tls != null && conn.tls.handshaking()) {
                if (conn.tls.handshake()) {
                    sendRequest(conn);
                }
            } else if (out != null) {
                out.flip();
                if (conn.tls == null) {
                    conn.channel.write(out);
                } else {
                    conn.tls.write(out);
                }
                more = out.hasRemaining();
                out.compact();
            }
            if (conn.tls != null) {
                conn.tls.flush();
                more |= conn.tls.pending();
            }
            conn.key.interestOps(more ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static boolean startsWith(byte[] bytes, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A soak message: the sequence number in 16 hex digits, then letters that depend on the
     * connection and the sequence number, so a message delivered to the wrong connection or damaged
     * anywhere does not pass.
     */
    static void soakPayload(int connection, long seq, int size, byte[] dst) {
        for (int i = 0; i < 16; i++) {
            dst[i] = HEX[(int) (seq >>> (60 - 4 * i)) & 0xF];
        }
        for (int i = 16; i < size; i++) {
            dst[i] = (byte) ('a' + Math.floorMod(seq * 31 + connection * 7L + i, 26));
        }
    }

    /** 16 lower-case hex digits from {@code from}, or -1 if they are not. */
    static long parseHexChecked(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + 16; i++) {
            int c = bytes[i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value < 0 ? -1 : value;
    }

    private static long parseHex(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + 16; i++) {
            int c = bytes[i];
            value = (value << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return value;
    }

    private static void writeHeader(ByteBuffer dst, int opcode, int length, int key) {
        dst.put((byte) (0x80 | opcode));
        if (length < 126) {
            dst.put((byte) (0x80 | length));
        } else if (length < 65536) {
            dst.put((byte) (0x80 | 126));
            dst.putShort((short) length);
        } else {
            dst.put((byte) (0x80 | 127));
            dst.putLong(length);
        }
        dst.putInt(key);
    }

    private static int indexOf(ByteBuffer written, byte[] needle) {
        byte[] array = written.array();
        for (int i = 0, end = written.position() - needle.length; i <= end; i++) {
            if (array[i] == needle[0] && array[i + 1] == needle[1] && array[i + 2] == needle[2] && array[i + 3] == needle[3]) {
                return i;
            }
        }
        return -1;
    }
}
