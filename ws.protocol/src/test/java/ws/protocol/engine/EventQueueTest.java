package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ws.protocol.Side;

/** {@link Protocol#deliverEventsTo}: a driver's own queue gets the events as they happen, no list per call. */
@DisplayName("events delivered to the driver's queue")
class EventQueueTest {

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("events go to the queue in order as they happen; events() then returns nothing")
    void inOrder(Side side) {
        Protocol engine = Engines.open(side);
        ArrayDeque<ProtocolEvent> queue = new ArrayDeque<>();
        engine.deliverEventsTo(queue);
        engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x81, "one")));
        engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x89, "p")));
        engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x81, "two")));
        assertEquals(List.of(), engine.events());
        assertEquals(new ProtocolEvent.TextMessage("one"), queue.poll());
        assertInstanceOf(ProtocolEvent.Ping.class, queue.poll());
        assertEquals(new ProtocolEvent.TextMessage("two"), queue.poll());
        assertTrue(queue.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("events kept before the queue was given move to it first")
    void keptBefore(Side side) {
        Protocol engine = Engines.open(side);
        engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x81, "before")));
        ArrayDeque<ProtocolEvent> queue = new ArrayDeque<>();
        engine.deliverEventsTo(queue);
        engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x81, "after")));
        assertEquals(List.of(new ProtocolEvent.TextMessage("before"), new ProtocolEvent.TextMessage("after")),
                List.copyOf(queue));
        assertEquals(List.of(), engine.events());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("no queue (null) goes back to keeping the events for events()")
    void backToKeeping(Side side) {
        Protocol engine = Engines.open(side);
        ArrayDeque<ProtocolEvent> queue = new ArrayDeque<>();
        engine.deliverEventsTo(queue);
        engine.deliverEventsTo(null);
        engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x81, "kept")));
        assertTrue(queue.isEmpty());
        assertEquals(List.of(new ProtocolEvent.TextMessage("kept")), engine.events());
    }
}
