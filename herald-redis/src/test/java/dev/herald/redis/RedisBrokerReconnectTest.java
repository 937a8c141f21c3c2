package dev.herald.redis;

import dev.herald.core.BrokerException;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import dev.herald.redis.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static dev.herald.redis.RedisBrokerTest.WAIT;
import static dev.herald.redis.RedisBrokerTest.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis killed (SIGKILL) and started again on the same port while a broker is running. */
class RedisBrokerReconnectTest {

    /** Short, so that commands issued during an outage fail fast. */
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    /** Reconnect backoff is at most 2 s, then the handshake and the re-subscribe. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    private RedisServer redis;
    private RedisBroker broker;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void startRedis() {
        redis = new RedisServer().start();
    }

    @AfterEach
    void stopEverything() {
        try {
            if (broker != null) broker.close();
        } finally {
            redis.close();
        }
    }

    @Test
    void perChannelModeResubscribesAfterARestart() {
        broker = started(SubscribeMode.PER_CHANNEL, "laravel_database_");
        subscribe("orders.1");
        subscribe("orders.3");
        publish("laravel_database_orders.1", "before");
        await().atMost(WAIT).until(() -> listener.publications.size() == 1);

        redis.stop();
        await().atMost(WAIT).until(() -> !broker.isHealthy());
        // During the outage: a new channel's SUBSCRIBE and an UNSUBSCRIBE time out, but the broker remembers both.
        assertFailsWithBrokerException(broker.subscribe(ChannelName.of("orders.2")), "SUBSCRIBE laravel_database_orders.2");
        assertFailsWithBrokerException(broker.unsubscribe(ChannelName.of("orders.3")), "UNSUBSCRIBE laravel_database_orders.3");

        redis.start();
        await().atMost(RECOVERY).until(broker::isHealthy);
        await().atMost(RECOVERY).until(() -> numsub("laravel_database_orders.1") == 1
                && numsub("laravel_database_orders.2") == 1 && numsub("laravel_database_orders.3") == 0);

        assertThat(publish("laravel_database_orders.1", "after")).isEqualTo("1");
        assertThat(publish("laravel_database_orders.2", "new")).isEqualTo("1");
        assertThat(publish("laravel_database_orders.3", "gone")).isEqualTo("0");
        await().atMost(WAIT).until(() -> listener.publications.size() == 3);
        assertThat(listener.channels()).containsExactly("orders.1", "orders.1", "orders.2");
        assertThat(listener.publications.get(1).data()).isEqualTo("{\"v\":\"after\"}");
        assertThat(broker.confirmedChannels()).containsExactlyInAnyOrder("laravel_database_orders.1", "laravel_database_orders.2");
    }

    @Test
    void patternModeResubscribesAfterARestart() {
        broker = started(SubscribeMode.PATTERN, "laravel-database-");
        publish("laravel-database-a", "before");
        await().atMost(WAIT).until(() -> listener.publications.size() == 1);

        redis.stop();
        await().atMost(WAIT).until(() -> !broker.isHealthy());
        redis.start();
        await().atMost(RECOVERY).until(() -> broker.isHealthy() && redis.cli("PUBSUB", "NUMPAT").strip().equals("1"));

        assertThat(publish("laravel-database-b", "after")).isEqualTo("1");
        await().atMost(WAIT).until(() -> listener.publications.size() == 2);
        assertThat(listener.channels()).containsExactly("a", "b");
    }

    @Test
    void publishFailsWhileRedisIsDownAndWorksAgainAfterTheRestart() {
        broker = started(SubscribeMode.PER_CHANNEL, "");
        subscribe("orders.1");
        redis.stop();

        long start = System.nanoTime();
        CompletableFuture<Void> lost = broker.publish(publication("during-outage")).toCompletableFuture();
        assertThat(lost).failsWithin(TIMEOUT.plusSeconds(3)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(BrokerException.class)
                .withMessageStartingWith("PUBLISH orders.1 on redis://127.0.0.1:" + redis.port() + "/0 failed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
        assertThat(broker.isHealthy()).isFalse();

        redis.start();
        await().atMost(RECOVERY).until(() -> broker.isHealthy() && numsub("orders.1") == 1);
        assertThat(broker.publish(publication("after")).toCompletableFuture()).succeedsWithin(WAIT);
        await().atMost(WAIT).until(() -> listener.publications.size() == 1);
        // The publication that failed was not sent late.
        assertThat(listener.publications.get(0).data()).isEqualTo("{\"v\":\"after\"}");
        assertThat(broker.publish(publication("again")).toCompletableFuture()).succeedsWithin(WAIT);
        await().atMost(WAIT).until(() -> listener.publications.size() == 2);
        assertThat(listener.publications).extracting(Publication::data)
                .containsExactly("{\"v\":\"after\"}", "{\"v\":\"again\"}");
    }

    @Test
    void aCommandIssuedDuringAShortOutageWaitsForTheReconnect() {
        broker = new RedisBroker(RedisBrokerConfig.of(redis.url()).withCommandTimeout(Duration.ofSeconds(20)));
        broker.start(listener);
        subscribe("orders.1");
        redis.stop();
        await().atMost(WAIT).until(() -> !broker.isHealthy());
        CompletableFuture<Void> queued = broker.publish(publication("queued")).toCompletableFuture();
        assertThat(queued).isNotDone();
        redis.start();
        assertThat(queued).succeedsWithin(RECOVERY);
        // Resubscribe and publish race after a reconnect (at most once): only later messages are certain.
        await().atMost(RECOVERY).until(() -> numsub("orders.1") == 1);
        assertThat(broker.publish(publication("later")).toCompletableFuture()).succeedsWithin(WAIT);
        await().atMost(WAIT).until(() -> listener.publications.stream().anyMatch(p -> p.data().equals("{\"v\":\"later\"}")));
    }

    // ------------------------------------------------------------------ helpers

    private RedisBroker started(SubscribeMode mode, String prefix) {
        RedisBroker b = new RedisBroker(RedisBrokerConfig.of(redis.url()).withPrefix(prefix).withSubscribeMode(mode)
                .withCommandTimeout(TIMEOUT));
        b.start(listener);
        return b;
    }

    private void subscribe(String channel) {
        assertThat(broker.subscribe(ChannelName.of(channel)).toCompletableFuture()).succeedsWithin(WAIT);
    }

    private static Publication publication(String value) {
        return new Publication(ChannelName.of("orders.1"), "test", "{\"v\":\"" + value + "\"}", null);
    }

    private static void assertFailsWithBrokerException(java.util.concurrent.CompletionStage<Void> stage, String what) {
        assertThat(stage.toCompletableFuture()).failsWithin(TIMEOUT.plusSeconds(3))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(BrokerException.class).withMessageStartingWith(what);
    }

    private String publish(String channel, String value) {
        return redis.cliWithInput(message(value).getBytes(StandardCharsets.UTF_8), "PUBLISH", channel).strip();
    }

    private int numsub(String channel) {
        String[] lines = redis.cli("PUBSUB", "NUMSUB", channel).strip().split("\\R");
        return Integer.parseInt(lines[lines.length - 1].strip());
    }
}
