package ws.testkit;

import java.net.URI;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.stream.Message;
import ws.protocol.stream.MessagePublisher;

/**
 * The Reactive Streams TCK (1.0.4, {@code java.util.concurrent.Flow} flavour) against
 * {@link MessagePublisher}: each publisher is a client connection on the loopback to a server that
 * sends the number of messages asked for, then closes with 1000 (which completes the publisher); the
 * TCK's "infinite" publishers (up to {@code Long.MAX_VALUE} elements) send until the client cancels.
 * Left out (overridden below without {@code @Test}): the TCK's {@code untested_*} rules, and the
 * optional multi-subscriber rules (1.11: a connection's messages go to one subscriber).
 */
public class MessagePublisherTckTest extends FlowPublisherVerification<Message> {
    private Loopback net;
    private WebSocketServer server;

    public MessagePublisherTckTest() {
        super(new TestEnvironment(2000, 500));
    }

    @BeforeClass
    public void startServer() {
        net = Loopback.withSystemClock();
        server = net.startServer("/*", new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                long count = Long.parseLong(ws.request().path().substring(1));
                // one message at a time, each after the previous was written: the client's demand
                // holds this sender back through the loopback's flow control (also for "infinite" counts)
                Thread.ofVirtual().start(() -> {
                    try {
                        for (long i = 0; i < count; i++) {
                            ws.sendText("m" + i).join();
                        }
                        ws.close();
                    } catch (RuntimeException closed) {
                        // the subscriber cancelled: the client closed the connection
                    }
                });
            }
        });
    }

    @AfterClass
    public void stopServer() {
        net.close();
    }

    @Override
    public Flow.Publisher<Message> createFlowPublisher(long elements) {
        MessagePublisher publisher = new MessagePublisher();
        net.client().connect(URI.create(net.uri(server, "/" + elements).toString()), publisher);
        return publisher;
    }

    @Override
    public Flow.Publisher<Message> createFailedFlowPublisher() {
        MessagePublisher publisher = new MessagePublisher();
        net.client().connect(net.uri(1, "/nothing-listens-here"), publisher);
        return publisher;
    }

    // Left out of the run, so that it reports only rules it checks (overriding a TCK method without
    // TestNG's @Test takes it out): the TCK's untested_* rules, which it cannot check and would only
    // report as skipped, and the optional multi-subscriber rules of 1.11 (a connection's messages go
    // to one subscriber; a second one gets onError, which StreamsAndFragmentsTest covers).

    @Override
    public void untested_spec106_mustConsiderSubscriptionCancelledAfterOnErrorOrOnCompleteHasBeenCalled() {
    }

    @Override
    public void untested_spec107_mustNotEmitFurtherSignalsOnceOnErrorHasBeenSignalled() {
    }

    @Override
    public void untested_spec108_possiblyCanceledSubscriptionShouldNotReceiveOnErrorOrOnCompleteSignals() {
    }

    @Override
    public void untested_spec109_subscribeShouldNotThrowNonFatalThrowable() {
    }

    @Override
    public void untested_spec110_rejectASubscriptionRequestIfTheSameSubscriberSubscribesTwice() {
    }

    @Override
    public void optional_spec111_maySupportMultiSubscribe() {
    }

    @Override
    public void optional_spec111_registeredSubscribersMustReceiveOnNextOrOnCompleteSignals() {
    }

    @Override
    public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne() {
    }

    @Override
    public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront() {
    }

    @Override
    public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected() {
    }

    @Override
    public void untested_spec304_requestShouldNotPerformHeavyComputations() {
    }

    @Override
    public void untested_spec305_cancelMustNotSynchronouslyPerformHeavyComputation() {
    }
}
