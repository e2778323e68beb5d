package ws.transport.virtualthreads;

/** CONTRACT STUB: the transport helper implements. */
public final class VirtualThreadTransport {
}
