package dev.herald.bench;

/** Names shared by the publisher and the clients. */
final class Bench {

    /** The event name of every bench event ({@code broadcastAs()} in Laravel terms). */
    static final String EVENT = "bench.tick";
    /** The one channel of the broadcast scenario. */
    static final String BROADCAST_CHANNEL = "bench-all";

    private Bench() {}

    /** The channel of user (connection) {@code i} in the per-user and idle scenarios: one per waiting page. */
    static String userChannel(int i) {
        return "bench-user." + i;
    }

    /**
     * Which channel connection {@code i} listens on, by its global index: a worker process that opens connections
     * {@code first .. first+count-1} names them exactly as one process opening all N would (user i is user i).
     */
    enum Naming {
        /** Every connection on {@link #BROADCAST_CHANNEL}. */
        BROADCAST,
        /** Connection i on {@link #userChannel}(i). */
        PER_USER;

        String channel(int globalIndex) {
            return this == BROADCAST ? BROADCAST_CHANNEL : userChannel(globalIndex);
        }
    }
}
