package ws.conformance.sdk;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import ws.conformance.ClientLauncher;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.deflate.PerMessageDeflate;

/** Starts the SDK's echo server and echo client in-process, on a named transport. */
public final class SdkTargets {
    private SdkTargets() {
    }

    /** Accepts (server) or offers (client) permessage-deflate with its defaults, for groups 12 and 13. */
    public static final UnaryOperator<ConnectionOptions> DEFLATE =
            c -> c.withExtensions(List.of(new PerMessageDeflate()));

    /** Echoes every text and binary message back, as it came. */
    public static final WebSocketListener ECHO = new WebSocketListener() {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            webSocket.sendBinary(data);
        }
    };

    /** An echo server on every path of a free loopback port, on transport {@code transportName}. */
    public static WebSocketServer startEchoServer(String transportName, UnaryOperator<ConnectionOptions> options)
            throws IOException {
        return startServer(transportName, options, ECHO);
    }

    /** A server with {@code listener} on every path of a free loopback port, on transport {@code transportName}. */
    public static WebSocketServer startServer(String transportName, UnaryOperator<ConnectionOptions> options,
                                              WebSocketListener listener) throws IOException {
        return WebSocketServer.builder().port(0).route("/*", listener).transport(Transport.named(transportName))
                .connection(options).start();
    }

    /** A launcher whose clients are the SDK's own echo clients on transport {@code transportName}. */
    public static ClientLauncher echoClients(String transportName, UnaryOperator<ConnectionOptions> options) {
        WebSocketClient client = WebSocketClient.builder().transport(Transport.named(transportName))
                .connection(options).build();
        return new ClientLauncher() {
            @Override
            public Handle launch(URI url) {
                CompletableFuture<CloseStatus> done = new CompletableFuture<>();
                CompletableFuture<WebSocket> connecting = client.connect(url, new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        ECHO.onText(webSocket, text);
                    }

                    @Override
                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                        ECHO.onBinary(webSocket, data);
                    }

                    @Override
                    public void onClose(WebSocket webSocket, CloseStatus status) {
                        done.complete(status);
                    }
                });
                connecting.whenComplete((ws, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    }
                });
                return new Handle() {
                    @Override
                    public boolean awaitExit(long ms) throws InterruptedException {
                        try {
                            done.get(ms, TimeUnit.MILLISECONDS);
                        } catch (ExecutionException e) {
                            return true;
                        } catch (TimeoutException e) {
                            return false;
                        }
                        return true;
                    }

                    @Override
                    public void stop() {
                        WebSocket ws = connecting.getNow(null);
                        if (ws != null) {
                            ws.abort();
                        }
                        connecting.cancel(true);
                    }

                    @Override
                    public String outcome() {
                        if (!done.isDone()) {
                            return null;
                        }
                        try {
                            return "closed: " + done.join();
                        } catch (RuntimeException e) {
                            return "failed: " + e.getCause();
                        }
                    }
                };
            }

            @Override
            public String describe() {
                return "SDK echo client on transport " + transportName;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
