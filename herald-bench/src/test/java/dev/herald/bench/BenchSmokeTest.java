package dev.herald.bench;

import dev.herald.redis.testing.RedisServer;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerConfig;
import dev.herald.server.relay.EventFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI smoke of the bench: a couple of seconds of the broadcast and per-user scenarios against Herald (in-process,
 * on a real redis-server), asserting only that they ran and lost nothing, never a timing; then the report and
 * plots are written from the results.
 */
class BenchSmokeTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void broadcastAndPerUserRunAndLoseNothing(@TempDir Path out) throws Exception {
        try (RedisServer redis = new RedisServer().start();
             InProcessHerald herald = new InProcessHerald(redis.url())) {
            Scenarios.Settings settings = Scenarios.Settings.defaults()
                    .withConnections(50).withRate(50).withWarmup(0.5).withSeconds(2).withDrain(10).withConnectConcurrency(50);

            Result broadcast = Scenarios.run("broadcast", herald, redis.url(), settings);
            assertThat(broadcast.notes()).isEmpty();
            assertThat(broadcast.get(Figure.CONNECTED)).isEqualTo(50);
            assertThat(broadcast.get(Figure.PUBLISHED)).isEqualTo(100);
            assertThat(broadcast.get(Figure.EXPECTED)).isEqualTo(50 * 100);
            assertThat(broadcast.get(Figure.DELIVERED)).isEqualTo(50 * 100);
            assertThat(broadcast.get(Figure.LOST)).isZero();
            assertThat(broadcast.get(Figure.FOREIGN)).isZero();

            Result perUser = Scenarios.run("per-user", herald, redis.url(), settings);
            assertThat(perUser.notes()).isEmpty();
            assertThat(perUser.get(Figure.DELIVERED)).isEqualTo(100);
            assertThat(perUser.get(Figure.LOST)).isZero();
            assertThat(perUser.get(Figure.FOREIGN)).isZero();

            Report.write(out, List.of(broadcast, perUser), "## smoke\n\n");
            assertThat(Files.readString(out.resolve("results.md"))).contains("broadcast: 50 connections", "| lost");
            assertThat(out.resolve("results.json")).isNotEmptyFile();
            assertThat(out.resolve("latency-vs-load.png")).isNotEmptyFile();
        }
    }

    /** Herald in this JVM, in seed format, on a free port; CPU and memory are this JVM's. */
    static final class InProcessHerald implements Target {
        private final HeraldServer server;

        InProcessHerald(String redisUrl) {
            ServerConfig config = ServerConfig.defaults("bench-api-key").withPort(0).withRedis(redisUrl, "", false)
                    .withEventFormat(EventFormat.SEED);
            this.server = new HeraldServer(config).start();
        }

        @Override public String name() { return "herald"; }
        @Override public int port() { return server.port(); }
        @Override public long pid() { return ProcessHandle.current().pid(); }
        @Override public boolean subscribes() { return true; }
        @Override public long heapAfterGc() { return -1; }
        @Override public boolean isAlive() { return true; }
        @Override public void close() { server.close(); }
    }
}
