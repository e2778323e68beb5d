package ws.conformance.cases;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import ws.conformance.wire.Pmd;

/**
 * How a permessage-deflate case (groups 12 and 13) negotiates: what the suite offers when it is the
 * client, and how it answers a client's offers when it is the server.
 *
 * @param offers      the offers, in order, for client mode ({@code Sec-WebSocket-Extensions})
 * @param acceptText  what the server-mode answer does, for reports
 * @param accept      server mode: the response to the client's offers, or {@code null} to decline
 *                    (the case is then UNIMPLEMENTED, as in Autobahn)
 */
public record DeflateSpec(List<String> offers, String acceptText, Function<List<Pmd.Element>, String> accept) {
    public DeflateSpec {
        offers = List.copyOf(offers);
        Objects.requireNonNull(accept, "accept");
    }
}
