package ws.transport.eventloop.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import ws.protocol.driver.ConnectionDriver;

/**
 * A WebSocket connection's input: every read goes to its driver on the loop thread (so its callbacks
 * run there, one at a time). At the end the driver finishes on the loop when that needs no wait (its
 * output already ended, as for nearly every connection); otherwise its {@link ConnectionDriver#finish}
 * runs on a hand-off thread: it may wait (bounded by the close timeout) for output still being
 * written, or for a writer that holds the outgoing queue when it is discarded, which the loop must not.
 */
final class DriverInput implements LoopChannel.Input {
    private final ConnectionDriver driver;
    private final Executor finisher;

    DriverInput(ConnectionDriver driver, Executor finisher) {
        this.driver = driver;
        this.finisher = finisher;
    }

    @Override
    public void received(ByteBuffer data) {
        driver.receive(data);
    }

    @Override
    public void endOfInput() {
        try {
            driver.receiveEof();
        } finally {
            finish();
        }
    }

    @Override
    public void failed(IOException error) {
        try {
            driver.readFailed(error);
        } finally {
            finish();
        }
    }

    private void finish() {
        finish(driver, finisher);
    }

    /**
     * Finishes {@code driver} here if that needs no wait, else runs its {@link ConnectionDriver#finish}
     * on {@code finisher} (here when it has no thread).
     */
    static void finish(ConnectionDriver driver, Executor finisher) {
        if (driver.finishWithoutWaiting()) {
            return;
        }
        try {
            finisher.execute(driver::finish);
        } catch (RuntimeException e) {
            driver.finish(); // no thread to be had: finish here rather than never
        }
    }
}
