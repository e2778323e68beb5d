package ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import ws.protocol.Side;
import ws.protocol.engine.Protocol;

/**
 * The frame reader and everything behind it in the engine (fragmentation, control frames, close
 * payloads, UTF-8, the size limits), as a server and as a client, with and without
 * permessage-deflate: the first input byte picks the role (bit 0: client), the extension (bit 1) and
 * the piece size (bits 2-7, plus one); the rest is what the peer sends after the handshake.
 *
 * <p>Whatever arrives, the engine takes every byte, never throws, ends with exactly one Closed, sends
 * only valid frames, delivers no message above its limit, and behaves the same whether the bytes come
 * all at once or in pieces of any size (RFC 6455 section 5.2 defines frames, not reads).
 */
class FrameFuzzTest {

    @FuzzTest
    void frames(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int mode = data[0] & 0xFF;
        Side side = (mode & 1) == 0 ? Side.SERVER : Side.CLIENT;
        boolean deflate = (mode & 2) != 0;
        int chunk = 1 + (mode >>> 2); // 1..64
        byte[] input = Arrays.copyOfRange(data, 1, data.length);

        Peers.Run whole = Peers.feed(Peers.open(side, deflate), input, 0);
        Protocol engine = Peers.open(side, deflate);
        Peers.Run pieces = Peers.feed(engine, input, chunk);
        if (!whole.events().equals(pieces.events())) {
            throw new AssertionError(side + (deflate ? " with deflate" : "") + ": events differ when fed in pieces of " + chunk
                    + ":\n whole:  " + whole.events() + "\n pieces: " + pieces.events());
        }
        if (!Arrays.equals(whole.output(), pieces.output())) {
            throw new AssertionError(side + (deflate ? " with deflate" : "") + ": output differs when fed in pieces of " + chunk);
        }
    }
}
