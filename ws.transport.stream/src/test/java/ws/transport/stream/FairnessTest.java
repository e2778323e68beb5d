package ws.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.FrameWriter;
import ws.protocol.Opcode;
import ws.protocol.Side;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;

/**
 * Fairness on a shared core: a connection whose peer always has the next bytes ready gives up its
 * turn after every read it handled, so a connection with bytes waiting behind N busy ones is served
 * after at most N reads, never after however long the busy ones stay busy.
 */
@DisplayName("Fairness: a connection gives up its turn after every read it handled")
class FairnessTest {
    /** A wire that always has the next chunk ready (a peer that never lets the reader park), then ends. */
    private static final class ReadyWire extends StreamTestSupport.ScriptedWire {
        final ArrayDeque<byte[]> chunks;
        final List<String> log;

        ReadyWire(ArrayDeque<byte[]> chunks, List<String> log) {
            this.chunks = chunks;
            this.log = log;
        }

        @Override
        public int read(ByteBuffer buffer) {
            byte[] next = chunks.poll();
            if (next == null) {
                return -1;
            }
            log.add("read");
            buffer.put(next);
            return next.length;
        }
    }

    private static ConnectionHost host(List<String> log) {
        return StreamTestSupport.host(new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                log.add("message " + text);
            }
        }, Runnable::run);
    }

    private static byte[] textFrames(int from, int count) {
        FrameWriter writer = new FrameWriter(Side.CLIENT, new SplittableRandom(1));
        ByteBuffer out = ByteBuffer.allocate(64 * count);
        for (int i = from; i < from + count; i++) {
            writer.writeFrame(out, true, 0, Opcode.TEXT, ByteBuffer.wrap(Integer.toString(i).getBytes(StandardCharsets.US_ASCII)));
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void everyReadWithDataEndsATurnAfterItsMessagesWereHandled() {
        List<String> log = new ArrayList<>();
        ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        chunks.add(StreamTestSupport.REQUEST.getBytes(StandardCharsets.US_ASCII));
        chunks.add(textFrames(0, 3));
        chunks.add(textFrames(3, 2));
        chunks.add(textFrames(5, 1));
        ConnectionDriver driver = ConnectionDriver.server(host(log));
        ReadyWire wire = new ReadyWire(chunks, log);
        new StreamConnection(driver, d -> wire, null, 4096, () -> log.add("turn")).run();
        assertEquals(List.of("read", "turn",
                "read", "message 0", "message 1", "message 2", "turn",
                "read", "message 3", "message 4", "turn",
                "read", "message 5", "turn"), log,
                "each read's messages are handled, then the connection gives up its turn before reading again");
    }
}
