package ws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A malformed packet, or one over a limit, closes that connection ("parse error"), nothing else. */
class MalformedPacketTest extends EventsFixture {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "4abc", "42{\"not\":\"an array\"}", "42[]", "42[\"connect\"]", "42[\"a\"", "49[\"a\"]", "x", "",
            "451-[\"a\",{\"_placeholder\":true,\"num\":3}]", "4511-[\"a\"]", "450-[\"a\"]", "4299999999999999999[\"a\"]",
            "42[\"deep\",[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"})
    void closesTheConnectionWithParseError(String packet) throws Exception {
        start(b -> b);
        CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
        events.sockets().onConnection(socket -> socket.onDisconnect(reason::complete));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.send(packet);
            if (packet.startsWith("451-")) {
                peer.sendBinary(new byte[] {1});
            }
            peer.awaitClosed();
            assertEquals(DisconnectReason.PARSE_ERROR, reason.get(30, TimeUnit.SECONDS));
        }
        try (RawClient other = raw()) {
            other.connect("/", null); // the server is fine
        }
    }
}
