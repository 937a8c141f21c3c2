package dev.herald.redis;

import io.lettuce.core.RedisURI;

import java.time.Duration;

/**
 * How a {@link RedisBroker} reaches Redis and reads its channels. Immutable; validated on construction so that a
 * bad setting fails at startup with a message naming it (never echoing a password).
 *
 * <p>Start from {@link #of(String)} and adjust with the {@code with...} methods:
 * <pre>{@code RedisBrokerConfig.of("redis://:secret@10.0.0.5:6379/0").withPrefix("laravel_database_")}</pre>
 *
 * @param redisUrl        {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://} for TLS;
 *                        special characters in the password percent-encoded; no query parameters
 * @param prefix          the Redis key prefix of the Laravel app ({@code REDIS_PREFIX}): stripped from incoming
 *                        channel names and added to published ones. Laravel's default is {@code laravel_database_}
 *                        up to 10.x and {@code laravel-database-} from 11.x; empty when {@code REDIS_PREFIX=""}
 * @param subscribeMode   per-channel SUBSCRIBE (default) or one PSUBSCRIBE on {@code <prefix>*}
 * @param maxMessageBytes messages larger than this are skipped and counted as malformed ({@code too-large}), and
 *                        larger publications are refused; bounds what one bad publisher can make a node parse
 * @param commandTimeout  how long a command (PUBLISH, SUBSCRIBE) and the connection at start may take; commands
 *                        issued while the connection is down wait this long for it to come back, then fail
 */
public record RedisBrokerConfig(String redisUrl, String prefix, SubscribeMode subscribeMode, int maxMessageBytes,
                                Duration commandTimeout) {

    public static final String DEFAULT_PREFIX = "";
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Redis's own limit on a bulk string. */
    public static final int MAX_MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

    public RedisBrokerConfig {
        RedisUrl.parse(redisUrl);
        if (prefix == null) throw new IllegalArgumentException("prefix is null (use \"\" for no prefix)");
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("prefix contains whitespace or a control character at index " + i);
            }
        }
        if (subscribeMode == null) throw new IllegalArgumentException("subscribeMode is null (PER_CHANNEL or PATTERN)");
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be between 1 and " + MAX_MAX_MESSAGE_BYTES + " (was " + maxMessageBytes + ")");
        }
        if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("commandTimeout must be at least 1 ms (was " + commandTimeout + ")");
        }
    }

    /** The defaults: no prefix, {@link SubscribeMode#PER_CHANNEL}, 1 MiB messages, 5 s commands. */
    public static RedisBrokerConfig of(String redisUrl) {
        return new RedisBrokerConfig(redisUrl, DEFAULT_PREFIX, SubscribeMode.PER_CHANNEL, DEFAULT_MAX_MESSAGE_BYTES,
                DEFAULT_COMMAND_TIMEOUT);
    }

    public RedisBrokerConfig withPrefix(String prefix) {
        return new RedisBrokerConfig(redisUrl, prefix, subscribeMode, maxMessageBytes, commandTimeout);
    }

    public RedisBrokerConfig withSubscribeMode(SubscribeMode subscribeMode) {
        return new RedisBrokerConfig(redisUrl, prefix, subscribeMode, maxMessageBytes, commandTimeout);
    }

    public RedisBrokerConfig withMaxMessageBytes(int maxMessageBytes) {
        return new RedisBrokerConfig(redisUrl, prefix, subscribeMode, maxMessageBytes, commandTimeout);
    }

    public RedisBrokerConfig withCommandTimeout(Duration commandTimeout) {
        return new RedisBrokerConfig(redisUrl, prefix, subscribeMode, maxMessageBytes, commandTimeout);
    }

    /** The URL without its password ({@code redis://[user@]host:port/db}), for logs and health output. */
    public String redactedUrl() {
        return RedisUrl.parse(redisUrl).redacted();
    }

    /** A fresh Lettuce URI with the command timeout applied. */
    RedisURI redisUri() {
        return RedisUrl.parse(redisUrl).toRedisUri(commandTimeout);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RedisBrokerConfig[redisUrl=" + redactedUrl() + ", prefix=" + prefix + ", subscribeMode=" + subscribeMode
                + ", maxMessageBytes=" + maxMessageBytes + ", commandTimeout=" + commandTimeout + "]";
    }
}
