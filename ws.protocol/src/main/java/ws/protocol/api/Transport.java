package ws.protocol.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Runs servers and clients over some kind of I/O: sockets on platform threads, sockets on virtual
 * threads, TLS, memory. Every transport honours the threading contract of {@link ws.protocol.api}.
 *
 * <p>Applications choose one with the options builders ({@code .transport(...)}) or leave the choice
 * to {@link #defaultTransport()}; transports implement it and are found with
 * {@link java.util.ServiceLoader} ({@code provides ws.protocol.api.Transport with ...}). It lives in
 * the API package, next to the options that name it, so that the API depends on nothing that depends
 * on it; a transport's server answers requests with {@link ws.protocol.server.ServerCore}.
 */
public interface Transport {

    /** The system property that chooses the default transport by name. */
    String PROPERTY = "ws.transport";

    /** A short name: {@code "blocking"}, {@code "virtual"}. */
    String name();

    /** The preference among installed transports when none is named; higher wins. */
    default int priority() {
        return 0;
    }

    /** Binds and starts a server. */
    WebSocketServer startServer(ServerOptions options) throws IOException;

    /** A client. */
    WebSocketClient newClient(ClientOptions options);

    /** Every transport on the module path (or class path). */
    static List<Transport> installed() {
        List<Transport> transports = new ArrayList<>();
        ServiceLoader.load(Transport.class, Transport.class.getClassLoader()).forEach(transports::add);
        transports.sort(Comparator.comparingInt(Transport::priority).reversed());
        return transports;
    }

    /** The installed transport with this name. */
    static Transport named(String name) {
        List<String> names = new ArrayList<>();
        for (Transport transport : installed()) {
            if (transport.name().equals(name)) {
                return transport;
            }
            names.add(transport.name());
        }
        throw new IllegalArgumentException("no transport named \"" + name + "\"; installed: " + names);
    }

    /**
     * The transport named by the system property {@value #PROPERTY}, else the installed one with the
     * highest priority.
     *
     * @throws IllegalStateException when none is installed
     */
    static Transport defaultTransport() {
        String name = System.getProperty(PROPERTY);
        if (name != null && !name.isBlank()) {
            return named(name.strip());
        }
        List<Transport> transports = installed();
        if (transports.isEmpty()) {
            throw new IllegalStateException("no WebSocket transport is installed: add ws.transport.blocking or "
                    + "ws.transport.virtualthreads to the module path");
        }
        return transports.get(0);
    }
}
