package ws.events.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static ws.events.redis.ClusterTest.WAIT;
import static ws.events.redis.ClusterTest.client;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ws.events.client.ClientSocket;

/**
 * Nodes as separate processes (separate JVMs) on one real redis-server: a client on the node in this
 * JVM emits to a room, the clients of the two other processes receive it once, and back.
 */
class ProcessClusterTest {
    private RedisProcess redis;
    private Node local;
    private final List<Process> processes = new ArrayList<>();
    private final List<Node> remotes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        remotes.forEach(Node::close);
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        if (local != null) {
            local.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRoomEmitReachesTheRoomInTwoOtherProcessesOnceAndBack() throws Exception {
        redis = RedisProcess.start();
        local = new Node(redis.uri(), builder -> builder);
        ClusterTest.wire(local.events);
        Node b = remote();
        Node c = remote();
        BlockingQueue<String> atA = new LinkedBlockingQueue<>();
        BlockingQueue<String> atB = new LinkedBlockingQueue<>();
        BlockingQueue<String> atC = new LinkedBlockingQueue<>();
        ClientSocket onA = client(local, atA, "room");
        ClientSocket onB = client(b, atB, "room");
        client(c, atC, "room");

        onA.emit("say", "room", "from this JVM");
        assertEquals("from this JVM", atB.poll(WAIT, TimeUnit.SECONDS));
        assertEquals("from this JVM", atC.poll(WAIT, TimeUnit.SECONDS));
        onB.emit("say", "room", "from process B");
        assertEquals("from process B", atA.poll(WAIT, TimeUnit.SECONDS));
        assertEquals("from process B", atC.poll(WAIT, TimeUnit.SECONDS));
        assertNull(atB.poll(300, TimeUnit.MILLISECONDS), "the sender is left out");
        assertNull(atC.poll(0, TimeUnit.MILLISECONDS), "once each");
        assertEquals(3, local.events.sockets().to("room").fetchSockets().get(WAIT, TimeUnit.SECONDS).size(),
                "fetchSockets gathers the other processes' sockets");
    }

    /** Starts a NodeProcess and returns a handle whose {@code client()} connects to it. */
    private Node remote() throws Exception {
        Process process = new ProcessBuilder(javaCommand()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("listening ")) {
            // its log lines
        }
        if (line == null) {
            throw new IllegalStateException("the node process exited: " + process.waitFor());
        }
        Node node = Node.remote(Integer.parseInt(line.substring("listening ".length())));
        remotes.add(node);
        return node;
    }

    private List<String> javaCommand() {
        Set<String> path = new LinkedHashSet<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isBlank() && Files.exists(Path.of(entry))) {
                        path.add(entry);
                    }
                }
            }
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, path), NodeProcess.class.getName(), redis.uri());
    }
}
