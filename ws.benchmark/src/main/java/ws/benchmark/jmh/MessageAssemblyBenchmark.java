package ws.benchmark.jmh;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import ws.protocol.Opcode;
import ws.protocol.engine.ProtocolConfig;
import ws.protocol.engine.ProtocolEvent;
import ws.protocol.engine.ServerProtocol;
import ws.protocol.handshake.HttpHeaders;

/**
 * Message assembly in the server engine: the whole receive path of {@link ServerProtocol} (frame
 * parsing, unmasking, UTF-8 validation for text, joining fragments, the message event), fed 64 KiB
 * of masked client frames per operation: 1024 text messages of 64 bytes ({@code small}), or one
 * 64 KiB text message in 16 fragments of 4 KiB ({@code fragmented}), or one 64 KiB binary message
 * ({@code large}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MessageAssemblyBenchmark {
    /** The shape of the input. */
    @Param({"small", "fragmented", "large"})
    public String shape;

    private ServerProtocol engine;
    private ByteBuffer wire;

    /** Opens an engine and encodes the frames. */
    @Setup
    public void setUp() {
        engine = ServerProtocol.create(ProtocolConfig.defaults());
        engine.receiveData(ByteBuffer.wrap(HandshakeParseBenchmark.REQUEST));
        List<ProtocolEvent> events = engine.events();
        if (events.isEmpty() || !(events.get(0) instanceof ProtocolEvent.RequestReceived)) {
            throw new IllegalStateException("no request event: " + events);
        }
        engine.accept("", HttpHeaders.empty());
        engine.dataToSend();
        engine.events();
        wire = switch (shape) {
            case "small" -> Payloads.maskedFrames(Opcode.TEXT, 64, 1024, false);
            case "fragmented" -> Payloads.maskedFrames(Opcode.TEXT, 4096, 16, true);
            default -> Payloads.maskedFrames(Opcode.BINARY, 65536, 1, false);
        };
        int messages = feed();
        if (messages != (shape.equals("small") ? 1024 : 1)) {
            throw new IllegalStateException("expected messages, got " + messages + ": " + engine.state());
        }
    }

    /** Feeds 64 KiB of frames and takes the message events. */
    @Benchmark
    public int feed() {
        engine.receiveData(wire.duplicate());
        int messages = 0;
        for (ProtocolEvent event : engine.events()) {
            if (event instanceof ProtocolEvent.TextMessage || event instanceof ProtocolEvent.BinaryMessage) {
                messages++;
            }
        }
        return messages;
    }
}
