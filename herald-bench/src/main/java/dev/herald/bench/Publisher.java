package dev.herald.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * PUBLISHes Laravel-format broadcast messages to Redis at a fixed rate, exactly as Laravel's RedisBroadcaster
 * does: {@code PUBLISH <prefix><channel> {"event":"bench.tick","data":{...},"socket":null}}. The data carries the
 * publish time ({@code "t"}, µs of {@link System#nanoTime()}, the one clock of this machine that the receiving
 * connections read as well), whether the event is measured ({@code "m"}: 0 during warm-up), a sequence number and
 * a token of the size a login/payment event carries.
 *
 * <p>The schedule is fixed: event {@code i} is due at {@code start + i / rate}; a late publisher catches up at
 * once (several events in a burst) rather than slipping, so the offered rate is the configured one.
 */
public final class Publisher implements AutoCloseable {

    /** Picks the channel of each event: a user index for per-user, or -1 for the broadcast channel. */
    public interface Targets {
        int next();
    }

    /** What one {@link #run} published. */
    public record Run(long published, long elapsedNanos, long errors, long[] perUser) {
        public double rate() { return elapsedNanos == 0 ? 0 : published * 1e9 / elapsedNanos; }
    }

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final String prefix;
    private final String token;
    private long seq;

    public Publisher(String redisUrl, String prefix, int tokenChars) {
        this.client = RedisClient.create(redisUrl);
        this.connection = client.connect();
        this.redis = connection.async();
        this.prefix = prefix;
        StringBuilder t = new StringBuilder(tokenChars);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < tokenChars; i++) t.append(Character.forDigit(random.nextInt(16), 16));
        this.token = t.toString();
    }

    /** Every event to the broadcast channel. */
    public static Targets broadcast() {
        return () -> -1;
    }

    /** Each event to a user picked at random among {@code users}. */
    public static Targets randomUser(int users) {
        return () -> ThreadLocalRandom.current().nextInt(users);
    }

    /**
     * Publishes at {@code rate} events/s for {@code seconds}, on the calling thread, and waits until Redis has
     * taken every one.
     *
     * @param users the number of users (per-user counts are returned for them); 0 for broadcast
     */
    public Run run(double rate, double seconds, boolean measured, Targets targets, int users) throws InterruptedException {
        long total = Math.round(rate * seconds);
        long periodNanos = (long) (1e9 / rate);
        long[] perUser = new long[Math.max(users, 0)];
        LongAdder errors = new LongAdder();
        StringBuilder payload = new StringBuilder(128 + token.length());
        RedisFuture<Long> last = null;
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total) {
            long now = System.nanoTime();
            long due = Math.min(total, (now - start) / periodNanos + 1);
            while (sent < due) {
                int user = targets.next();
                String channel = user < 0 ? Bench.BROADCAST_CHANNEL : Bench.userChannel(user);
                if (user >= 0 && user < perUser.length) perUser[user]++;
                payload.setLength(0);
                payload.append("{\"event\":\"").append(Bench.EVENT).append("\",\"data\":{\"t\":")
                        .append(System.nanoTime() / 1000).append(",\"m\":").append(measured ? 1 : 0)
                        .append(",\"s\":").append(seq++).append(",\"u\":").append(user)
                        .append(",\"token\":\"").append(token).append("\"},\"socket\":null}");
                last = redis.publish(prefix + channel, payload.toString());
                last.exceptionally(e -> {
                    errors.increment();
                    return null;
                });
                sent++;
            }
            long next = start + sent * periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
        }
        long elapsed = Math.max(1, System.nanoTime() - start);
        if (last != null) last.await(30, TimeUnit.SECONDS); // replies come in order: the last one means all
        return new Run(sent, Math.max(elapsed, (long) (seconds * 1e9)), errors.sum(), perUser);
    }

    /** used_cpu_sys + used_cpu_user of {@code INFO cpu}: the Redis server's CPU time so far, seconds. */
    public double redisCpuSeconds() {
        double total = 0;
        for (String line : connection.sync().info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
