package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A sent message is counted before a writer can take its bytes")
class MessageSentCountTest {

    @Test
    @DisplayName("messageSent runs under the connection's lock, under which the message's bytes are queued after it: no writer can have them yet")
    void countedUnderTheLock() {
        Host host = new Host();
        ConnectionDriver driver = TestHost.open(host);
        host.driver = driver;
        driver.sendText("one").join();
        driver.sendBinary(ByteBuffer.wrap(new byte[] {1, 2})).join();
        assertEquals(List.of(true, true), host.underLock);
    }

    private static final class Host extends TestHost implements ConnectionObserver {
        final List<Boolean> underLock = new ArrayList<>();
        ConnectionDriver driver;

        @Override
        public void messageSent() {
            underLock.add(driver.lock.isHeldByCurrentThread());
        }

        @Override
        public ConnectionObserver observer() {
            return this;
        }
    }
}
