package ws.protocol.internal.deflate;

/**
 * The four permessage-deflate parameters as agreed (RFC 7692 section 7.1), absent window parameters
 * standing for 15.
 *
 * @param serverNoContextTakeover the server resets its compressor after every message
 * @param clientNoContextTakeover the client resets its compressor after every message
 * @param serverMaxWindowBits     the server's compressor keeps distances within 2^bits
 * @param clientMaxWindowBits     the client's compressor keeps distances within 2^bits
 */
public record Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                        int serverMaxWindowBits, int clientMaxWindowBits) {
}
