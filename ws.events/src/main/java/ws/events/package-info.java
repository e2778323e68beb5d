/**
 * The event server: {@link ws.events.EventServer} (built with its builder and mounted on a
 * WebSocket server), {@link ws.events.Namespace}s and their {@link ws.events.EventSocket}s, events
 * with their {@link ws.events.Arguments}, {@link ws.events.Broadcast}s to rooms, connection and event
 * middleware, {@link ws.events.RateLimit}, {@link ws.events.Presence} and {@link ws.events.Recovery}.
 *
 * <p>Threading: the listeners of one socket run one at a time, in the order its client sent the
 * events, on the thread that read them; everything else (emits, broadcasts, room operations) is
 * safe from any thread. Timers run on the injected {@link ws.events.Scheduler}.
 */
package ws.events;
