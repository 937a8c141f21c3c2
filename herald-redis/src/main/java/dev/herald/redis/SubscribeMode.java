package dev.herald.redis;

/** How a {@link RedisBroker} asks Redis for messages. */
public enum SubscribeMode {

    /**
     * {@code SUBSCRIBE <prefix><channel>} for each channel that has local subscribers, {@code UNSUBSCRIBE} when
     * the last one leaves. Redis then sends a node only what it can deliver, which is what lets many nodes share
     * one Redis. The default.
     */
    PER_CHANNEL,

    /**
     * One {@code PSUBSCRIBE <prefix>*} at start: every message under the prefix reaches the node, subscribers
     * or not. What laravel-echo-server did; needed for the legacy broadcast-to-all mode, and harmless for a
     * single node with few channels.
     */
    PATTERN
}
