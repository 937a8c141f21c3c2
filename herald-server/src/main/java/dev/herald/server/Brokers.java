package dev.herald.server;

import dev.herald.core.Broker;
import dev.herald.core.MemoryBroker;

/** Chooses the broker from the configuration. */
final class Brokers {

    private Brokers() {}

    static Broker create(ServerConfig config) {
        if (config.redisUrl() == null) return new MemoryBroker();
        throw new UnsupportedOperationException("the Redis broker is not wired yet");
    }
}
