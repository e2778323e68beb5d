package ws.events.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import ws.events.Scheduler;
import ws.events.internal.wire.EngineCodec;
import ws.events.internal.wire.EnginePacket;
import ws.events.internal.wire.EncodedPacket;
import ws.events.internal.wire.SocketPacket;
import ws.events.internal.wire.SocketPacketDecoder;
import ws.events.internal.wire.SocketPacketEncoder;
import ws.events.internal.wire.WireFormatException;
import ws.events.internal.wire.WireJson;
import ws.events.internal.wire.WireLimits;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;

/**
 * One Engine.IO v4 session over one WebSocket ({@code EIO=4&transport=websocket}): the server's
 * handshake, its heartbeat (answer every ping; no ping within ping interval + ping timeout means the
 * server is gone), Socket.IO packets in and out. It reports to its {@link Owner} on the client's event
 * loop, exactly one of {@code failed} (never opened) or {@code closed} (after {@code opened}).
 */
final class ClientEngineSession implements WebSocketListener {

    /** What a session reports, on the event loop. */
    interface Owner {
        /** The handshake arrived: packets may be sent. */
        void opened(ClientEngineSession session);

        /** A complete Socket.IO packet arrived. */
        void received(ClientEngineSession session, SocketPacket packet);

        /** The session never opened. */
        void failed(ClientEngineSession session, Throwable cause);

        /** The open session ended. */
        void closed(ClientEngineSession session, DisconnectReason reason);
    }

    private enum State { CONNECTING, OPEN, ENDED }

    private final Executor loop;
    private final Scheduler scheduler;
    private final Duration openTimeout;
    private final Owner owner;
    private final SocketPacketDecoder decoder;
    // confined to the loop
    private State state = State.CONNECTING;
    private WebSocket webSocket;
    private Scheduler.Cancellable timer;
    private long timerGeneration;
    private Duration heartbeatDeadline;
    private String sid;
    private boolean transportFailed;

    ClientEngineSession(Executor loop, Scheduler scheduler, Duration openTimeout, WireLimits limits,
                  Owner owner) {
        this.loop = loop;
        this.scheduler = scheduler;
        this.openTimeout = openTimeout;
        this.owner = owner;
        this.decoder = new SocketPacketDecoder(limits);
    }

