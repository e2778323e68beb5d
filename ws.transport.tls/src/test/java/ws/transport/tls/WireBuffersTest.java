package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The plaintext buffer a TLS wire keeps lent past its reader's call: the reader takes it back for the
 * next call, or the wire's end gives it back, from any thread; either way it goes back to the pool
 * exactly once ({@link WireBuffers#lent()} returns to where it was, never below).
 */
@DisplayName("WireBuffers: the plaintext buffer kept past a reader's call goes back exactly once")
class WireBuffersTest {

    @Test
    @DisplayName("the reader takes the kept buffer back for its next call, and gives it back")
    void theNextCallTakesTheKeptBufferBack() {
        int before = WireBuffers.lent();
        WireBuffers buffers = new WireBuffers();
        ByteBuffer plain = buffers.plain(WireBuffers.SIZE);
        assertSame(plain, buffers.keepPlain());
        buffers.readerDone();
        assertEquals(before + 1, WireBuffers.lent(), "kept lent past the call");
        assertSame(plain, buffers.takeKept());
        buffers.giveBack(plain);
        assertEquals(before, WireBuffers.lent());
        buffers.end();
        assertEquals(before, WireBuffers.lent(), "the end finds nothing more to give back");
    }

    @Test
    @DisplayName("the wire's end gives the kept buffer back, once; a buffer kept after the end goes back at once")
    void theEndGivesTheKeptBufferBackOnce() {
        int before = WireBuffers.lent();
        WireBuffers buffers = new WireBuffers();
        buffers.plain(WireBuffers.SIZE);
        buffers.keepPlain();
        buffers.readerDone();
        buffers.end();
        assertEquals(before, WireBuffers.lent(), "given back by the end");
        assertNull(buffers.takeKept(), "the reader finds none to take back");
        buffers.end();
        assertEquals(before, WireBuffers.lent(), "a second end gives nothing back twice");
        buffers.plain(WireBuffers.SIZE); // a reader still in its call when the end came
        buffers.keepPlain();
        buffers.readerDone();
        assertEquals(before, WireBuffers.lent(), "kept after the end: given back at once");
    }

    @Test
    @DisplayName("a reader keeping the buffer, and taking it back or not, while the wire ends on another thread: back exactly once, whichever looks first")
    void keptWhileTheWireEndsGoesBackOnce() throws Exception {
        int before = WireBuffers.lent();
        int rounds = 10_000;
        WireBuffers[] wires = new WireBuffers[rounds];
        for (int i = 0; i < rounds; i++) {
            wires[i] = new WireBuffers();
        }
        AtomicInteger go = new AtomicInteger(-1); // the round both sides start together
        AtomicInteger ended = new AtomicInteger(-1);
        Thread ender = Thread.ofPlatform().start(() -> {
            for (int round = 0; round < rounds; round++) {
                awaitAtLeast(go, round);
                wires[round].end();
                ended.set(round);
            }
        });
        try {
            for (int round = 0; round < rounds; round++) {
                WireBuffers buffers = wires[round];
                buffers.plain(WireBuffers.SIZE);
                go.set(round); // the end may come at any point from here
                for (int i = round % 64; i > 0; i--) {
                    Thread.onSpinWait(); // the rest of the call: the end comes before or after the keep
                }
                buffers.keepPlain();
                buffers.readerDone();
                if (round % 2 == 0) { // its next call takes the buffer back; else the reader stops here
                    ByteBuffer kept = buffers.takeKept();
                    if (kept != null) {
                        buffers.giveBack(kept);
                    }
                }
                awaitAtLeast(ended, round);
                assertEquals(before, WireBuffers.lent(), "buffers lent after round " + round);
            }
        } finally {
            go.set(rounds);
            ender.join();
        }
    }

    /** Spins until {@code value} reaches {@code round}, then yields (the other side may share this core). */
    private static void awaitAtLeast(AtomicInteger value, int round) {
        for (int spins = 0; value.get() < round; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
