package ws.protocol.internal.deflate;

/**
 * What one {@code PerMessageDeflate} factory was configured with, from our side's point of view.
 *
 * @param level                        compression level 0-9
 * @param threshold                    single-frame messages shorter than this go uncompressed
 * @param noContextTakeover            we reset our compressor after every message, and say so
 * @param requestPeerNoContextTakeover we ask the peer to reset its compressor after every message
 * @param allowNoContextTakeover       the peer may require us to reset our compressor
 * @param maxWindowBits                the largest LZ77 window our compressor uses (8-15)
 * @param minWindowBits                the smallest window the peer may impose on our compressor (8-15)
 * @param peerMaxWindowBits            the window we ask the peer's compressor to keep within (8-15)
 * @param fallbackOffer                client: after an offer that asks something of the server, also
 *                                     offer one that asks nothing
 */
public record DeflateSettings(int level, int threshold, boolean noContextTakeover,
                              boolean requestPeerNoContextTakeover, boolean allowNoContextTakeover,
                              int maxWindowBits, int minWindowBits, int peerMaxWindowBits,
                              boolean fallbackOffer) {
}
