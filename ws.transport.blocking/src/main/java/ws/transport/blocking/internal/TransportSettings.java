package ws.transport.blocking.internal;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * What distinguishes one socket transport from another that runs the same loop: its name and
 * priority, the threads its connections run on, buffer sizes, and its layers.
 *
 * @param name             the transport's name ({@code "blocking"}, {@code "virtual"}, {@code "virtual+tls"})
 * @param priority         its preference among installed transports
 * @param connectionThreads makes the thread that runs each connection (reading, dispatching)
 * @param readBufferSize   bytes read from the socket at a time, per connection
 * @param gatherBufferSize bytes of small writes copied together into one write, on sockets without a
 *                         channel (the channel path uses a true gathering write)
 * @param socketBufferSize SO_SNDBUF and SO_RCVBUF to set on each socket, or 0 to keep the system's
 * @param layer            what runs over TCP for the transport's scheme: {@link SocketLayer#PLAIN}, or TLS
 * @param clientLayers     what a client runs over TCP before the scheme's layer (a proxy tunnel), in order
 */
public record TransportSettings(String name, int priority, ThreadFactory connectionThreads, int readBufferSize,
                                int gatherBufferSize, int socketBufferSize, SocketLayer layer,
                                java.util.List<ws.transport.blocking.layer.ClientLayer> clientLayers) {

    public TransportSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connectionThreads, "connectionThreads");
        Objects.requireNonNull(layer, "layer");
        clientLayers = java.util.List.copyOf(clientLayers);
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
                SocketLayer.PLAIN, java.util.List.of());
    }

    /**
     * What the stream runtime needs of these settings. A server reuses platform connection threads
     * (starting one costs hundreds of microseconds on a busy core: the blocking transport's handshake
     * rate), never virtual ones (cheap to start, and a waiting one would only hold memory).
     */
    public ws.transport.stream.StreamSettings stream() {
        return new ws.transport.stream.StreamSettings(name, connectionThreads, readBufferSize).withThreadReuse(!virtualThreads());
    }

    /** Whether connections run on virtual threads (the factory's threads are; one is made, not started, to ask). */
    public boolean virtualThreads() {
        return connectionThreads.newThread(() -> { }).isVirtual();
    }

    /** These settings with another thread factory. */
    public TransportSettings withConnectionThreads(String newName, int newPriority, ThreadFactory threads) {
        return new TransportSettings(newName, newPriority, threads, readBufferSize, gatherBufferSize, socketBufferSize,
                layer, clientLayers);
    }

    /** These settings with other buffer sizes. */
    public TransportSettings withBuffers(int read, int gather, int socket) {
        return new TransportSettings(name, priority, connectionThreads, read, gather, socket, layer, clientLayers);
    }

    /** These settings over another layer (TLS), under another name. */
    public TransportSettings withLayer(String newName, SocketLayer newLayer) {
        return new TransportSettings(newName, priority, connectionThreads, readBufferSize, gatherBufferSize,
                socketBufferSize, newLayer, clientLayers);
    }

    /** These settings with other client layers. */
    public TransportSettings withClientLayers(java.util.List<ws.transport.blocking.layer.ClientLayer> layers) {
        return new TransportSettings(name, priority, connectionThreads, readBufferSize, gatherBufferSize,
                socketBufferSize, layer, layers);
    }
}
