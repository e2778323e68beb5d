/**
 * ws.events across many servers sharing a Redis: {@link ws.events.redis.RedisAdapterFactory} makes
 * the adapters of a cluster node, wire-compatible with the npm {@code @socket.io/redis-adapter}, so
 * Java and Node servers can share one cluster; {@link ws.events.redis.RedisEmitter} emits from a
 * process that holds no sockets. docs/scaling.md has the whole picture.
 *
 * <p>Redis is reached with Lettuce (and its Netty), on the module path as automatic modules; the
 * messages are MessagePack through msgpack-core. Neither appears in the API. The internal package
 * (the channels, the messages, the connections, the adapter) is exported to nobody.
 */
module ws.events.redis {
    requires transitive ws.events;
    requires lettuce.core;
    requires msgpack.core;
    requires org.slf4j;

    exports ws.events.redis;
}
