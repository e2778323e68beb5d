package ws.transport.stream;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The SDK's JFR event types, all in the category "WebSocket", without stack traces (a connection's
 * events come from its own thread, whose stack says nothing the fields do not). Loaded only when
 * {@code jdk.jfr} is in the runtime ({@link JfrObserver#create()}).
 */
final class JfrEvents {
    private JfrEvents() {
    }

    @Name("ws.ConnectionOpened")
    @Label("WebSocket Connection Opened")
    @Description("A WebSocket connection completed its opening handshake")
    @Category("WebSocket")
    @StackTrace(false)
    static final class Opened extends Event {
        @Label("Connection") String connectionId;
        @Label("Side") @Description("server or client") String side;
        @Label("Remote Address") String remoteAddress;
        @Label("Path") String path;
        @Label("Subprotocol") String subprotocol;
        @Label("Extensions") String extensions;
    }

    @Name("ws.ConnectionClosed")
    @Label("WebSocket Connection Closed")
    @Description("An opened WebSocket connection ended")
    @Category("WebSocket")
    @StackTrace(false)
    static final class Closed extends Event {
        @Label("Connection") String connectionId;
        @Label("Side") @Description("server or client") String side;
        @Label("Remote Address") String remoteAddress;
        @Label("Status Code") @Description("the close code reported to onClose (1006: no close handshake)") int code;
        @Label("Reason") String reason;
        @Label("Initiator") @Description("LOCAL, REMOTE, or NONE when the connection was lost") String initiator;
        @Label("Open For") @Description("from the end of the opening handshake to the end") @Timespan(Timespan.NANOSECONDS) long openFor;
        @Label("Messages In") long messagesIn;
        @Label("Messages Out") long messagesOut;
        @Label("Bytes In") @DataAmount long bytesIn;
        @Label("Bytes Out") @DataAmount long bytesOut;
    }

    @Name("ws.HandshakeRejected")
    @Label("WebSocket Handshake Rejected")
    @Description("An opening handshake or HTTP request was refused (by this server, or by the server a client asked)")
    @Category("WebSocket")
    @StackTrace(false)
    static final class HandshakeRejected extends Event {
        @Label("Remote Address") String remoteAddress;
        @Label("Target") String target;
        @Label("HTTP Status") int status;
        @Label("Reason") String reason;
    }

    @Name("ws.ProtocolViolation")
    @Label("WebSocket Protocol Violation")
    @Description("The peer broke the protocol; the connection fails with the close code")
    @Category("WebSocket")
    @StackTrace(false)
    static final class ProtocolViolation extends Event {
        @Label("Connection") String connectionId;
        @Label("Side") String side;
        @Label("Remote Address") String remoteAddress;
        @Label("Close Code") int code;
        @Label("Rule") @Description("the rule broken and the value seen") String rule;
    }

    @Name("ws.BackpressureFired")
    @Label("WebSocket Backpressure")
    @Description("A send found the buffered amount over the high-water mark and the policy was applied")
    @Category("WebSocket")
    @StackTrace(false)
    static final class Backpressure extends Event {
        @Label("Connection") String connectionId;
        @Label("Remote Address") String remoteAddress;
        @Label("Policy") @Description("WAIT, FAIL or CLOSE") String policy;
        @Label("Queued Bytes") @DataAmount long queuedBytes;
        @Label("Message Bytes") @DataAmount long messageBytes;
        @Label("High-Water Mark") @DataAmount long highWaterMark;
    }
}
