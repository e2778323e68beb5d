package ws.transport.stream;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import ws.protocol.api.WebSocketServerMXBean;

/**
 * A server's counters registered as a platform MXBean while it runs ({@code ServerOptions.jmx}).
 * {@code java.management} is optional for this module: a server asked for JMX without it in the
 * runtime fails to start with a message saying so. Loaded only when asked for.
 */
public final class ServerMBean {
    private final MBeanServer platform;
    private final ObjectName name;

    private ServerMBean(MBeanServer platform, ObjectName name) {
        this.platform = platform;
        this.name = name;
    }

    /**
     * Registers {@code bean} as {@code dev.ws:type=WebSocketServer,transport=NAME,address="HOST:PORT"}.
     *
     * @throws IllegalStateException when {@code java.management} is not in the runtime, or the name is taken
     */
    public static ServerMBean register(WebSocketServerMXBean bean, String transport, InetSocketAddress address) {
        if (!JfrObserver.readable("java.management")) {
            throw new IllegalStateException("ServerOptions.jmx needs the java.management module"
                    + " (on the module path: --add-modules java.management, or require it in your module)");
        }
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        try {
            String where = address == null ? "unbound-" + System.identityHashCode(bean)
                    : address.getHostString() + ":" + address.getPort();
            ObjectName name = new ObjectName("dev.ws:type=WebSocketServer,transport=" + ObjectName.quote(transport)
                    + ",address=" + ObjectName.quote(where));
            platform.registerMBean(bean, name);
            return new ServerMBean(platform, name);
        } catch (JMException e) {
            throw new IllegalStateException("could not register the server's MXBean: " + e.getMessage(), e);
        }
    }

    /** The name it is registered under. */
    ObjectName name() {
        return name;
    }

    /** Removes it (the server stopped). */
    public void unregister() {
        try {
            platform.unregisterMBean(name);
        } catch (JMException ignored) {
            // gone already
        }
    }
}
