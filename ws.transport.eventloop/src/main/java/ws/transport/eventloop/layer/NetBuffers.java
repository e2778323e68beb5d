package ws.transport.eventloop.layer;

import java.nio.ByteBuffer;

/**
 * A loop's scratch buffers for network bytes, lent to the layers of its connections for the length of
 * one call on the loop thread (a layer keeps a copy of what it must keep), so that an idle connection
 * holds no network buffer.
 */
public interface NetBuffers {

    /** Whether the calling thread may use the buffers now (it is the loop's). */
    boolean usable();

    /** The buffer for bytes read from the network, of at least {@code capacity} bytes; cleared. */
    ByteBuffer in(int capacity);

    /** The buffer for bytes to write to the network, of at least {@code capacity} bytes; cleared. */
    ByteBuffer out(int capacity);
}
