package dev.herald.bench;

import dev.herald.bench.Protocol.ClockReading;
import dev.herald.bench.Protocol.Hello;
import dev.herald.bench.Protocol.Open;
import dev.herald.bench.Protocol.Opened;
import dev.herald.bench.Protocol.Poll;
import dev.herald.bench.Protocol.Tally;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Worker JVMs as the runner sees them: they share its clock, answer commands, and every way of going wrong (dying,
 * failing a command, not answering, not starting) becomes an error naming the worker, with the end of its stderr;
 * a worker whose stdin closes exits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerProcessTest {

    private static final Duration ANSWER = Duration.ofSeconds(30);

    @Test
    void aWorkerReadsTheRunnersClock() throws Exception {
        try (WorkerProcess worker = new WorkerProcess(1, List.of(), line -> { })) {
            Hello hello = worker.awaitHello(Duration.ofSeconds(60));
            assertThat(hello.pid()).isEqualTo(worker.pid()).isNotEqualTo(ProcessHandle.current().pid());

            // System.nanoTime() in another JVM falls between this JVM's readings before and after asking: one clock
            // (CLOCK_MONOTONIC), so publish times and receive times compare across processes.
            for (int i = 0; i < 20; i++) {
                long before = System.nanoTime();
                long theirs = worker.call(new Protocol.Clock(), ClockReading.class, ANSWER).nanoTime();
                long after = System.nanoTime();
                assertThat(theirs).isBetween(before, after);
            }
            Fleet.checkClock(worker); // the runner's own check passes
        }
    }

    @Test
    void aWorkerWhoseStdinClosesExits() throws Exception {
        WorkerProcess worker = new WorkerProcess(1, List.of(), line -> { });
        try {
            worker.awaitHello(Duration.ofSeconds(60));
            worker.process().getOutputStream().close(); // as when the runner is killed

            await().atMost(Duration.ofSeconds(30)).until(() -> !worker.process().isAlive());
            assertThat(worker.process().exitValue()).isZero();
        } finally {
            worker.close();
        }
    }

    @Test
    void aWorkerThatDiesFailsTheNextCommandNamingIt() throws Exception {
        try (WorkerProcess worker = new WorkerProcess(2, List.of(), line -> { })) {
            worker.awaitHello(Duration.ofSeconds(60));
            worker.process().destroyForcibly().waitFor();

            assertThatThrownBy(() -> worker.call(new Poll(), Tally.class, ANSWER))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("load generator worker 2 (pid " + worker.pid() + ")")
                    .hasMessageContaining("exited with code 137");
        }
    }

    @Test
    void aCommandTheWorkerCannotRunFailsWithItsMessageAndStderr() throws Exception {
        try (WorkerProcess worker = new WorkerProcess(1, List.of(), line -> { })) {
            worker.awaitHello(Duration.ofSeconds(60));
            Open outOfRange = new Open("127.0.0.1", 6001, 0, 1, Bench.Naming.BROADCAST, false, 1, 1, 300, 1, 1000);

            assertThatThrownBy(() -> worker.call(outOfRange, Opened.class, ANSWER))
                    .hasMessageContaining("load generator worker 1 (pid " + worker.pid() + ") failed on 'open'")
                    .hasMessageContaining("127.0.0.300 is out of range")
                    .hasMessageContaining("its stderr ends with:"); // the worker's stack trace
            // It is still there for the next command.
            assertThat(worker.call(new Poll(), Tally.class, ANSWER).frames()).isZero();
        }
    }

    @Test
    void aWorkerThatDoesNotAnswerInTimeFailsNamingIt() throws Exception {
        try (WorkerProcess worker = new WorkerProcess(3, List.of(), line -> { })) {
            worker.awaitHello(Duration.ofSeconds(60));
            signal("STOP", worker.pid()); // frozen: alive, but answers nothing
            try {
                assertThatThrownBy(() -> worker.call(new Poll(), Tally.class, Duration.ofSeconds(1)))
                        .hasMessageStartingWith("load generator worker 3 (pid " + worker.pid() + ") did not answer 'poll' within 1 s");
            } finally {
                signal("CONT", worker.pid());
            }
        }
    }

    @Test
    void aWorkerThatCannotStartFailsWithTheEndOfItsStderr() throws Exception {
        try (WorkerProcess worker = new WorkerProcess(1, List.of("-XX:+NoSuchBenchOption"), line -> { })) {
            assertThatThrownBy(() -> worker.awaitHello(Duration.ofSeconds(60)))
                    .hasMessageContaining("load generator worker 1 (pid " + worker.pid() + ") exited with code 1")
                    .hasMessageContaining("its stderr ends with:")
                    .hasMessageContaining("NoSuchBenchOption");
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor()).isZero();
    }
}
