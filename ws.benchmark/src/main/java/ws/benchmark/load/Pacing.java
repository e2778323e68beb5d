package ws.benchmark.load;

/**
 * The schedule of an open-loop echo run: every connection sends one message each {@code interval}
 * nanoseconds, the connections' first sends spread evenly over the first interval, so the offered
 * load is the rate at every instant, not bursts of one message per connection. A message is timed
 * from the moment this schedule meant it to leave, whatever the server did meanwhile.
 *
 * @param start       when the schedule starts ({@link System#nanoTime()})
 * @param interval    nanoseconds between two sends of one connection
 * @param connections how many connections share the rate
 */
record Pacing(long start, long interval, int connections) {
    Pacing {
        if (interval < 1 || connections < 1) {
            throw new IllegalArgumentException("interval " + interval + " ns over " + connections + " connections");
        }
    }

    /** {@code messagesPerSecond} over all {@code connections}, from {@code start}. */
    static Pacing of(long start, double messagesPerSecond, int connections) {
        if (!(messagesPerSecond > 0)) {
            throw new IllegalArgumentException("rate " + messagesPerSecond);
        }
        return new Pacing(start, Math.max(1, Math.round(1e9 * connections / messagesPerSecond)), connections);
    }

    /** The intended time of connection {@code index}'s first send: staggered over one interval. */
    long firstDue(int index) {
        return start + interval * Math.floorMod(index, connections) / connections;
    }

    /** How many sends of a connection whose next one is due at {@code nextDue} are due by {@code now}. */
    long dueBy(long nextDue, long now) {
        return now - nextDue < 0 ? 0 : (now - nextDue) / interval + 1;
    }
}
