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
    // Lettuce is an automatic module: it reads every module but makes none of the explicit Netty
    // modules it uses part of the module graph, so this module resolves them for it.
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.resolver;
    requires io.netty.resolver.dns;
    requires msgpack.core;
    requires org.slf4j;

    exports ws.events.redis;
}
