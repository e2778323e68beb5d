package ws.events.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ws.events.redis.internal.RedisLink;

/**
 * A node is ready ({@code connected()}) only while its subscriptions hold on the current connection:
 * after Redis comes back, not as soon as the sockets are open but once Lettuce has subscribed again,
 * since until then the messages published to the node are missed.
 */
class RedisReadinessTest {
    private RedisProcess redis;
    private RedisLink link;

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            link.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void readyAgainOnlyOnceSubscribedAgainAfterARestart() throws Exception {
        redis = RedisProcess.start();
        link = new RedisLink(redis.uri(), false, Duration.ofSeconds(5), 1000, 1000);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        link.addSubscriber((channel, message) -> heard.add(channel + " " + new String(message, StandardCharsets.UTF_8)));
        link.subscribe(List.of("news"), List.of("room#*"));
        awaitTrue(link::connected, "subscribed and connected"); // Lettuce tells its listeners just after the command's answer

        redis.kill();
        awaitTrue(() -> !link.connected(), "Redis gone");
        redis.restart();
        awaitTrue(link::connected, "ready again");
        // ready means subscribed: what is published now is heard, with no retry
        assertEquals(1L, link.subscribers("news").get(10, TimeUnit.SECONDS), "subscribed again when ready");
        link.publish("news", "after".getBytes(StandardCharsets.UTF_8));
        assertEquals("news after", heard.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void notReadyWhileTheSocketsAreOpenButTheSubscriptionsAreNotBack() throws Exception {
        redis = RedisProcess.start();
        link = new RedisLink(redis.uri(), false, Duration.ofSeconds(5), 1000, 1000);
        link.subscribe(List.of("news"), List.of());
        awaitTrue(link::connected, "subscribed and connected");

        // Redis drops the subscriber when its channels are revoked (Redis 7) and refuses the
        // resubscription Lettuce sends when it reconnects: the sockets are open, the subscription is not
        redis.cli("ACL", "SETUSER", "default", "resetchannels");
        awaitTrue(() -> redis.cli("CLIENT", "LIST").lines().count() == 3, "the link's two connections and this redis-cli");
        Thread.sleep(500); // the refused resubscription has had its answer
        assertFalse(link.connected(), "open sockets without the subscriptions are not ready");

        // allowed again, the next connection subscribes again
        redis.cli("ACL", "SETUSER", "default", "allchannels");
        redis.cli("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        awaitTrue(link::connected, "ready once subscribed again");
        assertEquals(1L, link.subscribers("news").get(10, TimeUnit.SECONDS));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Thread.sleep(50);
        }
    }
}
