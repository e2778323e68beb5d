/**
 * Events over WebSocket and HTTP long-polling, speaking the Socket.IO v5 protocol over Engine.IO v4,
 * so the official Socket.IO clients (JavaScript in browsers and Node, Java, Swift, Kotlin) connect
 * unchanged. See {@link ws.events.EventServer}; docs/events.md has the whole picture.
 *
 * <ul>
 *   <li>{@link ws.events}: the server (mounted on a {@link ws.protocol.api.WebSocketServer}),
 *       namespaces, sockets, events and their arguments, rooms and broadcasts, middleware, rate
 *       limits, presence, connection state recovery;</li>
 *   <li>{@link ws.events.spi}: the adapter SPI through which every broadcast, room operation,
 *       {@code fetchSockets} and the recovery log go, with the in-memory adapter; cluster adapters
 *       (Redis) implement it in modules of their own.</li>
 * </ul>
 *
 * <p>Arguments are bound and written by one Jackson {@code ObjectMapper} (its types appear in the
 * API, hence {@code requires transitive}): the packages of your payload types must be open to
 * {@code com.fasterxml.jackson.databind}, and to {@code ws.events} for {@code Arguments.as(record)}.
 *
 * <p>Internal packages, exported to nobody: {@code ws.events.internal.wire} is the codec of both
 * protocols (Engine.IO packets and long-polling payloads; Socket.IO packets with binary attachments),
 * shared by the server and the Java client of this module; {@code ws.events.internal.engine} is the
 * Engine.IO server (sessions, transports, the upgrade, heartbeats).
 */
module ws.events {
    requires transitive ws.protocol;
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports ws.events;
    exports ws.events.spi;

    // The Java client: EventClient, one connection; ClientSocket, one namespace on it.
    exports ws.events.client;
}
