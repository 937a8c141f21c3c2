package dev.herald.broadcasting;

import java.util.Objects;

/**
 * Creates {@link Broadcaster}s. Usually {@code Broadcasters.create(BroadcastConfig.fromEnvironment())}; the
 * {@code memory} driver needs a {@link PublicationSink} and is created with {@link #memory(PublicationSink)} or
 * {@link #create(BroadcastConfig, PublicationSink)}.
 */
public final class Broadcasters {

    private Broadcasters() {}

    /**
     * The broadcaster the configuration names. Nothing is connected yet: the {@code redis} driver connects on its
     * first broadcast, so the app starts even while Redis is down.
     *
     * @throws IllegalArgumentException for the {@code memory} driver (it needs a sink) or an invalid Redis URL
     */
    public static Broadcaster create(BroadcastConfig config) {
        return create(config, null, new BroadcastEncoder());
    }

    /** As {@link #create(BroadcastConfig)}; {@code sink} is used by the {@code memory} driver, ignored by the others. */
    public static Broadcaster create(BroadcastConfig config, PublicationSink sink) {
        return create(config, sink, new BroadcastEncoder());
    }

    /**
     * As {@link #create(BroadcastConfig, PublicationSink)} with an encoder of your own, e.g.
     * {@code new BroadcastEncoder(PhpJsonMapper.builder().addModule(new JavaTimeModule()).build())}.
     */
    public static Broadcaster create(BroadcastConfig config, PublicationSink sink, BroadcastEncoder encoder) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(encoder, "encoder");
        return switch (config.driver()) {
            case REDIS -> new RedisBroadcaster(config, encoder);
            case LOG -> new LogBroadcaster(encoder, config.timeout());
            case NULL -> new NullBroadcaster(encoder, config.timeout());
            case MEMORY -> {
                if (sink == null) {
                    throw new IllegalArgumentException("the memory broadcast driver needs a PublicationSink: use"
                            + " Broadcasters.memory(sink) or Broadcasters.create(config, sink)");
                }
                yield new MemoryBroadcaster(sink, encoder, config.timeout(), config.retryPolicy());
            }
        };
    }

    /** The {@code memory} driver with default timeout and no retries, e.g. {@code Broadcasters.memory(node::publish)}. */
    public static Broadcaster memory(PublicationSink sink) {
        return create(BroadcastConfig.defaults().withDriver(BroadcastDriver.MEMORY), Objects.requireNonNull(sink, "sink"));
    }

    /** The {@code log} driver. */
    public static Broadcaster log() {
        return create(BroadcastConfig.defaults().withDriver(BroadcastDriver.LOG));
    }

    /** The {@code null} driver: drops every event. */
    public static Broadcaster nullDriver() {
        return create(BroadcastConfig.defaults().withDriver(BroadcastDriver.NULL));
    }
}
