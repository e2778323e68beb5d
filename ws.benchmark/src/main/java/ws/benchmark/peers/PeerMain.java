package ws.benchmark.peers;

import java.util.Locale;

/**
 * Starts one peer server in this process, for the load benchmark: {@code PeerMain IMPL MODE PORT
 * [CERT KEY]} (PEM files: TLS, Netty and Jetty only),
 * IMPL one of {@code netty}, {@code jetty}, {@code java-websocket}, {@code raw}; MODE {@code echo}
 * (every message back to its sender, text as text, binary as binary) or {@code broadcast} (every
 * message to every connected client, the sender included). Every server answers on any path of
 * 127.0.0.1:PORT, prints {@code listening on PORT} once it accepts, and runs until killed.
 */
public final class PeerMain {
    private PeerMain() {
    }

    /** The shape of a peer server. */
    public enum Mode {
        /** Every message back to its sender. */
        ECHO,
        /** Every message to every connected client. */
        BROADCAST;

        static Mode parse(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Starts the server named by {@code args[0]}.
     *
     * @param args IMPL MODE PORT
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3 && !(args.length == 5 && (args[0].equals("netty") || args[0].equals("jetty")))) {
            System.err.println("usage: PeerMain netty|jetty|java-websocket|raw echo|broadcast PORT [CERT KEY]");
            System.exit(2);
        }
        Mode mode = Mode.parse(args[1]);
        int port = Integer.parseInt(args[2]);
        java.io.File[] tls = args.length == 5 ? new java.io.File[] {new java.io.File(args[3]), new java.io.File(args[4])} : null;
        switch (args[0]) {
            case "netty" -> NettyPeer.start(mode, port, tls);
            case "jetty" -> JettyPeer.start(mode, port, tls);
            case "java-websocket" -> JavaWebSocketPeer.start(mode, port);
            case "raw" -> RawEchoServer.start(mode, port);
            default -> {
                System.err.println("unknown peer " + args[0]);
                System.exit(2);
            }
        }
        System.out.println("listening on " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
