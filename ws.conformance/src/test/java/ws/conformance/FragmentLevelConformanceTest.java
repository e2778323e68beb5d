package ws.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import ws.conformance.cases.Catalogue;
import ws.conformance.cases.ConformanceCase;
import ws.conformance.cases.Timing;
import ws.conformance.cases.Verdict;
import ws.conformance.sdk.SdkTargets;
import ws.protocol.CloseStatus;
import ws.protocol.api.FragmentListener;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;
import ws.protocol.stream.MessageStreams;
import ws.protocol.stream.StreamingListener;

/**
 * The suite's framing, fragmentation, UTF-8 and compression cases against a server whose echo works
 * at the fragment level (each frame echoed as a frame, with partial sends) and against one that echoes
 * each message as a stream (read as an InputStream or Reader, written back as an OutputStream or
 * Writer): the checks must hold whatever way the application receives.
 */
class FragmentLevelConformanceTest {
    private static final Timing TIMING = new Timing(0.25, 1000, 1000, 1000);
    private static final List<String> CASES = List.of("1.*", "2.*", "3.*", "5.*", "6.*", "7.1.*", "12.1.1", "12.2.11", "13.1.*");

    /** Echoes each frame as a frame; text parts are cut at the last whole character, the rest carried on. */
    static final class FragmentEcho implements FragmentListener {
        private final Map<WebSocket, CharsetDecoder> decoders = new ConcurrentHashMap<>();

        @Override
        public void onFragment(WebSocket ws, ByteBuffer data, boolean text, boolean first, boolean last) {
            if (!text) {
                ws.sendBinary(data, last);
                return;
            }
            CharsetDecoder decoder = decoders.computeIfAbsent(ws, w -> StandardCharsets.UTF_8.newDecoder());
            if (first) {
                decoder.reset();
            }
            ByteBuffer carried = (ByteBuffer) ws.attributes().getOrDefault("carry", ByteBuffer.allocate(0));
            ByteBuffer input = ByteBuffer.allocate(carried.remaining() + data.remaining()).put(carried).put(data).flip();
            CharBuffer out = CharBuffer.allocate(input.remaining() + 1);
            CoderResult result = decoder.decode(input, out, last);
            if (result.isError()) {
                throw new AssertionError("the engine delivered invalid UTF-8: " + result);
            }
            if (last) {
                decoder.flush(out);
            }
            ws.attributes().put("carry", input.slice());
            ws.sendText(out.flip(), last);
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status) {
            decoders.remove(ws);
        }
    }

    /** Echoes each message as a stream, while it arrives. */
    static final StreamingListener STREAM_ECHO = new StreamingListener() {
        @Override
        public void onBinaryStream(WebSocket ws, InputStream data) throws IOException {
            try (OutputStream out = MessageStreams.outputStream(ws)) {
                data.transferTo(out);
            }
        }

        @Override
        public void onTextStream(WebSocket ws, Reader text) throws IOException {
            try (Writer out = MessageStreams.writer(ws)) {
                text.transferTo(out);
            }
        }
    };

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fragmentLevelEcho() throws Exception {
        run(new FragmentEcho(), "fragments");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void streamingEcho() throws Exception {
        run(MessageStreams.receiving(STREAM_ECHO), "streams");
    }

    private static void run(ws.protocol.api.WebSocketListener listener, String name) throws Exception {
        List<ConformanceCase> cases = Catalogue.select(CASES, List.of(), SdkConformanceTest.MESSAGES);
        try (WebSocketServer server = SdkTargets.startServer("virtual", SdkTargets.DEFLATE, listener);
             ClientMode mode = new ClientMode(URI.create("ws://127.0.0.1:" + server.port() + "/"), TIMING)) {
            Report report = Suite.run(cases, mode, "ws-" + name, null);
            report.writeJson(Path.of("target/conformance/junit-" + name + ".json"));
            System.out.println(report.summary());
            List<String> failed = report.results().stream()
                    .filter(r -> r.verdict() == Verdict.FAILED || r.verdict() == Verdict.UNIMPLEMENTED)
                    .map(r -> r.id() + ": " + r.verdict().label() + ": " + r.reason()).toList();
            assertEquals(List.of(), failed, report.summary());
        }
    }
}
