package ws.transport.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("BufferPool: buffers of one size, kept up to its slots")
class BufferPoolTest {

    @Test
    @DisplayName("a buffer given back is taken again, cleared")
    void aBufferGivenBackIsTakenAgain() {
        BufferPool pool = new BufferPool(1024, 4);
        ByteBuffer buffer = pool.take();
        assertEquals(1024, buffer.capacity());
        buffer.put((byte) 1);
        pool.give(buffer);
        ByteBuffer again = pool.take();
        assertSame(buffer, again);
        assertEquals(0, again.position());
        assertEquals(1024, again.remaining());
    }

    @Test
    @DisplayName("it keeps at most its slots, and no buffer of another size")
    void itKeepsAtMostItsSlots() {
        BufferPool pool = new BufferPool(64, 4);
        List<ByteBuffer> lent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lent.add(pool.take());
        }
        lent.forEach(pool::give);
        pool.give(ByteBuffer.allocate(128)); // another size: garbage
        int reused = 0;
        for (int i = 0; i < 6; i++) {
            ByteBuffer taken = pool.take();
            assertEquals(64, taken.capacity());
            if (lent.stream().anyMatch(b -> b == taken)) {
                reused++;
            }
        }
        assertEquals(4, reused, "buffers kept for reuse");
    }

    @Test
    @DisplayName("its slots are a power of two")
    void slotsArePowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(64, 3));
    }
}
