package ws.protocol.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import ws.protocol.driver.ReadPause;

/**
 * One streamed message between the connection's reading thread, which puts each fragment's bytes in,
 * and the handler's thread, which reads them as an {@link InputStream} (or a {@link Reader}). Bounded:
 * while {@code capacity} bytes wait, the reading thread waits at the connection's {@link ReadPause}
 * and reads nothing more from the network (one fragment may pass the bound, so that a fragment larger
 * than the capacity still goes through).
 */
final class FragmentPipe {
    private final ReadPause pause;
    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private final Input input = new Input();
    private long buffered;
    /** The last fragment is in. */
    private boolean ended;
    /** The message will not end: the connection failed or closed. */
    private IOException failure;
    /** The handler closed its stream or returned: what still comes is dropped. */
    private boolean abandoned;

    FragmentPipe(ReadPause pause, long capacity) {
        this.pause = pause;
        this.capacity = capacity;
    }

    /**
     * Reading thread: queues a fragment's bytes, first waiting (reads paused) while the pipe is full;
     * drops them when the handler has gone or the connection is ending.
     */
    void put(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        boolean room = pause.await(this::hasRoom);
        lock.lock();
        try {
            if (!room || abandoned || failure != null) {
                return;
            }
            buffered += data.remaining();
            chunks.add(data);
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean hasRoom() {
        lock.lock();
        try {
            return abandoned || failure != null || buffered < capacity;
        } finally {
            lock.unlock();
        }
    }

    /** Reading thread: the message's last fragment was put. */
    void end() {
        lock.lock();
        try {
            ended = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The message will not end (the connection failed or closed): a read throws once the bytes before are read. */
    void fail(IOException error) {
        lock.lock();
        try {
            if (!ended && failure == null) {
                failure = error;
                readable.signalAll();
            }
        } finally {
            lock.unlock();
        }
        pause.signal();
    }

    /** The handler is done with the message: drop what is queued and what still comes. */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            chunks.clear();
            buffered = 0;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        pause.signal();
    }

    /** The bytes, as they arrive. */
    InputStream input() {
        return input;
    }

    /** The text, decoded as it arrives (the engine validated the UTF-8 already). */
    Reader reader() {
        return new InputStreamReader(input, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            int n;
            lock.lock();
            try {
                ByteBuffer head;
                while ((head = chunks.peek()) == null) {
                    if (abandoned) {
                        throw new IOException("stream closed");
                    }
                    if (failure != null) {
                        throw failure;
                    }
                    if (ended) {
                        return -1;
                    }
                    try {
                        readable.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for the next fragment");
                    }
                }
                n = Math.min(length, head.remaining());
                head.get(into, offset, n);
                if (!head.hasRemaining()) {
                    chunks.poll();
                }
                buffered -= n;
            } finally {
                lock.unlock();
            }
            pause.signal(); // room again: the reading thread may go on
            return n;
        }

        @Override
        public int available() {
            lock.lock();
            try {
                ByteBuffer head = chunks.peek();
                return head == null ? 0 : head.remaining();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            abandon();
        }
    }
}
