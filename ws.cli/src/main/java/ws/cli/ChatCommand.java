package ws.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import ws.protocol.api.Transport;

/**
 * {@code ws chat}: the chat demo. Serves the page on {@code http://H:P/} and the chat (Socket.IO v5
 * over WebSocket) on {@code /socket.io/} of the same port; runs until SIGINT or SIGTERM.
 */
final class ChatCommand {
    private final String host;
    private final int port;
    private final Transport transport;

    private ChatCommand(String host, int port, Transport transport) {
        this.host = host;
        this.port = port;
        this.transport = transport;
    }

    static ChatCommand parse(List<String> args) throws UsageException {
        CommandLine line = CommandLine.parse(args, Set.of("port", "host", "transport"), Set.of());
        if (!line.positional().isEmpty()) {
            throw new UsageException("chat takes no arguments, got \"" + line.positional().get(0) + "\"");
        }
        String host = line.value("host", "127.0.0.1");
        if (host.isBlank()) {
            throw new UsageException("--host must not be empty");
        }
        return new ChatCommand(host, line.intValue("port", 8080, 0, 65535), Choices.transport(line.value("transport", null)));
    }

    /** Prints the page's address, then runs until SIGINT or SIGTERM. */
    int run(PrintStream out) throws IOException, InterruptedException {
        ChatServer chat = ChatServer.start(host, port, transport);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ws-chat-shutdown").unstarted(() -> {
            try {
                chat.close();
            } finally {
                stopped.countDown();
            }
        }));
        out.println("chat on " + ServerCommand.url(host, chat.server().address(), false).replaceFirst("^ws", "http"));
        out.flush();
        stopped.await();
        return 0;
    }
}
