package ws.transport.eventloop.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import ws.protocol.driver.ConnectionDriver;

/**
 * A client connection's input while its TLS handshake runs, before its driver starts: a failed
 * handshake (named by the layer), a close (the handshake timeout) or an end of input is the
 * connection's failure to open. Once the handshake is done the input is the driver's.
 */
final class Opening implements LoopChannel.Input {
    private final ConnectionDriver driver;
    private final Executor finisher;

    Opening(ConnectionDriver driver, Executor finisher) {
        this.driver = driver;
        this.finisher = finisher;
    }

    @Override
    public void received(LoopChannel channel, ByteBuffer data) {
        throw new IllegalStateException("application bytes before the TLS handshake is done");
    }

    @Override
    public void endOfInput(LoopChannel channel) {
        failed(channel, new EOFException("the server closed the connection during the TLS handshake"));
    }

    @Override
    public void failed(LoopChannel channel, IOException error) {
        driver.openFailed(error);
        DriverInput.finish(driver, finisher);
    }
}
