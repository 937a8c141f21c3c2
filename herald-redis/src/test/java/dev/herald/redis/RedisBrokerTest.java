package dev.herald.redis;

import dev.herald.core.BrokerException;
import dev.herald.wire.ChannelName;
import dev.herald.wire.LaravelPayload;
import dev.herald.wire.Publication;
import dev.herald.redis.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Redis broker against a real redis-server, fed by the real redis-cli. */
class RedisBrokerTest {

    /** What Laravel publishes for {@code broadcast(new OrderShipped($order))->toOthers()}, byte for byte. */
    static final String LARAVEL_MESSAGE = "{\"event\":\"App\\\\Events\\\\OrderShipped\",\"data\":{\"order\":{\"id\":42,"
            + "\"note\":\"caf\\u00e9 \\/ tea\"},\"socket\":null},\"socket\":\"1234.5678\"}";
    static final String LARAVEL_DATA = "{\"order\":{\"id\":42,\"note\":\"caf\\u00e9 \\/ tea\"},\"socket\":null}";
    static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisServer redis;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = new RedisServer().start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) redis.close();
    }

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) c.close();
    }

    @ParameterizedTest
    @CsvSource({"PER_CHANNEL, ''", "PER_CHANNEL, laravel_database_", "PER_CHANNEL, laravel-database-",
            "PATTERN, ''", "PATTERN, laravel_database_", "PATTERN, laravel-database-"})
    void aLaravelMessageFromRedisCliReachesTheListenerVerbatim(SubscribeMode mode, String prefix) {
        RecordingListener listener = new RecordingListener();
        RedisBroker broker = started(config().withPrefix(prefix).withSubscribeMode(mode), listener);
        assertThat(broker.subscribe(ChannelName.of("private-orders.42")).toCompletableFuture()).succeedsWithin(WAIT);

        String receivers = publish(prefix + "private-orders.42", LARAVEL_MESSAGE);

        assertThat(receivers).isEqualTo("1");
        await().atMost(WAIT).until(() -> listener.publications.size() == 1);
        Publication p = listener.publications.get(0);
        assertThat(p.channel().value()).isEqualTo("private-orders.42");
        assertThat(p.event()).isEqualTo("App\\Events\\OrderShipped");
        assertThat(p.data()).isEqualTo(LARAVEL_DATA);
        assertThat(p.socket()).isEqualTo("1234.5678");
        assertThat(listener.malformed).isEmpty();
    }

    @Test
    void rawUtf8DataKeepsItsExactBytes() {
        RecordingListener listener = new RecordingListener();
        RedisBroker broker = started(config(), listener);
        assertThat(broker.subscribe(ChannelName.of("utf8")).toCompletableFuture()).succeedsWithin(WAIT);
        String data = "{\"text\":\"caf\u00e9 \u4e2d\u6587 \ud83d\ude00\",\"n\":1.50}";
        redis.cliWithInput(("{\"event\":\"e\",\"data\":" + data + ",\"socket\":null}").getBytes(StandardCharsets.UTF_8),
                "PUBLISH", "utf8");
        await().atMost(WAIT).until(() -> listener.publications.size() == 1);
        assertThat(listener.publications.get(0).data()).isEqualTo(data);
        assertThat(listener.publications.get(0).socket()).isNull();
    }

    @Test
    void perChannelModeDeliversOnlySubscribedChannelsAndStopsAfterUnsubscribe() {
        RecordingListener listener = new RecordingListener();
        RedisBroker broker = started(config().withPrefix("laravel_database_"), listener);
        ChannelName wanted = ChannelName.of("orders.1");
        assertThat(broker.subscribe(wanted).toCompletableFuture()).succeedsWithin(WAIT);

        assertThat(publish("laravel_database_orders.2", message("other"))).isEqualTo("0");
        assertThat(publish("laravel_database_orders.1", message("first"))).isEqualTo("1");
        await().atMost(WAIT).until(() -> listener.publications.size() == 1);
        assertThat(listener.channels()).containsExactly("orders.1");

        assertThat(broker.unsubscribe(wanted).toCompletableFuture()).succeedsWithin(WAIT);
        assertThat(publish("laravel_database_orders.1", message("after-unsubscribe"))).isEqualTo("0");
        // A later message on another channel arrives; nothing on orders.1 came before it.
        assertThat(broker.subscribe(ChannelName.of("orders.3")).toCompletableFuture()).succeedsWithin(WAIT);
        publish("laravel_database_orders.3", message("sentinel"));
        await().atMost(WAIT).until(() -> listener.publications.size() == 2);
        assertThat(listener.channels()).containsExactly("orders.1", "orders.3");
        assertThat(broker.confirmedChannels()).containsExactly("laravel_database_orders.3");
    }

    @Test
    void patternModeDeliversEverythingUnderThePrefixWithThePrefixStripped() {
        RecordingListener listener = new RecordingListener();
        RedisBroker broker = started(config().withPrefix("laravel-database-").withSubscribeMode(SubscribeMode.PATTERN), listener);
        assertThat(redis.cli("PUBSUB", "NUMPAT").strip()).isEqualTo("1");
        // Nothing to do per channel: the stages complete at once and Redis sees no SUBSCRIBE.
        assertThat(broker.subscribe(ChannelName.of("a")).toCompletableFuture()).isCompletedWithValue(null);
        assertThat(broker.unsubscribe(ChannelName.of("a")).toCompletableFuture()).isCompletedWithValue(null);

        publish("laravel-database-a", message("1"));
        publish("laravel_database_b", message("other prefix: not matched"));
        publish("c", message("no prefix: not matched"));
        publish("laravel-database-presence-room.7", message("2"));

        await().atMost(WAIT).until(() -> listener.publications.size() == 2);
        assertThat(listener.channels()).containsExactly("a", "presence-room.7");
        assertThat(listener.malformed).isEmpty();
    }

    @Test
    void patternModeWithoutPrefixDeliversEveryChannel() {
        RecordingListener listener = new RecordingListener();
        started(config().withSubscribeMode(SubscribeMode.PATTERN), listener);
        publish("anything", message("1"));
        publish("laravel_database_x", message("2"));
        await().atMost(WAIT).until(() -> listener.publications.size() == 2);
        assertThat(listener.channels()).containsExactly("anything", "laravel_database_x");
    }

    @Test
    void publishSendsLaravelsExactBytesToThePrefixedChannel() throws Exception {
        RecordingListener listener = new RecordingListener();
        RedisBroker broker = started(config().withPrefix("laravel_database_"), listener);
        List<byte[]> seen = new CopyOnWriteArrayList<>();
        RedisClient plain = RedisClient.create(redis.url());
        cleanup.add(plain::shutdown);
        StatefulRedisPubSubConnection<String, byte[]> subscriber = plain.connectPubSub(RedisBroker.CODEC);
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                if (channel.equals("laravel_database_private-orders.9")) seen.add(message);
            }
        });
        subscriber.sync().subscribe("laravel_database_private-orders.9");
        assertThat(broker.subscribe(ChannelName.of("private-orders.9")).toCompletableFuture()).succeedsWithin(WAIT);

        Publication publication = new Publication(ChannelName.of("private-orders.9"), "App\\Events\\Paid",
                "{\"url\":\"https://x.test/a\",\"amount\":\"9.90\"}", "abc.123");
        assertThat(broker.publish(publication).toCompletableFuture()).succeedsWithin(WAIT);

        await().atMost(WAIT).until(() -> seen.size() == 1 && listener.publications.size() == 1);
        assertThat(new String(seen.get(0), StandardCharsets.UTF_8)).isEqualTo(
                "{\"event\":\"App\\\\Events\\\\Paid\",\"data\":{\"url\":\"https://x.test/a\",\"amount\":\"9.90\"},\"socket\":\"abc.123\"}");
        assertThat(seen.get(0)).isEqualTo(LaravelPayload.encode(publication));
        assertThat(listener.publications).containsExactly(publication); // the round trip through Redis
    }

    @Test
    void aPublicationLargerThanTheLimitIsRefused() {
        RedisBroker broker = started(config().withMaxMessageBytes(64), new RecordingListener());
        Publication big = new Publication(ChannelName.of("orders.1"), "e", "\"" + "x".repeat(100) + "\"", null);
        assertThat(broker.publish(big).toCompletableFuture()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(BrokerException.class).withMessageContaining("exceeds maxMessageBytes (64)");
    }

    @Test
    void malformedMessagesAreCountedAndSkipped() {
        RecordingListener listener = new RecordingListener();
        String prefix = "laravel_database_";
        started(config().withPrefix(prefix).withSubscribeMode(SubscribeMode.PATTERN).withMaxMessageBytes(1000), listener);
        String channel = prefix + "orders.1";

        publish(channel, "not json");
        publish(channel, "[\"event\",\"data\"]");
        publish(channel, "{\"data\":{\"a\":1},\"socket\":null}");
        publish(channel, "{\"event\":\"e\",\"socket\":null}");
        publish(channel, "{\"event\":42,\"data\":{}}");
        redis.cliWithInput(new byte[] {0, (byte) 0xff, (byte) 0xfe, 0x7b, 0x22, (byte) 0xc3, 0x28, 10}, "PUBLISH", channel);
        redis.cliWithInput(message("x".repeat(1000)).getBytes(StandardCharsets.UTF_8), "PUBLISH", channel);
        publish(prefix + "orders 1!", message("bad channel name"));
        publish(channel, "{\"event\":\"e\",\"data\":{}} trailing");
        publish(channel, message("valid"));

        await().atMost(WAIT).until(() -> listener.publications.size() == 1);
        assertThat(listener.malformedKinds()).containsExactly("not-json", "not-object", "missing-event", "missing-data",
                "invalid-event", "not-json", "too-large", "invalid-channel", "not-json");
        assertThat(listener.publications.get(0).data()).isEqualTo("{\"v\":\"valid\"}");
        assertThat(listener.malformed.get(7).detail()).contains("orders 1!");
    }

    @Test
    void startFailsClearlyWhenRedisIsNotThere() {
        try (RedisServer notStarted = new RedisServer()) {
            RedisBroker broker = new RedisBroker(RedisBrokerConfig.of("redis://:s3cret@127.0.0.1:" + notStarted.port() + "/0")
                    .withCommandTimeout(Duration.ofSeconds(1)));
            cleanup.add(broker);
            long start = System.nanoTime();
            assertThatThrownBy(() -> broker.start(new RecordingListener()))
                    .isInstanceOf(BrokerException.class)
                    .hasMessageStartingWith("cannot connect to redis://127.0.0.1:" + notStarted.port() + "/0: ")
                    .message().doesNotContain("s3cret");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(broker.isHealthy()).isFalse();
            assertThat(broker.publish(new Publication(ChannelName.of("a"), "e", "{}", null)).toCompletableFuture())
                    .failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(BrokerException.class).withMessageContaining("is closed");
        }
    }

    @Test
    void aPasswordProtectedRedisWorksAndAWrongPasswordFailsTheStart() {
        try (RedisServer secured = new RedisServer("--requirepass", "s3cret").start()) {
            RecordingListener listener = new RecordingListener();
            RedisBroker broker = started(RedisBrokerConfig.of("redis://:s3cret@127.0.0.1:" + secured.port() + "/1"), listener);
            assertThat(broker.describe()).isEqualTo("redis://127.0.0.1:" + secured.port() + "/1");
            assertThat(broker.subscribe(ChannelName.of("orders.1")).toCompletableFuture()).succeedsWithin(WAIT);
            secured.cli("-a", "s3cret", "--no-auth-warning", "PUBLISH", "orders.1", message("secret"));
            await().atMost(WAIT).until(() -> listener.publications.size() == 1);
            broker.close();

            RedisBroker wrong = new RedisBroker(RedisBrokerConfig.of("redis://:n0tit@127.0.0.1:" + secured.port() + "/1"));
            cleanup.add(wrong);
            assertThatThrownBy(() -> wrong.start(new RecordingListener()))
                    .isInstanceOf(BrokerException.class)
                    .hasMessageStartingWith("cannot connect to redis://127.0.0.1:" + secured.port() + "/1: ")
                    .message().doesNotContain("n0tit");
        }
    }

    @Test
    void lifecycle() {
        RedisBroker broker = new RedisBroker(config());
        cleanup.add(broker);
        assertThat(broker.isHealthy()).isFalse();
        assertThat(broker.subscribe(ChannelName.of("a")).toCompletableFuture()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(BrokerException.class).withMessageContaining("is not started");
        broker.start(new RecordingListener());
        assertThat(broker.isHealthy()).isTrue();
        assertThat(broker.describe()).isEqualTo("redis://127.0.0.1:" + redis.port() + "/0");
        assertThatThrownBy(() -> broker.start(new RecordingListener())).isInstanceOf(IllegalStateException.class);
        broker.close();
        broker.close();
        assertThat(broker.isHealthy()).isFalse();
        assertThat(broker.publish(new Publication(ChannelName.of("a"), "e", "{}", null)).toCompletableFuture())
                .failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(BrokerException.class).withMessageContaining("is closed");
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("lettuce-")));
    }

    // ------------------------------------------------------------------ helpers

    private RedisBrokerConfig config() {
        return RedisBrokerConfig.of(redis.url());
    }

    private RedisBroker started(RedisBrokerConfig config, RecordingListener listener) {
        RedisBroker broker = new RedisBroker(config);
        cleanup.add(broker);
        broker.start(listener);
        return broker;
    }

    /** PUBLISH with the real redis-cli; returns the number of receivers Redis reported. */
    static String publish(String channel, String message) {
        return redis.cliWithInput(message.getBytes(StandardCharsets.UTF_8), "PUBLISH", channel).strip();
    }

    static String message(String value) {
        return "{\"event\":\"test\",\"data\":{\"v\":\"" + value + "\"},\"socket\":null}";
    }
}
