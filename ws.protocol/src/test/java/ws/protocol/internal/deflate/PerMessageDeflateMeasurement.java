package ws.protocol.internal.deflate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import ws.protocol.Opcode;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;

/**
 * Prints (never asserts) permessage-deflate figures: compression throughput and ratio on a
 * JSON-like corpus, and memory per connection. Not a test: run it by hand,
 * {@code java -cp ws.protocol/target/classes:ws.protocol/target/test-classes
 * ws.protocol.internal.deflate.PerMessageDeflateMeasurement}. The numbers go in
 * docs/permessage-deflate.md.
 */
public final class PerMessageDeflateMeasurement {
    /** Thread CPU time when java.management is there (run on the class path), else wall time. */
    private static final java.util.function.LongSupplier CPU_NANOS = cpuClock();

    private PerMessageDeflateMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        Random random = new Random(42);
        List<byte[]> corpus = new ArrayList<>();
        long total = 0;
        while (total < 16 << 20) {
            byte[] m = Corpus.json(random, 256 + random.nextInt(8192));
            corpus.add(m);
            total += m.length;
        }
        System.out.println("timing: " + (CPU_NANOS.getAsLong() == 0 ? "?" : "thread CPU time where available"));
        System.out.printf("corpus: %d JSON-like messages, %.1f MiB, mean %d bytes%n", corpus.size(), total / 1048576.0,
                total / corpus.size());
        System.out.println();
        if (args.length > 0 && args[0].equals("memory")) {
            // One size per JVM: freed native memory is reused by malloc and would hide the next figure.
            int size = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
            memory(size, 1000);
            return;
        }
        System.out.println("| compressor | window | level | context takeover | ratio | compress MB/s in | compress MB/s out | inflate MB/s out |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        int[] levels = args.length > 0 && args[0].startsWith("levels=")
                ? java.util.Arrays.stream(args[0].substring(7).split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 6};
        for (int level : levels) {
            for (int bits : new int[] {15, 14, 12, 10, 8}) {
                for (boolean takeover : new boolean[] {true, false}) {
                    throughput(corpus, total, bits, level, takeover);
                }
            }
        }
    }

    private static void throughput(List<byte[]> corpus, long total, int bits, int level, boolean takeover)
            throws ExtensionException {
        PerMessageDeflate f = PerMessageDeflate.builder().compressionLevel(level).threshold(0)
                .maxWindowBits(bits).noContextTakeover(!takeover).build();
        // warm up, then the best of three runs
        double bestCompress = 0;
        double bestInflate = 0;
        long compressed = 0;
        for (int run = 0; run < 4; run++) {
            Extension server = f.acceptOffer(f.offers()).orElseThrow();
            Extension client = f.acceptResponse(server.parameters());
            List<Extension.EncodedFrame> frames = new ArrayList<>(corpus.size());
            long t0 = CPU_NANOS.getAsLong();
            for (byte[] m : corpus) {
                frames.add(server.encode(Opcode.TEXT, ByteBuffer.wrap(m), true, true, true));
            }
            long t1 = CPU_NANOS.getAsLong();
            compressed = 0;
            for (Extension.EncodedFrame frame : frames) {
                compressed += frame.payload().remaining();
            }
            long t2 = CPU_NANOS.getAsLong();
            for (Extension.EncodedFrame frame : frames) {
                client.decode(frame.rsv(), frame.payload(), true, Long.MAX_VALUE);
            }
            long t3 = CPU_NANOS.getAsLong();
            if (run > 0) {
                bestCompress = Math.max(bestCompress, total / ((t1 - t0) / 1e9) / 1e6);
                bestInflate = Math.max(bestInflate, total / ((t3 - t2) / 1e9) / 1e6);
            }
            server.close();
            client.close();
        }
        double ratio = (double) total / compressed;
        System.out.printf("| %s | %d | %d | %s | %.2f | %.0f | %.1f | %.0f |%n", bits < 15 ? "windowed (Java)" : "Deflater (zlib)",
                bits, level, takeover ? "on" : "off", ratio, bestCompress, bestCompress / ratio, bestInflate);
    }

    private static java.util.function.LongSupplier cpuClock() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            java.lang.reflect.Method m = Class.forName("java.lang.management.ThreadMXBean").getMethod("getCurrentThreadCpuTime");
            return () -> {
                try {
                    return (long) m.invoke(bean);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (ReflectiveOperationException | LinkageError e) {
            return System::nanoTime;
        }
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static long heapUsed() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void memory(int size, int n) throws Exception {
        byte[] message = Corpus.repetitive(new Random(1), size);
        byte[] buf = new byte[size * 2];
        System.out.println("memory per instance, " + n + " instances each used for one message of " + size / 1024 + " KiB:");
        {
            Deflater d = new Deflater(6, true);
            d.setInput(message);
            int len = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            d.end();
            long before = rssBytes();
            List<Inflater> keep = new ArrayList<>();
            byte[] out = new byte[size * 2];
            for (int i = 0; i < n; i++) {
                Inflater inf = new Inflater(true);
                inf.setInput(buf, 0, len);
                inf.inflate(out);
                keep.add(inf);
            }
            long after = rssBytes();
            System.out.printf("  Inflater (zlib, 15 bits): RSS +%d bytes each%n", (after - before) / n);
            keep.forEach(Inflater::end);
        }
        // Native: Deflater(level 6, nowrap) after one SYNC_FLUSH; Inflater after one message.
        {
            long before = rssBytes();
            List<Deflater> keep = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Deflater d = new Deflater(6, true);
                d.setInput(message);
                d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                keep.add(d);
            }
            long after = rssBytes();
            System.out.printf("  Deflater (zlib, 15 bits, memLevel 8): RSS +%d bytes each%n", (after - before) / n);
            keep.forEach(Deflater::end);
        }
        for (int bits = 8; bits <= 14; bits++) {
            long before = heapUsed();
            List<WindowedDeflater> keep = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                WindowedDeflater w = new WindowedDeflater(bits, 6);
                w.deflate(ByteBuffer.wrap(message), true);
                keep.add(w);
            }
            long after = heapUsed();
            System.out.printf("  WindowedDeflater %d bits: heap +%d bytes each (retainedBytes() says %d)%n", bits,
                    (after - before) / n, keep.get(0).retainedBytes());
        }
    }
}
