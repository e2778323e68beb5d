package ws.events;

/** The same tests of connection state recovery, on the testkit's in-memory loopback transport instead of sockets. */
class RecoveryOnLoopbackTest extends RecoveryTest {
    @Override
    boolean onLoopback() {
        return true;
    }
}
