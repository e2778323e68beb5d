package ws.events.redis.internal;

import java.nio.charset.StandardCharsets;

/**
 * The Redis channels of one namespace, named as @socket.io/redis-adapter names them: broadcasts on
 * {@code prefix#nsp#} (or {@code prefix#nsp#room#} when a broadcast targets exactly one room), with
 * every node subscribed to the pattern {@code prefix#nsp#*}; requests on {@code prefix-request#nsp#};
 * responses on {@code prefix-response#nsp#} (and {@code prefix-response#nsp#uid#} for one node).
 *
 * @param broadcast        the broadcast channel (without a room)
 * @param request          the request channel
 * @param response         the shared response channel
 * @param specificResponse this node's own response channel
 */
public record Channels(String broadcast, String request, String response, String specificResponse) {

    /** The channels of namespace {@code nsp} under {@code prefix} ("socket.io" by default) for node {@code uid}. */
    public static Channels of(String prefix, String nsp, String uid) {
        String response = prefix + "-response#" + nsp + "#";
        return new Channels(prefix + "#" + nsp + "#", prefix + "-request#" + nsp + "#", response, response + uid + "#");
    }

    /** The pattern every node subscribes to for broadcasts. */
    public String broadcastPattern() {
        return broadcast + "*";
    }

    /** The channel a broadcast to exactly these rooms goes on. */
    public String broadcastChannel(java.util.Set<String> rooms) {
        return rooms.size() == 1 ? broadcast + rooms.iterator().next() + "#" : broadcast;
    }

    /** The room of a broadcast channel ({@code ""} for the namespace's own), or null when not ours. */
    public String roomOf(String channel) {
        if (!channel.startsWith(broadcast) || channel.length() < broadcast.length()) {
            return null;
        }
        return channel.length() == broadcast.length() ? "" : channel.substring(broadcast.length(), channel.length() - 1);
    }

    static byte[] bytes(String channel) {
        return channel.getBytes(StandardCharsets.UTF_8);
    }
}
