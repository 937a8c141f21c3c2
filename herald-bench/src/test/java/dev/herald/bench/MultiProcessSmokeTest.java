package dev.herald.bench;

import dev.herald.bench.BenchSmokeTest.InProcessHerald;
import dev.herald.redis.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load generator spread over several processes (the runner and worker JVMs), against Herald in-process on a
 * real redis-server: the scenarios run as in one process, lose nothing, receive nothing foreign, and the merged
 * latency histogram holds exactly the deliveries received. Never a timing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MultiProcessSmokeTest {

    private static RedisServer redis;
    private static InProcessHerald herald;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer().start();
        herald = new InProcessHerald(redis.url());
    }

    @AfterAll
    static void stop() {
        if (herald != null) herald.close();
        if (redis != null) redis.close();
    }

    @Test
    void broadcastAndPerUserOverTwoProcessesLoseNothing() throws Exception {
        Scenarios.Settings settings = Scenarios.Settings.defaults().withProcesses(2)
                .withConnections(40).withRate(50).withWarmup(0.5).withSeconds(2).withDrain(10).withConnectConcurrency(40);

        Result broadcast = Scenarios.run("broadcast", herald, redis.url(), settings);
        assertThat(broadcast.notes()).isEmpty();
        assertThat(broadcast.get(Figure.LOADGEN_PROCESSES)).isEqualTo(2);
        assertThat(broadcast.get(Figure.CONNECTED)).isEqualTo(40);
        assertThat(broadcast.get(Figure.PUBLISHED)).isEqualTo(100);
        assertThat(broadcast.get(Figure.EXPECTED)).isEqualTo(40 * 100);
        assertThat(broadcast.get(Figure.DELIVERED)).isEqualTo(40 * 100);
        assertThat(broadcast.get(Figure.LOST)).isZero();
        assertThat(broadcast.get(Figure.FOREIGN)).isZero();
        assertThat(broadcast.get(Figure.LATENCY_COUNT)).isEqualTo(broadcast.get(Figure.DELIVERED));
        assertThat(broadcast.get(Figure.LOADGEN_CPU_PCT)).isPositive(); // summed over both processes

        Result perUser = Scenarios.run("per-user", herald, redis.url(), settings);
        assertThat(perUser.notes()).isEmpty();
        assertThat(perUser.get(Figure.LOADGEN_PROCESSES)).isEqualTo(2);
        assertThat(perUser.get(Figure.CONNECTED)).isEqualTo(40);
        assertThat(perUser.get(Figure.DELIVERED)).isEqualTo(100);
        assertThat(perUser.get(Figure.LOST)).isZero();
        assertThat(perUser.get(Figure.FOREIGN)).isZero();
        assertThat(perUser.get(Figure.LATENCY_COUNT)).isEqualTo(100);

        assertThat(Report.markdown(List.of(broadcast, perUser))).contains("| load generator processes | 2 |");
    }

    @Test
    void eachUsersEventsReachItsConnectionInWhicheverProcessHoldsIt() throws Exception {
        Scenarios.Settings settings = Scenarios.Settings.defaults().withProcesses(3).withConnections(40).withConnectConcurrency(40);
        try (Fleet fleet = Fleet.start("127.0.0.1", herald.port(), settings);
             Publisher publisher = new Publisher(redis.url(), "", 40)) {
            LoadGenerator.OpenResult open = fleet.open(40, Bench.Naming.PER_USER, true, Duration.ofSeconds(60));

            assertThat(open.connected()).isEqualTo(40);
            assertThat(fleet.processes()).isEqualTo(3);
            assertThat(fleet.connectedPerProcess()).containsExactly(13, 13, 14);
            for (int i = 0; i < 40; i++) assertThat(fleet.ready(i)).as("connection %d ready", i).isTrue();
            assertThat(fleet.cpuMicros()).isPositive();

            // Users at both ends of each process's slice (0..12, 13..25, 26..39).
            int[] users = {0, 12, 13, 25, 26, 39};
            int[] next = {0};
            fleet.startMeasuring();
            Publisher.Run run = publisher.run(60, 1, true, () -> users[next[0]++ % users.length], 40);
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.delivered() == run.published());

            Fleet.Collected seen = fleet.collect();
            assertThat(seen.foreign()).isZero();
            assertThat(seen.unparsable()).isZero();
            assertThat(seen.delivered()).isEqualTo(60);
            for (int i = 0; i < 40; i++) assertThat(seen.deliveredTo(i)).as("user %d", i).isEqualTo(run.perUser()[i]);
            assertThat(seen.latency().getTotalCount()).isEqualTo(60);
            assertThat(fleet.pids()).hasSize(3).doesNotHaveDuplicates().startsWith(ProcessHandle.current().pid());
            assertThat(fleet.describe()).startsWith("3 processes, 13 + 13 + 14 connections (pids ");
        }
    }
}
