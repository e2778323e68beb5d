package ws.transport.blocking;

/** CONTRACT STUB: the transport helper implements. */
public final class BlockingTransport {
}
