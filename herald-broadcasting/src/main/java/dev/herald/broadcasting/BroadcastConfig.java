package dev.herald.broadcasting;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * How to build a {@link Broadcaster}, readable from the environment variables a Laravel app already has, or from
 * properties:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Environment</th><th>Property</th><th>Default</th></tr>
 *   <tr><td>{@code BROADCAST_DRIVER} (or Laravel 11's {@code BROADCAST_CONNECTION})</td><td>{@code broadcast.driver}</td>
 *       <td>{@code log}</td></tr>
 *   <tr><td>{@code REDIS_URL}</td><td>{@code broadcast.redis.url}</td><td>{@code redis://127.0.0.1:6379}</td></tr>
 *   <tr><td>{@code REDIS_PREFIX}</td><td>{@code broadcast.redis.prefix}</td><td>empty</td></tr>
 *   <tr><td>{@code BROADCAST_TIMEOUT}</td><td>{@code broadcast.timeout}</td><td>{@code 5s}</td></tr>
 *   <tr><td>{@code BROADCAST_RETRIES}</td><td>{@code broadcast.retries}</td><td>{@code 0}</td></tr>
 *   <tr><td>{@code BROADCAST_RETRY_DELAY}</td><td>{@code broadcast.retry-delay}</td><td>{@code 200ms}</td></tr>
 * </table>
 *
 * <p>The default driver is {@code log}, the value Laravel's skeleton {@code .env} ships ({@code config/broadcasting.php}
 * itself falls back to {@code null}, which would drop events without a trace). Durations are written {@code 500ms},
 * {@code 5s}, {@code 1m}, ISO-8601 ({@code PT5S}) or as plain milliseconds. Empty values count as unset.
 *
 * <p>{@code REDIS_PREFIX}: Laravel prefixes broadcast channels with its Redis key prefix, by default
 * {@code laravel_database_} (Laravel 10 and older) or {@code laravel-database-} (Laravel 11+, from
 * {@code APP_NAME}). Here it defaults to empty; whatever it is, the Herald server must strip the same prefix.
 *
 * @param driver      the driver
 * @param redisUrl    the Redis URL for the {@code redis} driver ({@code redis://[:password@]host[:port][/db]},
 *                    {@code rediss://} for TLS)
 * @param redisPrefix prepended to every channel name to form the Redis channel
 * @param timeout     the bound of one attempt to publish on one channel (connecting included)
 * @param retryPolicy what to do when an attempt fails
 */
public record BroadcastConfig(BroadcastDriver driver, String redisUrl, String redisPrefix, Duration timeout,
                              RetryPolicy retryPolicy) {

    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(200);

    public BroadcastConfig {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        if (redisPrefix == null) redisPrefix = "";
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("broadcast timeout must be positive, was " + timeout);
        }
    }

    /** Every setting at its default (driver {@code log}). */
    public static BroadcastConfig defaults() {
        return new BroadcastConfig(BroadcastDriver.LOG, DEFAULT_REDIS_URL, "", DEFAULT_TIMEOUT, RetryPolicy.none());
    }

    /** From this process's environment variables (see the table above). */
    public static BroadcastConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From environment-style variables (see the table above).
     *
     * @throws IllegalArgumentException naming the variable when a value is invalid
     */
    public static BroadcastConfig fromEnvironment(Map<String, String> env) {
        Map<String, String> names = Map.of("driver", "BROADCAST_DRIVER", "url", "REDIS_URL", "prefix", "REDIS_PREFIX",
                "timeout", "BROADCAST_TIMEOUT", "retries", "BROADCAST_RETRIES", "delay", "BROADCAST_RETRY_DELAY");
        return read(setting -> {
            String value = env.get(names.get(setting));
            if (setting.equals("driver") && blank(value)) return env.get("BROADCAST_CONNECTION");
            return value;
        }, names::get);
    }

    /** From properties (see the table above). */
    public static BroadcastConfig fromProperties(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        for (String name : properties.stringPropertyNames()) map.put(name, properties.getProperty(name));
        return fromProperties(map);
    }

    /**
     * From a map of property names to values (see the table above); values may be strings or anything whose
     * {@code toString()} is the setting (a {@code Duration}, a number).
     *
     * @throws IllegalArgumentException naming the property when a value is invalid
     */
    public static BroadcastConfig fromProperties(Map<String, ?> properties) {
        Map<String, String> names = Map.of("driver", "broadcast.driver", "url", "broadcast.redis.url",
                "prefix", "broadcast.redis.prefix", "timeout", "broadcast.timeout", "retries", "broadcast.retries",
                "delay", "broadcast.retry-delay");
        return read(setting -> {
            Object value = properties.get(names.get(setting));
            return value == null ? null : value.toString();
        }, names::get);
    }

    private static BroadcastConfig read(Function<String, String> values, Function<String, String> names) {
        String driver = values.apply("driver");
        BroadcastDriver parsedDriver;
        try {
            parsedDriver = blank(driver) ? BroadcastDriver.LOG : BroadcastDriver.parse(driver);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(names.apply("driver") + ": " + e.getMessage(), e);
        }
        String url = values.apply("url");
        String prefix = values.apply("prefix");
        Duration timeout = duration(values.apply("timeout"), DEFAULT_TIMEOUT, names.apply("timeout"));
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(names.apply("timeout") + " must be positive, was " + values.apply("timeout"));
        }
        int retries = retries(values.apply("retries"), names.apply("retries"));
        Duration delay = duration(values.apply("delay"), DEFAULT_RETRY_DELAY, names.apply("delay"));
        if (delay.isNegative()) {
            throw new IllegalArgumentException(names.apply("delay") + " must not be negative, was " + values.apply("delay"));
        }
        return new BroadcastConfig(parsedDriver, blank(url) ? DEFAULT_REDIS_URL : url.trim(),
                prefix == null ? "" : prefix, timeout, RetryPolicy.fixed(retries, delay));
    }

    private static int retries(String value, String name) {
        if (blank(value)) return 0;
        try {
            int retries = Integer.parseInt(value.trim());
            if (retries >= 0) return retries;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number >= 0, was '" + value + "'");
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code PT5S} or plain milliseconds. */
    static Duration duration(String value, Duration fallback, String name) {
        if (blank(value)) return fallback;
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("-pt")) return Duration.parse(v.toUpperCase(Locale.ROOT));
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            if (v.endsWith("s")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            if (v.endsWith("m")) return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is not a duration: '" + value
                    + "' (write e.g. 500ms, 5s, 1m, PT5S or milliseconds)", e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    public BroadcastConfig withDriver(BroadcastDriver driver) {
        return new BroadcastConfig(driver, redisUrl, redisPrefix, timeout, retryPolicy);
    }

    public BroadcastConfig withRedisUrl(String redisUrl) {
        return new BroadcastConfig(driver, redisUrl, redisPrefix, timeout, retryPolicy);
    }

    public BroadcastConfig withRedisPrefix(String redisPrefix) {
        return new BroadcastConfig(driver, redisUrl, redisPrefix, timeout, retryPolicy);
    }

    public BroadcastConfig withTimeout(Duration timeout) {
        return new BroadcastConfig(driver, redisUrl, redisPrefix, timeout, retryPolicy);
    }

    public BroadcastConfig withRetryPolicy(RetryPolicy retryPolicy) {
        return new BroadcastConfig(driver, redisUrl, redisPrefix, timeout, retryPolicy);
    }

    /** Without the Redis password, for logs. */
    @Override
    public String toString() {
        return "BroadcastConfig[driver=" + driver + ", redisUrl=" + RedisBroadcaster.redact(redisUrl)
                + ", redisPrefix='" + redisPrefix + "', timeout=" + timeout + ", retryPolicy=" + retryPolicy + "]";
    }
}
