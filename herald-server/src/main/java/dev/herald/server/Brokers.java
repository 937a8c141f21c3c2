package dev.herald.server;

import dev.herald.core.Broker;
import dev.herald.core.MemoryBroker;
import dev.herald.redis.RedisBroker;
import dev.herald.redis.RedisBrokerConfig;
import dev.herald.redis.SubscribeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the broker from the configuration: Redis when a URL is given, the in-memory broker otherwise. */
final class Brokers {

    private static final Logger log = LoggerFactory.getLogger(Brokers.class);

    private Brokers() {}

    static Broker create(ServerConfig config) {
        if (config.redisUrl() == null) return new MemoryBroker();
        boolean pattern = config.redisPattern();
        if (config.legacyBroadcastAll() && !pattern) {
            // Every public event must reach every socket, subscribed or not: this node needs all channels.
            log.info("--legacy-broadcast-all needs every channel: using --redis-subscribe pattern");
            pattern = true;
        }
        return new RedisBroker(RedisBrokerConfig.of(config.redisUrl())
                .withPrefix(config.redisPrefix())
                .withSubscribeMode(pattern ? SubscribeMode.PATTERN : SubscribeMode.PER_CHANNEL)
                .withMaxMessageBytes(Math.max(config.maxPayload(), 1024)));
    }
}
