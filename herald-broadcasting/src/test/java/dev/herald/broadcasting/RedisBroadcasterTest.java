package dev.herald.broadcasting;

import dev.herald.broadcasting.events.OrderPaid;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The {@code redis} driver against a real redis-server: the bytes subscribers see are Laravel's. */
class RedisBroadcasterTest {

    private static final String ORDER_PAID = "{\"event\":\"order.paid\",\"data\":{\"orderId\":42,\"socket\":null},\"socket\":null}";

    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = new RedisProcess().start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static Broadcaster redisBroadcaster(String url, String prefix, Duration timeout, RetryPolicy retry) {
        return Broadcasters.create(BroadcastConfig.defaults().withDriver(BroadcastDriver.REDIS).withRedisUrl(url)
                .withRedisPrefix(prefix).withTimeout(timeout).withRetryPolicy(retry));
    }

    @Test
    void redisCliSubscriberReceivesTheGoldenBytes() throws Exception {
        Process cli = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(redis.port()), "--raw",
                "SUBSCRIBE", "orders.42").start();
        try (Broadcaster broadcaster = redisBroadcaster(redis.url(), "", Duration.ofSeconds(5), RetryPolicy.none())) {
            BlockingQueue<byte[]> lines = lines(cli.getInputStream());
            assertThat(nextLines(lines, 3)).containsExactly("subscribe", "orders.42", "1");
            broadcaster.broadcast(new OrderPaid(42));
            List<String> message = nextLines(lines, 3);
            assertThat(message).containsExactly("message", "orders.42", ORDER_PAID);
        } finally {
            cli.destroyForcibly();
        }
    }

    record Login(String token) implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() {
            return List.of(new Channel("login.abc"), new PrivateChannel("App.Models.User.7"), new PresenceChannel("room.1"));
        }

        @Override
        public String broadcastAs() { return "wechat.login"; }
    }

    @Test
    void lettuceSubscriberSeesOneMessagePerChannelWithAndWithoutPrefix() throws Exception {
        String login = "{\"event\":\"wechat.login\",\"data\":{\"token\":\"\\u4ee4\\u724c\\/1\",\"socket\":\"sock-1\"},"
                + "\"socket\":\"sock-1\"}";
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisPubSubConnection<byte[], byte[]> sub = client.connectPubSub(ByteArrayCodec.INSTANCE)) {
            BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] pattern, byte[] channel, byte[] message) {
                    received.add(new String[] {new String(channel, StandardCharsets.UTF_8),
                            new String(message, StandardCharsets.UTF_8)});
                }
            });
            sub.sync().psubscribe("*".getBytes(StandardCharsets.UTF_8));

            for (String prefix : List.of("", "laravel_database_", "laravel-database-")) {
                try (Broadcaster broadcaster = redisBroadcaster(redis.url(), prefix, Duration.ofSeconds(5), RetryPolicy.none())) {
                    broadcaster.broadcast(new Login("令牌/1"), BroadcastOptions.toOthers("sock-1"));
                    List<String[]> three = new ArrayList<>();
                    for (int i = 0; i < 3; i++) three.add(received.poll(10, TimeUnit.SECONDS));
                    assertThat(three).extracting(m -> m[0]).containsExactly(prefix + "login.abc",
                            prefix + "private-App.Models.User.7", prefix + "presence-room.1");
                    assertThat(three).extracting(m -> m[1]).containsOnly(login);
                    // nothing else was published: the next message is our marker
                    try (var publisher = client.connect()) {
                        publisher.sync().publish("marker", "end");
                    }
                    assertThat(received.poll(10, TimeUnit.SECONDS)).containsExactly("marker", "end");
                }
            }
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void unreachableRedisFailsWithinTheTimeoutNamingTheChannel() {
        int port = RedisProcess.freePort();
        try (Broadcaster broadcaster = redisBroadcaster("redis://127.0.0.1:" + port, "", Duration.ofSeconds(2),
                RetryPolicy.none())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(42)))
                    .isInstanceOf(BroadcastException.class)
                    .hasMessageContaining("[order.paid] on channel [orders.42] failed after 1 attempt")
                    .satisfies(e -> assertThat(((BroadcastException) e).channel()).isEqualTo("orders.42"))
                    .hasRootCauseInstanceOf(java.net.ConnectException.class);
            // refused at once, or the 2 s timeout on a machine too busy to start Lettuce quickly; margin for scheduling
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void silentServerFailsAfterTheTimeout() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) accepted.add(blackHole.accept()); // accept, never answer
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (Broadcaster broadcaster = redisBroadcaster("redis://127.0.0.1:" + blackHole.getLocalPort(), "",
                    Duration.ofMillis(500), RetryPolicy.none())) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(42)))
                        .isInstanceOf(BroadcastException.class).hasMessageContaining("orders.42");
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(4));
            }
            for (Socket socket : accepted) socket.close();
        }
    }

    @Test
    void redisGoingAwayIsReportedAndRetriesCarryOverARestart() throws Exception {
        try (RedisProcess own = new RedisProcess().start();
             Broadcaster once = redisBroadcaster(own.url(), "", Duration.ofSeconds(2), RetryPolicy.none());
             Broadcaster patient = redisBroadcaster(own.url(), "", Duration.ofSeconds(2),
                     RetryPolicy.fixed(200, Duration.ofMillis(50)))) {
            once.broadcast(new OrderPaid(1));
            patient.broadcast(new OrderPaid(1));
            own.stop();
            assertThatThrownBy(() -> once.broadcast(new OrderPaid(2))).isInstanceOf(BroadcastException.class)
                    .hasMessageContaining("orders.2");
            CompletableFuture<Void> pending = patient.broadcastAsync(new OrderPaid(3)).toCompletableFuture();
            own.start();
            await().atMost(Duration.ofSeconds(15)).until(pending::isDone);
            assertThat(pending).isCompleted();
        }
    }

    @Test
    void invalidUrlIsAConfigurationError() {
        assertThatThrownBy(() -> redisBroadcaster("http://:secret@host", "", Duration.ofSeconds(1), RetryPolicy.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_URL")
                .hasMessageNotContaining("secret");
    }

    @Test
    void closedBroadcasterRefuses() {
        Broadcaster broadcaster = redisBroadcaster(redis.url(), "", Duration.ofSeconds(1), RetryPolicy.none());
        broadcaster.broadcast(new OrderPaid(5));
        broadcaster.close();
        broadcaster.close();
        assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(5))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /** Lines of a process's output as they come (bytes up to each '\n'). */
    private static BlockingQueue<byte[]> lines(InputStream in) {
        BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    if (b == '\n') {
                        lines.add(line.toByteArray());
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            } catch (IOException ended) {
                // process gone
            }
        }, "redis-cli-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static List<String> nextLines(BlockingQueue<byte[]> lines, int count) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] line = lines.poll(10, TimeUnit.SECONDS);
            assertThat(line).as("line %d from redis-cli", i + 1).isNotNull();
            out.add(new String(line, StandardCharsets.UTF_8));
        }
        return out;
    }
}
