package ws.transport.eventloop.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import ws.protocol.driver.ConnectionDriver;

/**
 * The input of every WebSocket connection of one owner (a server, a client): each read of a channel
 * goes to its driver ({@link LoopChannel#driver()}) on the loop thread (so its callbacks run there, one
 * at a time). One object per owner, none per connection: an idle connection keeps only its channel and
 * its driver. At the end the driver finishes on the loop when that needs no wait (its output already
 * ended, as for nearly every connection); otherwise its {@link ConnectionDriver#finish} runs on a
 * hand-off thread: it may wait (bounded by the close timeout) for output still being written, or for a
 * writer that holds the outgoing queue when it is discarded, which the loop must not.
 */
final class DriverInput implements LoopChannel.Input {
    private final Executor finisher;

    /** Ends that must wait run on {@code finisher}. */
    DriverInput(Executor finisher) {
        this.finisher = finisher;
    }

    @Override
    public void received(LoopChannel channel, ByteBuffer data) {
        channel.driver().receive(data);
    }

    @Override
    public void endOfInput(LoopChannel channel) {
        ConnectionDriver driver = channel.driver();
        try {
            driver.receiveEof();
        } finally {
            finish(driver, finisher);
        }
    }

    @Override
    public void failed(LoopChannel channel, IOException error) {
        ConnectionDriver driver = channel.driver();
        try {
            driver.readFailed(error);
        } finally {
            finish(driver, finisher);
        }
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
