package ws.transport.stream;

import ws.protocol.driver.ConnectionObserver;

/**
 * Records a connection's life as JFR events: {@code ws.ConnectionOpened}, {@code ws.ConnectionClosed},
 * {@code ws.HandshakeRejected}, {@code ws.ProtocolViolation} and {@code ws.BackpressureFired}
 * (category "WebSocket", no stack traces). Every transport on this runtime uses it; a transport with
 * its own I/O model hands {@link #create()} to its drivers' {@link ws.protocol.driver.ConnectionHost}.
 *
 * <p>Nearly free when no recording asks for an event: each checks {@code shouldCommit()} before it
 * formats a field, and the per-message calls do nothing. {@code jdk.jfr} is optional for this module:
 * on the class path it is always there; an application on the module path has it when {@code jdk.jfr}
 * is resolved (as any JFR recording needs: {@code --add-modules jdk.jfr}, or a module that requires
 * it); without it {@link #create()} observes nothing, and no class that names a JFR type is loaded.
 */
public final class JfrObserver {
    private static final boolean AVAILABLE = readable("jdk.jfr");

    private JfrObserver() {
    }

    /** The JFR observer, or {@link ConnectionObserver#NONE} when {@code jdk.jfr} is not in the runtime. */
    public static ConnectionObserver create() {
        return AVAILABLE ? new JfrRecorder() : ConnectionObserver.NONE;
    }

    /** Whether this module can use {@code module} now (present in its layer and read by it). */
    static boolean readable(String module) {
        Module self = JfrObserver.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        return layer.findModule(module).map(self::canRead).orElse(false);
    }
}
