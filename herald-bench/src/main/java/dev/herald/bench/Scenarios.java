package dev.herald.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The four scenarios, each against one running {@link Target} and one Redis:
 * <ul>
 *   <li><b>broadcast</b>: N connections on one channel, R events/s to it;</li>
 *   <li><b>per-user</b>: N connections each on its own channel (the tutorial's case: one waiting page per login),
 *       R events/s each to a random user; foreign events (another user's) and lost ones are counted;</li>
 *   <li><b>idle</b>: N connections doing nothing: memory per connection (RSS and heap) and idle CPU;</li>
 *   <li><b>connect-storm</b>: N connections opened as fast as the server accepts them.</li>
 * </ul>
 */
public final class Scenarios {

    /**
     * @param connections       N
     * @param rate              R, events/s published to Redis
     * @param warmupSeconds     events published before the measurement (delivered, not counted)
     * @param seconds           measurement: publishing time (broadcast, per-user) or idle time (idle)
     * @param drainSeconds      after publishing, how long to wait at most for the last deliveries
     * @param clientThreads     event-loop threads of each load generator process
     * @param connectConcurrency handshakes in flight at once while connecting, over all processes
     * @param sourceAddresses   loopback source addresses of each load generator process to spread its connections over
     * @param tokenChars        size of the token in each event's data
     * @param processes         load generator processes; 0 = as many as N needs ({@link Fleet#processesFor})
     */
    public record Settings(int connections, double rate, double warmupSeconds, double seconds, double drainSeconds,
                           int clientThreads, int connectConcurrency, int sourceAddresses, int tokenChars, int processes) {

        public static Settings defaults() {
            return new Settings(1000, 100, 3, 15, 10, 2, 500, 1, 40, 0);
        }

        public Settings withConnections(int v) { return new Settings(v, rate, warmupSeconds, seconds, drainSeconds, clientThreads, connectConcurrency, sourceAddresses, tokenChars, processes); }
        public Settings withRate(double v) { return new Settings(connections, v, warmupSeconds, seconds, drainSeconds, clientThreads, connectConcurrency, sourceAddresses, tokenChars, processes); }
        public Settings withWarmup(double v) { return new Settings(connections, rate, v, seconds, drainSeconds, clientThreads, connectConcurrency, sourceAddresses, tokenChars, processes); }
        public Settings withSeconds(double v) { return new Settings(connections, rate, warmupSeconds, v, drainSeconds, clientThreads, connectConcurrency, sourceAddresses, tokenChars, processes); }
        public Settings withDrain(double v) { return new Settings(connections, rate, warmupSeconds, seconds, v, clientThreads, connectConcurrency, sourceAddresses, tokenChars, processes); }
        public Settings withClientThreads(int v) { return new Settings(connections, rate, warmupSeconds, seconds, drainSeconds, v, connectConcurrency, sourceAddresses, tokenChars, processes); }
        public Settings withConnectConcurrency(int v) { return new Settings(connections, rate, warmupSeconds, seconds, drainSeconds, clientThreads, v, sourceAddresses, tokenChars, processes); }
        public Settings withSourceAddresses(int v) { return new Settings(connections, rate, warmupSeconds, seconds, drainSeconds, clientThreads, connectConcurrency, v, tokenChars, processes); }
        public Settings withProcesses(int v) { return new Settings(connections, rate, warmupSeconds, seconds, drainSeconds, clientThreads, connectConcurrency, sourceAddresses, tokenChars, v); }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    private Scenarios() {}

    public static Result run(String scenario, Target target, String redisUrl, Settings s) throws Exception {
        return switch (scenario) {
            case "broadcast" -> delivery("broadcast", target, redisUrl, s, false);
            case "per-user" -> delivery("per-user", target, redisUrl, s, true);
            case "idle" -> idle(target, s);
            case "connect-storm" -> connectStorm(target, s);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    // ------------------------------------------------------------------ broadcast and per-user

    static Result delivery(String scenario, Target target, String redisUrl, Settings s, boolean perUser) throws Exception {
        int n = s.connections();
        Result result = new Result(scenario, target.name(), n, s.rate(), s.seconds());
        Bench.Naming naming = perUser ? Bench.Naming.PER_USER : Bench.Naming.BROADCAST;
        try (Fleet fleet = Fleet.start("127.0.0.1", target.port(), s);
             Publisher publisher = new Publisher(redisUrl, "", s.tokenChars())) {
            LoadGenerator.OpenResult open = fleet.open(n, naming, target.subscribes(), CONNECT_TIMEOUT);
            recordOpen(result, open, fleet);
            Publisher.Targets targets = perUser ? Publisher.randomUser(n) : Publisher.broadcast();
            if (s.warmupSeconds() > 0) publisher.run(s.rate(), s.warmupSeconds(), false, targets, perUser ? n : 0);
            awaitQuiet(fleet, 500, s.drainSeconds()); // let the warm-up deliveries finish
            fleet.startMeasuring();

            Sampler sampler = new Sampler(target.pid()).start();
            long loadgen0 = fleet.cpuMicros();
            double redis0 = publisher.redisCpuSeconds();
            long cpu0 = ProcStats.cpuMicros(target.pid());
            long frames0 = fleet.frames();
            long t0 = System.nanoTime();
            Publisher.Run run = publisher.run(s.rate(), s.seconds(), true, targets, perUser ? n : 0);
            double window = run.elapsedNanos() / 1e9;

            long expected = 0;
            long[] expectedPer = new long[n];
            for (int i = 0; i < n; i++) {
                if (!fleet.ready(i)) continue;
                expectedPer[i] = perUser ? run.perUser()[i] : run.published();
                expected += expectedPer[i];
            }
            long deadline = System.nanoTime() + (long) (s.drainSeconds() * 1e9);
            while (fleet.delivered() < expected && System.nanoTime() < deadline && target.isAlive()) sleep(20);
            long t2 = System.nanoTime();
            long cpu2 = ProcStats.cpuMicros(target.pid());
            long frames = fleet.frames() - frames0;
            long loadgen2 = fleet.cpuMicros();
            double redis2 = publisher.redisCpuSeconds();
            sampler.stop();

            Fleet.Collected stats = fleet.collect();
            long lost = 0;
            for (int i = 0; i < n; i++) lost += Math.max(0, expectedPer[i] - stats.deliveredTo(i));
            Histogram latency = stats.latency();
            double total = (t2 - t0) / 1e9;
            result.put(Figure.PUBLISHED, run.published())
                    .put(Figure.EXPECTED, expected)
                    .put(Figure.DELIVERED, stats.delivered())
                    .put(Figure.LOST, lost)
                    .put(Figure.FOREIGN, stats.foreign())
                    .put(Figure.DELIVERED_PER_S, stats.delivered() / Math.max(window, total))
                    .put(Figure.FRAMES_PER_S, frames / Math.max(window, total));
            putLatency(result, latency);
            result.put(Figure.CPU_US_PER_FRAME, frames == 0 ? Double.NaN : (double) (cpu2 - cpu0) / frames)
                    .put(Figure.SERVER_CPU_PCT, (cpu2 - cpu0) / 1e4 / total)
                    .put(Figure.RSS_START, sampler.firstRss() / 1048576.0)
                    .put(Figure.RSS_MAX, sampler.maxRss() / 1048576.0)
                    .put(Figure.RSS_GROWTH, (sampler.maxRss() - sampler.firstRss()) / 1048576.0)
                    .put(Figure.LOADGEN_CPU_PCT, (loadgen2 - loadgen0) / 1e4 / total)
                    .put(Figure.REDIS_CPU_PCT, (redis2 - redis0) * 100 / total);
            if (run.errors() > 0) result.note(run.errors() + " PUBLISH commands failed");
            if (run.rate() < s.rate() * 0.95) result.note(String.format(Locale.ROOT, "the publisher reached only %.0f events/s", run.rate()));
            if (stats.unparsable() > 0) result.note(stats.unparsable() + " frames were not bench events");
            if (stats.unexpectedCloses() > 0) result.note(stats.unexpectedCloses() + " connections were closed by the server");
            if (!target.isAlive()) result.note("the server process died");
            if (lost > 0) result.note(String.format(Locale.ROOT, "%d of %d deliveries had not arrived %.0f s after the last publish",
                    lost, expected, s.drainSeconds()));
        }
        return result;
    }

    // ------------------------------------------------------------------ idle

    static Result idle(Target target, Settings s) throws Exception {
        int n = s.connections();
        Result result = new Result("idle", target.name(), n, 0, s.seconds());
        // The workers start (and are idle) before the server's baseline: their JVMs are not the server's memory.
        try (Fleet fleet = Fleet.start("127.0.0.1", target.port(), s)) {
            // Warm-up, as for the connect storm: the baseline is taken after a first batch of connections came and
            // went, so that code compiled (JIT, V8) and pools created on first use are not charged to the
            // connections measured.
            fleet.open(Math.min(n, 1000), Bench.Naming.PER_USER, target.subscribes(), CONNECT_TIMEOUT);
            fleet.closeConnections();
            sleep(1000);
            long heap0 = target.heapAfterGc();
            sleep(500);
            long rss0 = ProcStats.rssBytes(target.pid());
            LoadGenerator.OpenResult open = fleet.open(n, Bench.Naming.PER_USER, target.subscribes(), CONNECT_TIMEOUT);
            recordOpen(result, open, fleet);
            sleep(3000);
            long heap1 = target.heapAfterGc();
            sleep(1000);
            long rss1 = ProcStats.rssBytes(target.pid());
            long cpu0 = ProcStats.cpuMicros(target.pid());
            long t0 = System.nanoTime();
            sleep((long) (s.seconds() * 1000));
            long cpu1 = ProcStats.cpuMicros(target.pid());
            double idle = (System.nanoTime() - t0) / 1e9;
            long rss2 = ProcStats.rssBytes(target.pid());
            int c = Math.max(1, open.connected());
            result.put(Figure.RSS_BASE, rss0 / 1048576.0)
                    .put(Figure.HEAP_BASE, heap0 < 0 ? Double.NaN : heap0 / 1048576.0)
                    .put(Figure.RSS, rss1 / 1048576.0)
                    .put(Figure.RSS_PER_CONN, (rss1 - rss0) / 1024.0 / c)
                    .put(Figure.HEAP, heap1 < 0 ? Double.NaN : heap1 / 1048576.0)
                    .put(Figure.HEAP_PER_CONN, heap0 < 0 || heap1 < 0 ? Double.NaN : (heap1 - heap0) / 1024.0 / c)
                    .put(Figure.IDLE_CPU_PCT, (cpu1 - cpu0) / 1e4 / idle)
                    .put(Figure.RSS_GROWTH, (rss2 - rss1) / 1048576.0);
            long closes = fleet.collect().unexpectedCloses();
            if (closes > 0) result.note(closes + " connections were closed by the server");
        }
        return result;
    }

    // ------------------------------------------------------------------ connect storm

    static Result connectStorm(Target target, Settings s) throws Exception {
        int n = s.connections();
        Result result = new Result("connect-storm", target.name(), n, 0, 0);
        try (Fleet fleet = Fleet.start("127.0.0.1", target.port(), s)) {
            // Warm-up: a first, smaller storm, closed again, so that the measured one does not pay the JIT's first
            // compilations (Herald's JVM, the load generator's) or V8's (the reference) alone.
            fleet.open(Math.min(n, 1000), Bench.Naming.PER_USER, false, CONNECT_TIMEOUT);
            fleet.closeConnections();
            sleep(1000);
            long cpu0 = ProcStats.cpuMicros(target.pid());
            long loadgen0 = fleet.cpuMicros();
            LoadGenerator.OpenResult open = fleet.open(n, Bench.Naming.PER_USER, false, CONNECT_TIMEOUT);
            long cpu1 = ProcStats.cpuMicros(target.pid());
            long loadgen1 = fleet.cpuMicros();
            recordOpen(result, open, fleet);
            double elapsed = open.elapsedNanos() / 1e9;
            result.put(Figure.CONNECTS_PER_S, open.perSecond())
                    .put(Figure.CPU_US_PER_CONNECT, (double) (cpu1 - cpu0) / Math.max(1, open.connected()))
                    .put(Figure.CONNECT_P50, open.connectMicros().getValueAtPercentile(50) / 1000.0)
                    .put(Figure.CONNECT_P99, open.connectMicros().getValueAtPercentile(99) / 1000.0)
                    .put(Figure.SERVER_CPU_PCT, (cpu1 - cpu0) / 1e4 / elapsed)
                    .put(Figure.LOADGEN_CPU_PCT, (loadgen1 - loadgen0) / 1e4 / elapsed)
                    .put(Figure.RSS, ProcStats.rssBytes(target.pid()) / 1048576.0);
        }
        return result;
    }

    // ------------------------------------------------------------------ helpers

    private static void recordOpen(Result result, LoadGenerator.OpenResult open, Fleet fleet) {
        result.put(Figure.CONNECTED, open.connected()).put(Figure.CONNECT_FAILURES, open.failed())
                .put(Figure.LOADGEN_PROCESSES, fleet.processes());
        if (fleet.processes() > 1) System.err.println("bench:   load generator: " + fleet.describe());
        if (open.failed() > 0) result.note(open.failed() + " of " + open.requested() + " connections failed, e.g. " + open.firstErrors());
    }

    private static void putLatency(Result result, Histogram h) {
        result.put(Figure.LATENCY_COUNT, h.getTotalCount());
        if (h.getTotalCount() == 0) {
            for (Figure f : List.of(Figure.LATENCY_P50, Figure.LATENCY_P99, Figure.LATENCY_P999, Figure.LATENCY_MAX)) result.put(f, Double.NaN);
            return;
        }
        result.put(Figure.LATENCY_P50, h.getValueAtPercentile(50) / 1000.0)
                .put(Figure.LATENCY_P99, h.getValueAtPercentile(99) / 1000.0)
                .put(Figure.LATENCY_P999, h.getValueAtPercentile(99.9) / 1000.0)
                .put(Figure.LATENCY_MAX, h.getMaxValue() / 1000.0);
    }

    /** Waits until no event frame has arrived for {@code quietMillis}, at most {@code maxSeconds}. */
    static void awaitQuiet(Fleet fleet, long quietMillis, double maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        long last = fleet.frames();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            sleep(50);
            long now = fleet.frames();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= quietMillis * 1_000_000) {
                return;
            }
        }
    }

    static void sleep(long millis) throws InterruptedException {
        if (millis > 0) TimeUnit.MILLISECONDS.sleep(millis);
    }

    /** RSS of a process sampled every 100 ms on a daemon thread. */
    static final class Sampler {
        private final long pid;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long first = -1;
        private volatile long max = -1;
        private final List<long[]> series = new ArrayList<>();

        Sampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(this::loop, "rss-sampler");
            this.thread.setDaemon(true);
        }

        Sampler start() {
            first = ProcStats.rssBytes(pid);
            max = first;
            thread.start();
            return this;
        }

        private void loop() {
            while (running) {
                long rss = ProcStats.rssBytes(pid);
                if (rss > max) max = rss;
                synchronized (series) {
                    series.add(new long[] {System.nanoTime(), rss});
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(1000);
        }

        long firstRss() { return first; }

        long maxRss() { return max; }
    }
}
