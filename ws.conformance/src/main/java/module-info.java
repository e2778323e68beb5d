/**
 * An Autobahn-style WebSocket conformance suite: the case groups 1-7, 9 and 10 of the Autobahn
 * testsuite, run against a server URL ("client mode") or against a client that connects to our own
 * raw server ("server mode").
 *
 * <p>The suite speaks the wire with its own minimal codec ({@code ws.conformance.wire}): it never uses
 * the frame reader, writer or engine of {@code ws.protocol}, so it checks that engine independently.
 * Only {@code ws.conformance.sdk}, which starts the SDK's own server and client in-process as
 * targets, uses the SDK's public API.
 */
module ws.conformance {
    requires transitive ws.protocol; // ws.conformance.sdk has SDK types in its signatures
    requires ws.transport.blocking;
    requires ws.transport.virtualthreads;
    requires ws.transport.eventloop;

    exports ws.conformance;
    exports ws.conformance.cases;
    exports ws.conformance.wire;
    exports ws.conformance.sdk;
}
