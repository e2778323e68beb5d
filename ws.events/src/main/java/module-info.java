/**
 * Events over WebSocket and HTTP long-polling, speaking the Socket.IO v5 protocol over Engine.IO v4,
 * so the official Socket.IO clients connect unchanged.
 *
 * <p>Internal packages: {@code ws.events.internal.wire} is the codec of both protocols (Engine.IO
 * packets and long-polling payloads; Socket.IO packets with binary attachments), shared by the server
 * and the Java client of this module and exported to nobody.
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
