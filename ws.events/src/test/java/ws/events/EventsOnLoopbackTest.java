package ws.events;

/** The same tests of events, binding, acks and binary, on the testkit's in-memory loopback transport instead of sockets. */
class EventsOnLoopbackTest extends EventsTest {
    @Override
    boolean onLoopback() {
        return true;
    }
}