    /** Connects; the outcome comes to the owner (on the loop). Call on the loop. */
    void start(WebSocketClient client, URI uri) {
        timer = schedule(openTimeout, () -> fail(new java.util.concurrent.TimeoutException(
                "no Engine.IO handshake within " + openTimeout)));
        CompletableFuture<WebSocket> connecting;
        try {
            connecting = client.connect(uri, this);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        connecting.whenComplete((ws, error) -> {
            if (error != null) {
                loop.execute(() -> fail(error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : error));
            }
        });
    }

    /** The Engine.IO session id, once open. */
    String sid() {
        return sid;
    }

    /** Whether packets can be sent. */
    boolean isOpen() {
        return state == State.OPEN;
    }

    /** Sends a Socket.IO packet: its text, then its attachments (call on the loop, while open). */
    CompletableFuture<Void> send(SocketPacket packet) {
        EncodedPacket encoded = SocketPacketEncoder.encode(packet);
        CompletableFuture<Void> last = webSocket.sendText(EngineCodec.encodeText(EnginePacket.message(encoded.text())));
        for (byte[] attachment : encoded.attachments()) {
            last = webSocket.sendBinary(ByteBuffer.wrap(attachment));
        }
        return last;
    }

    /** Ends the session from this side, reporting nothing more to the owner. Call on the loop. */
    void close() {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        cancelTimer();
        if (webSocket != null) {
            webSocket.close(1000, "");
        }
    }

    // WebSocketListener: on the transport's threads, handed to the loop

    @Override
    public void onOpen(WebSocket ws) {
        loop.execute(() -> {
            if (state == State.ENDED) {
                ws.abort();
                return;
            }
            webSocket = ws;
        });
    }

    @Override
    public void onText(WebSocket ws, String text) {
        loop.execute(() -> receive(() -> EngineCodec.decodeText(text)));
    }

    @Override
    public void onBinary(WebSocket ws, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        loop.execute(() -> receive(() -> EngineCodec.decodeBinary(bytes)));
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        loop.execute(() -> transportFailed = true);
    }

    @Override
    public void onClose(WebSocket ws, CloseStatus status) {
        loop.execute(() -> {
            if (state == State.CONNECTING) {
                fail(new ConnectionLostException("the connection closed before the Engine.IO handshake: " + status));
            } else {
                end(transportFailed ? DisconnectReason.TRANSPORT_ERROR : DisconnectReason.TRANSPORT_CLOSE);
            }
        });
    }

    // on the loop

    private interface Decoding {
        EnginePacket decode();
    }

    private void receive(Decoding decoding) {
        if (state == State.ENDED) {
            return;
        }
        try {
            EnginePacket packet = decoding.decode();
            if (state == State.CONNECTING) {
                handshake(packet);
                return;
            }
            switch (packet.type()) {
                case PING -> {
                    webSocket.sendText(EngineCodec.encodeText(EnginePacket.pong()));
                    armHeartbeat();
                }
                case MESSAGE -> {
                    SocketPacket decoded = packet.isBinary() ? decoder.decodeBinary(packet.binary())
                            : decoder.decodeText(packet.text());
                    if (decoded != null) {
                        owner.received(this, decoded);
                    }
                }
                case CLOSE -> end(DisconnectReason.TRANSPORT_CLOSE);
                case NOOP, PONG -> { }
                case OPEN, UPGRADE -> throw new WireFormatException("unexpected " + packet.type() + " on an open session");
            }
        } catch (WireFormatException e) {
            if (state == State.CONNECTING) {
                fail(e);
            } else {
                end(DisconnectReason.PARSE_ERROR);
            }
        }
    }

    private void handshake(EnginePacket packet) {
        if (packet.type() != ws.events.internal.wire.EnginePacketType.OPEN || packet.text() == null) {
            throw new WireFormatException("the first Engine.IO packet must be OPEN with the handshake, got " + packet);
        }
        JsonNode open = WireJson.read(packet.text(), 4);
        JsonNode sidNode = open.path("sid");
        JsonNode interval = open.path("pingInterval");
        JsonNode timeout = open.path("pingTimeout");
        if (!sidNode.isTextual() || !interval.canConvertToLong() || !timeout.canConvertToLong()
                || interval.asLong() <= 0 || timeout.asLong() <= 0) {
            throw new WireFormatException("the Engine.IO handshake needs a sid, pingInterval and pingTimeout: "
                    + packet.text());
        }
        sid = sidNode.asText();
        heartbeatDeadline = Duration.ofMillis(interval.asLong() + timeout.asLong());
        state = State.OPEN;
        armHeartbeat();
        owner.opened(this);
    }

    private void armHeartbeat() {
        cancelTimer();
        timer = schedule(heartbeatDeadline, () -> end(DisconnectReason.PING_TIMEOUT));
    }

    private void fail(Throwable cause) {
        if (state != State.CONNECTING) {
            return;
        }
        state = State.ENDED;
        cancelTimer();
        if (webSocket != null) {
            webSocket.abort();
        }
        owner.failed(this, cause);
    }

    private void end(DisconnectReason reason) {
        if (state != State.OPEN) {
            return;
        }
        state = State.ENDED;
        cancelTimer();
        decoder.reset();
        if (reason == DisconnectReason.PING_TIMEOUT || reason == DisconnectReason.PARSE_ERROR) {
            webSocket.abort();
        } else {
            webSocket.close(1000, "");
        }
        owner.closed(this, reason);
    }

    /** The one timer of the session (handshake, then heartbeat); a timer replaced or cancelled never fires. */
    private Scheduler.Cancellable schedule(Duration delay, Runnable action) {
        long generation = ++timerGeneration;
        return scheduler.schedule(delay, () -> loop.execute(() -> {
            if (generation == timerGeneration) {
                action.run();
            }
        }));
    }

    private void cancelTimer() {
        timerGeneration++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
