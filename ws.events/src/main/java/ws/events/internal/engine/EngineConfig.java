package ws.events.internal.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * The Engine.IO server's settings.
 *
 * @param pingInterval     how often the server pings
 * @param pingTimeout      how long it waits for the pong before closing ("ping timeout")
 * @param maxPayload       the largest message and long-polling request body, in bytes (sent to clients)
 * @param upgradeTimeout   how long an upgrade from polling to WebSocket may take
 * @param polling          whether HTTP long-polling is offered
 * @param websocket        whether WebSocket is offered
 * @param maxBufferedBytes the most data queued for a client (a polling client that does not poll, a
 *                         WebSocket client that does not read), before the session is closed
 * @param maxSessionsPerAddress the most open sessions from one client address
 * @param cors             cross-origin rules for polling requests
 * @param timers           where the timers run
 */
public record EngineConfig(Duration pingInterval, Duration pingTimeout, int maxPayload, Duration upgradeTimeout,
                           boolean polling, boolean websocket, long maxBufferedBytes, int maxSessionsPerAddress, CorsPolicy cors,
                           EngineTimers timers) {
    /** Checks the components. */
    public EngineConfig {
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        Objects.requireNonNull(upgradeTimeout, "upgradeTimeout");
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(timers, "timers");
        if (!polling && !websocket) {
            throw new IllegalArgumentException("at least one transport must be enabled");
        }
        if (maxSessionsPerAddress < 1) {
            throw new IllegalArgumentException("maxSessionsPerAddress " + maxSessionsPerAddress + " must be positive");
        }
        if (maxPayload < 1) {
            throw new IllegalArgumentException("maxPayload " + maxPayload + " must be positive");
        }
    }
}
