package ws.transport.stream;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * TCP_NODELAY for a plain connection a server accepted, set at the start of its second write rather
 * than at accept. Until then Nagle's algorithm cannot delay anything: it holds back a small segment
 * only while earlier data is unacknowledged, and before the first write there is none. So a
 * connection that never writes past its 101 (an idle one) costs no {@code setsockopt}, and every
 * write after the first has the option set. The writes of one connection are ordered (the HTTP
 * phase's, then the driver's one writer at a time), so call {@link #beforeWrite} before each.
 * Shared by the event loop's channels and the stream transports' channel wires; TLS connections and
 * clients set the option when they connect, as before.
 */
public final class DeferredNoDelay {
    private final SocketChannel channel;
    /** Whether the option is still to be set. */
    private volatile boolean pending = true;
    private volatile boolean wroteOnce;

    /** @param channel an accepted channel whose TCP_NODELAY is not set yet */
    public DeferredNoDelay(SocketChannel channel) {
        this.channel = channel;
    }

    /** Before each write: sets TCP_NODELAY at the second one. */
    public void beforeWrite() throws IOException {
        if (pending) {
            if (!wroteOnce) {
                wroteOnce = true;
                return;
            }
            pending = false;
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }
}
