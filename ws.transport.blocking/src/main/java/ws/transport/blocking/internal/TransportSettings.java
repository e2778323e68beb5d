package ws.transport.blocking.internal;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * What distinguishes one socket transport from another that runs the same loop: its name and
 * priority, the threads its connections run on, and buffer sizes.
 *
 * @param name             the transport's name ({@code "blocking"}, {@code "virtual"})
 * @param priority         its preference among installed transports
 * @param connectionThreads makes the thread that runs each connection (reading, dispatching)
 * @param readBufferSize   bytes read from the socket at a time, per connection
 * @param gatherBufferSize bytes of small writes copied together into one write, on sockets without a
 *                         channel (the channel path uses a true gathering write)
 * @param socketBufferSize SO_SNDBUF and SO_RCVBUF to set on each socket, or 0 to keep the system's
 * @param layer            what runs over TCP under the WebSocket bytes: {@link SocketLayer#PLAIN}, or TLS
 */
public record TransportSettings(String name, int priority, ThreadFactory connectionThreads, int readBufferSize,
                                int gatherBufferSize, int socketBufferSize, SocketLayer layer) {

    public TransportSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connectionThreads, "connectionThreads");
        Objects.requireNonNull(layer, "layer");
        if (readBufferSize < 256) {
            throw new IllegalArgumentException("readBufferSize " + readBufferSize + " < 256");
        }
        if (gatherBufferSize < 256) {
            throw new IllegalArgumentException("gatherBufferSize " + gatherBufferSize + " < 256");
        }
        if (socketBufferSize < 0) {
            throw new IllegalArgumentException("socketBufferSize " + socketBufferSize + " < 0");
        }
    }

    /**
     * Platform threads (daemon), one per connection; a 32 KiB read buffer, since such a thread is
     * already a heavyweight resource and fewer, larger reads cost less.
     */
    public static TransportSettings platformThreads() {
        return new TransportSettings("blocking", 10, Thread.ofPlatform().daemon(true).factory(), 32 << 10, 16 << 10, 0,
                SocketLayer.PLAIN);
    }

    /** These settings with another thread factory. */
    public TransportSettings withConnectionThreads(String newName, int newPriority, ThreadFactory threads) {
        return new TransportSettings(newName, newPriority, threads, readBufferSize, gatherBufferSize, socketBufferSize,
                layer);
    }

    /** These settings with other buffer sizes. */
    public TransportSettings withBuffers(int read, int gather, int socket) {
        return new TransportSettings(name, priority, connectionThreads, read, gather, socket, layer);
    }

    /** The settings of every plain socket transport made so far, by name, for {@link #of(String)}. */
    private static final java.util.Map<String, TransportSettings> KNOWN = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Remembers plain-TCP settings under their name, so that a layered transport (TLS) can be put over
     * a transport known only as a {@link ws.protocol.api.Transport} instance: each socket transport
     * registers its settings when made (see {@link SocketTransport}).
     */
    static void register(TransportSettings settings) {
        if (settings.layer() == SocketLayer.PLAIN) {
            KNOWN.putIfAbsent(settings.name(), settings);
        }
    }

    /** The plain-TCP settings of the socket transport named {@code name}, if one was made in this JVM. */
    public static java.util.Optional<TransportSettings> of(String name) {
        return java.util.Optional.ofNullable(KNOWN.get(name));
    }

    /** These settings over another layer (TLS), under another name. */
    public TransportSettings withLayer(String newName, SocketLayer newLayer) {
        return new TransportSettings(newName, priority, connectionThreads, readBufferSize, gatherBufferSize,
                socketBufferSize, newLayer);
    }
}
