package ws.events.redis;

/**
 * The same cluster, in sharded mode (SPUBLISH/SSUBSCRIBE, a channel per room): every scenario of
 * {@link ClusterTest} holds.
 */
class ShardedClusterTest extends ClusterTest {
    @Override
    boolean sharded() {
        return true;
    }
}
