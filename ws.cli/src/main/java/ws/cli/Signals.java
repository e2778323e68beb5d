package ws.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into {@code System.exit(0)}: the shutdown hooks run as they
 * would anyway (closing connections with 1001), and the process reports an orderly stop with
 * status 0 rather than the JVM's 130 or 143. Where a signal cannot be handled (a JVM started with
 * {@code -Xrs}), the JVM's default stays, and the shutdown hooks still run.
 */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    static void exitZeroOnInterrupt() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.debug("SIG{} received: shutting down", signal.getName());
                    System.exit(0); // runs the shutdown hooks; a second signal waits for them too

                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
