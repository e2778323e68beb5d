package ws.transport.stream.internal;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * TCP_NODELAY for a plain connection a server accepted, set at the start of its second write rather
 * than at accept. Until then Nagle's algorithm cannot delay anything: it holds back a small segment
 * only while earlier data is unacknowledged, and before the first write there is none. So a
 * connection that never writes past its 101 (an idle one) costs no {@code setsockopt}, and every
 * write after the first has the option set.
 *
 * <p>The states are shared constants, so a connection holds one reference and no object of its own:
 * it keeps {@code noDelay = DeferredNoDelay.NO_WRITE_YET} and, before each write,
 * {@code if (noDelay != null) noDelay = noDelay.beforeWrite(channel)}. The writes of one connection
 * are ordered (the HTTP phase's, then the driver's one writer at a time); the field is volatile when
 * they may run on different threads. Shared by the event loop's channels and the socket transports'
 * channel wires; TLS connections and clients set the option when they connect.
 */
public enum DeferredNoDelay {
    /** Nothing written yet: the next write goes without the option. */
    NO_WRITE_YET,
    /** One write made: the option is set before the next. */
    WROTE_ONCE;

    /**
     * Call before each write of {@code channel}.
     *
     * @return the state after this write: null once TCP_NODELAY is set (nothing left to do)
     */
    public DeferredNoDelay beforeWrite(SocketChannel channel) throws IOException {
        if (this == NO_WRITE_YET) {
            return WROTE_ONCE;
        }
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return null;
    }
}
