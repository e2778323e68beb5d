package ws.transport.stream;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * What a transport over byte streams chooses: its name (for logs and thread names), the threads its
 * connections run on, and how many bytes a connection reads at a time.
 *
 * @param name              the transport's name ({@code "blocking"}, {@code "virtual"}, {@code "loopback"})
 * @param connectionThreads makes the thread that runs each connection (reading, dispatching)
 * @param readBufferSize    bytes read at a time by a busy connection (an idle one keeps a small buffer)
 * @param writers           runs each connection's hand-off writer (see
 *                          {@link ws.protocol.driver.ConnectionHost#writers()}); {@link #VIRTUAL_WRITERS} by default
 * @param reuseThreads      whether a server runs a new connection on a thread whose connection ended
 *                          (for platform threads, costly to start; see {@code ConnectionThreads})
 */
public record StreamSettings(String name, ThreadFactory connectionThreads, int readBufferSize,
                             java.util.concurrent.Executor writers, boolean reuseThreads) {

    /** A virtual thread per burst of writes (cheap, and gone while the connection is idle). */
    public static final java.util.concurrent.Executor VIRTUAL_WRITERS =
            task -> Thread.ofVirtual().name("ws-writer").start(task);

    /** These settings with the default writers. */
    public StreamSettings(String name, ThreadFactory connectionThreads, int readBufferSize) {
        this(name, connectionThreads, readBufferSize, VIRTUAL_WRITERS, false);
    }

    /** These settings with the given writers, a new thread per connection. */
    public StreamSettings(String name, ThreadFactory connectionThreads, int readBufferSize,
                          java.util.concurrent.Executor writers) {
        this(name, connectionThreads, readBufferSize, writers, false);
    }

    /** These settings with connection threads reused ({@code reuse}) or not. */
    public StreamSettings withThreadReuse(boolean reuse) {
        return new StreamSettings(name, connectionThreads, readBufferSize, writers, reuse);
    }

    public StreamSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connectionThreads, "connectionThreads");
        Objects.requireNonNull(writers, "writers");
        if (readBufferSize < 256) {
            throw new IllegalArgumentException("readBufferSize " + readBufferSize + " < 256");
        }
    }
}
