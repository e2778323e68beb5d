package ws.events;

/** The same tests of rooms and broadcasts, on the testkit's in-memory loopback transport instead of sockets. */
class RoomsOnLoopbackTest extends RoomsTest {
    @Override
    boolean onLoopback() {
        return true;
    }
}
