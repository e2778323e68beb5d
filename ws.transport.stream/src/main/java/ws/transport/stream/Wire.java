package ws.transport.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import ws.protocol.driver.Sink;

/**
 * The byte pipe under one connection: a socket channel, or a plain (possibly TLS) socket's streams.
 * The connection's thread reads; the driver writes through the {@link Sink} half; {@link #close()}
 * from any thread wakes both.
 */
public interface Wire extends Sink {

    /**
     * Reads some bytes into {@code buffer}, blocking until at least one arrives.
     *
     * @return the number of bytes read, or -1 at the end of input
     */
    int read(ByteBuffer buffer) throws IOException;

    /**
     * How many bytes a {@link #read} would return now without waiting; 0 when none, or when this wire
     * cannot tell. The default {@link #readNow} asks this before it reads.
     */
    default int available() throws IOException {
        return 0;
    }

    /**
     * Reads what has arrived into {@code buffer} without waiting: a reader whose buffer filled calls
     * this for the rest of a burst. A wire that can read without blocking does it in one read, which
     * returns 0 when nothing is there; others ask {@link #available()} first.
     *
     * @return the number of bytes read (0 when none is there now), or -1 at the end of input
     */
    default int readNow(ByteBuffer buffer) throws IOException {
        return available() > 0 ? read(buffer) : 0;
    }

    /**
     * Whether {@link #readNow} sees every byte that has arrived, so that when it finds none the next
     * {@link #read} would wait (a socket channel); false when bytes may have arrived that it cannot see
     * (a TLS socket's records not yet decrypted), the default.
     */
    default boolean readNowSeesAll() {
        return false;
    }

    /**
     * Whether the socket had no more bytes when this wire last read it (that read took less than it had
     * room for, or found nothing) and the wire holds nothing a {@link #read} would return without the
     * network. A reader that has only handled those bytes since, without giving up its turn, goes
     * straight to its waiting {@link #read} instead of looking with {@link #readNow}: the look would most
     * likely find nothing, and the waiting read tries the socket first anyway (on a virtual thread the
     * JDK reads once before it parks). False when the wire cannot tell, the default: the reader looks.
     */
    default boolean drained() {
        return false;
    }
}
