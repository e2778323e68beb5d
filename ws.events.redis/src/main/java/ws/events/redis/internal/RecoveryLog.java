package ws.events.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import ws.events.spi.PersistedSession;
import ws.events.spi.RestoredSession;

/**
 * Connection state recovery across nodes, in the manner of @socket.io/redis-streams-adapter: every
 * logged broadcast is appended by the node that made it to the namespace's stream
 * ({@code prefix-log#nsp#}, trimmed to about maxLogged entries) with its offset, selection and data;
 * a disconnected socket's session is a key ({@code prefix-session#nsp#pid}) expiring with the
 * recovery window. Any node recovers a session: it takes the key (once), then reads the stream
 * backwards, newest first, to the client's offset, keeping the events the session's rooms select.
 */
final class RecoveryLog {
    static final String OFFSET = "offset";
    static final String SELECTION = "opts";
    static final String DATA = "data";
    private static final int PAGE = 500;

    private final RedisLink link;
    private final String stream;
    private final String sessionPrefix;
    private final int maxLogged;
    private final Supplier<Duration> window;

    RecoveryLog(RedisLink link, String prefix, String nsp, int maxLogged, Supplier<Duration> window) {
        this.link = link;
        this.stream = prefix + "-log#" + nsp + "#";
        this.sessionPrefix = prefix + "-session#" + nsp + "#";
        this.maxLogged = maxLogged;
        this.window = window;
    }

    String stream() {
        return stream;
    }

    String sessionKey(String pid) {
        return sessionPrefix + pid;
    }

    static byte[] encode(PersistedSession session) {
        ObjectNode json = Wire.mapper().createObjectNode();
        json.put("sid", session.sid());
        json.put("pid", session.pid());
        ArrayNode rooms = json.putArray("rooms");
        session.rooms().forEach(rooms::add);
        json.set("data", session.data());
        return Wire.json(json);
    }

    static PersistedSession decode(byte[] bytes) {
        JsonNode json = Wire.object(bytes);
        return new PersistedSession(json.path("sid").asText(), json.path("pid").asText(), Wire.strings(json.get("rooms")),
                json.has("data") ? json.get("data") : Wire.mapper().nullNode());
    }

    /** The session with the events it missed after {@code offset}; empty when the offset left the stream. */
    CompletableFuture<Optional<RestoredSession>> restore(PersistedSession session, String offset) {
        return scan(session, offset, "+", new ArrayList<>(), 0);
    }

    private CompletableFuture<Optional<RestoredSession>> scan(PersistedSession session, String offset, String end,
                                                               List<ArrayNode> newestFirst, int scanned) {
        long oldest = System.currentTimeMillis() - window.get().toMillis() - 1_000;
        return link.newest(stream, end, PAGE + 1).thenCompose(page -> {
            int count = 0;
            String last = null;
            for (StreamMessage<byte[], byte[]> entry : page) {
                if (entry.getId().equals(end)) {
                    continue; // the inclusive end of the previous page
                }
                count++;
                last = entry.getId();
                Map<byte[], byte[]> body = entry.getBody();
                byte[] entryOffset = field(body, OFFSET);
                if (entryOffset != null && offset.equals(new String(entryOffset, StandardCharsets.UTF_8))) {
                    Collections.reverse(newestFirst);
                    return CompletableFuture.completedFuture(Optional.of(new RestoredSession(session, newestFirst)));
                }
                byte[] selection = field(body, SELECTION);
                byte[] data = field(body, DATA);
                if (selection != null && data != null
                        && Wire.selection(Wire.object(selection)).includes(session.rooms())) {
                    JsonNode event = MsgPack.decode(data);
                    if (event.isArray()) {
                        newestFirst.add((ArrayNode) event);
                    }
                }
                if (millis(entry.getId()) < oldest) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
            }
            if (count == 0 || scanned + count >= maxLogged) {
                return CompletableFuture.completedFuture(Optional.<RestoredSession>empty());
            }
            return scan(session, offset, last, newestFirst, scanned + count);
        });
    }

    private static byte[] field(Map<byte[], byte[]> body, String name) {
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<byte[], byte[]> entry : body.entrySet()) {
            if (java.util.Arrays.equals(entry.getKey(), key)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static long millis(String id) {
        int dash = id.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
