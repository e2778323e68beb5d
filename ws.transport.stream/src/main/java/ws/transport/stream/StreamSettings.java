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
 */
public record StreamSettings(String name, ThreadFactory connectionThreads, int readBufferSize) {

    public StreamSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connectionThreads, "connectionThreads");
        if (readBufferSize < 256) {
            throw new IllegalArgumentException("readBufferSize " + readBufferSize + " < 256");
        }
    }
}
