package ws.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Read buffers: an idle connection holds only the small resident buffer")
class ReadBuffersTest {

    @Test
    @DisplayName("a read that fills the small buffer switches to a full-size one; a short read gives it back")
    void switchesAndReleases() {
        ReadBuffers buffers = new ReadBuffers(32 << 10);
        var small = buffers.current();
        assertEquals(ReadBuffers.SMALL, small.capacity());
        buffers.afterRead(100);
        assertSame(small, buffers.current(), "a short read on the small buffer keeps it");
        buffers.afterRead(ReadBuffers.SMALL);
        var large = buffers.current();
        assertEquals(32 << 10, large.capacity());
        buffers.afterRead(32 << 10);
        assertSame(large, buffers.current(), "a full large read keeps the large buffer: more is coming");
        assertEquals(0, large.position());
        buffers.afterRead(1000);
        assertSame(small, buffers.current(), "a short large read gives it back: the next read may wait");
        buffers.afterRead(ReadBuffers.SMALL);
        assertEquals(32 << 10, buffers.current().capacity());
        buffers.release();
        assertSame(small, buffers.current());
        assertSame(small, buffers.resident());
    }

    @Test
    @DisplayName("full-size buffers are reused through the pool, cleared")
    void pooled() {
        ReadBuffers a = new ReadBuffers(16 << 10);
        a.afterRead(ReadBuffers.SMALL);
        var large = a.current();
        large.put(new byte[10]);
        a.release();
        ReadBuffers b = new ReadBuffers(16 << 10);
        b.afterRead(ReadBuffers.SMALL);
        assertSame(large, b.current(), "the same thread gets the buffer it returned");
        assertEquals(0, b.current().position());
        ReadBuffers c = new ReadBuffers(16 << 10);
        c.afterRead(ReadBuffers.SMALL);
        assertNotSame(large, c.current(), "a buffer is lent to one connection at a time");
        b.release();
        c.release();
    }

    @Test
    @DisplayName("a read buffer size at or under the small size never switches")
    void tinySettings() {
        ReadBuffers buffers = new ReadBuffers(256);
        var only = buffers.current();
        assertEquals(256, only.capacity());
        buffers.afterRead(256);
        assertSame(only, buffers.current());
    }

    @Test
    @DisplayName("enlarging a full small buffer moves its bytes to the start of a full-size one, for the rest of the burst")
    void enlarge() {
        ReadBuffers buffers = new ReadBuffers(32 << 10);
        var small = buffers.current();
        for (int i = 0; i < ReadBuffers.SMALL; i++) {
            small.put((byte) i);
        }
        assertTrue(buffers.filledSmall(small));
        var large = buffers.enlarge();
        assertEquals(32 << 10, large.capacity());
        assertEquals(ReadBuffers.SMALL, large.position(), "ready for the rest after the moved bytes");
        for (int i = 0; i < ReadBuffers.SMALL; i++) {
            assertEquals((byte) i, large.get(i));
        }
        assertEquals(0, small.position(), "the small buffer is empty again");
        buffers.afterRead(ReadBuffers.SMALL + 600);
        assertSame(small, buffers.current(), "the burst was handled: the large buffer goes back");
        ReadBuffers smallOnly = new ReadBuffers(256);
        var only = smallOnly.current();
        while (only.hasRemaining()) {
            only.put((byte) 0);
        }
        assertFalse(smallOnly.filledSmall(only),
                "with no larger size configured there is nothing to enlarge to, however full the buffer");
        assertFalse(smallOnly.canEnlarge(only));
    }
}
