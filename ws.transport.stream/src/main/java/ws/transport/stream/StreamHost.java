package ws.transport.stream;

import java.util.concurrent.Executor;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.ConnectionObserver;
import ws.protocol.driver.DriverLogger;
import ws.protocol.driver.Scheduler;
import ws.protocol.engine.ProtocolConfig;

/** What a stream server and a stream client give their connections' drivers alike. */
abstract class StreamHost implements ConnectionHost {
    /** The transport's settings. */
    final StreamSettings settings;
    /** The clock and timers of every connection of this owner. */
    final Timers timers;
    private final ConnectionOptions connectionOptions;
    private final ProtocolConfig protocolConfig;
    private final ConnectionObserver observer;

    StreamHost(StreamSettings settings, Timers timers, ConnectionOptions connectionOptions, ConnectionObserver observer) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.timers = java.util.Objects.requireNonNull(timers, "timers");
        this.connectionOptions = connectionOptions;
        this.protocolConfig = connectionOptions.protocolConfig();
        this.observer = observer;
    }

    /** JFR events, and whatever else this owner counts. */
    @Override
    public final ConnectionObserver observer() {
        return observer;
    }

    @Override
    public final Scheduler scheduler() {
        return timers;
    }

    @Override
    public final Executor writers() {
        return settings.writers();
    }

    /**
     * A virtual thread per task (a streamed message's handler: user code that reads and may block),
     * apart from the writers, whose executor a test may count or hold.
     */
    @Override
    public final Executor tasks() {
        return TASKS;
    }

    private static final Executor TASKS = task -> Thread.ofVirtual().name("ws-task").start(task);

    @Override
    public final DriverLogger logger() {
        return Slf4jDriverLogger.INSTANCE;
    }

    @Override
    public final ConnectionOptions connectionOptions() {
        return connectionOptions;
    }

    /** Made once with the options: every connection of this owner shares it. */
    @Override
    public final ProtocolConfig protocolConfig() {
        return protocolConfig;
    }
}
