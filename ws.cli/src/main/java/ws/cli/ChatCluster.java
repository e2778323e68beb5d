package ws.cli;

import ws.events.redis.RedisAdapterFactory;
import ws.events.spi.AdapterFactory;

/**
 * The Redis side of {@code ws chat --redis}: kept apart so that the chat runs without
 * ws.events.redis in the module graph (the jlink image); only loaded when {@code --redis} is given.
 */
final class ChatCluster implements AutoCloseable {
    private final RedisAdapterFactory adapter;

    private ChatCluster(RedisAdapterFactory adapter) {
        this.adapter = adapter;
    }

    /** Connects to the cluster's Redis. */
    static ChatCluster join(String uri) {
        return new ChatCluster(RedisAdapterFactory.builder(uri).build());
    }

    AdapterFactory adapter() {
        return adapter;
    }

    @Override
    public void close() {
        adapter.close();
    }
}
