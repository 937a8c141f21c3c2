package dev.herald.bench;

import dev.herald.bench.Protocol.Clock;
import dev.herald.bench.Protocol.ClockReading;
import dev.herald.bench.Protocol.Close;
import dev.herald.bench.Protocol.Collect;
import dev.herald.bench.Protocol.Command;
import dev.herald.bench.Protocol.Done;
import dev.herald.bench.Protocol.Measure;
import dev.herald.bench.Protocol.Open;
import dev.herald.bench.Protocol.Opened;
import dev.herald.bench.Protocol.Poll;
import dev.herald.bench.Protocol.Reply;
import dev.herald.bench.Protocol.SliceReport;
import dev.herald.bench.Protocol.Tally;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * The load generator as a whole: K processes, each holding a contiguous slice of the N connections from its own
 * source addresses (process p: 127.0.0.(b+p·k) .. 127.0.0.(b+p·k+k-1), k = {@code sourceAddresses}), since one
 * process may hold at most its open-files limit of sockets and one source address ~28k ephemeral ports. Each
 * {@link #open} takes the next unused block b of addresses ({@link #nextSources}): the sockets of the run before
 * linger in TIME_WAIT for a minute, and connecting from their addresses makes the kernel search its ephemeral
 * ports for a free one on every connect (measured: a 5,000-connection storm right after 19,000 idle connections
 * opened 440 connections/s at 172% load generator CPU, against 3,153/s at 90% from fresh addresses).
 *
 * <p>Slice 0 stays in the runner's process and slices 1..K-1 run in worker JVMs ({@link WorkerProcess}). Keeping one
 * slice in-process means that a run that fits in one process (the default up to {@link #capacity()}) runs exactly as
 * it always did, with no worker and no protocol in the way; and with K processes on a 2-core machine, one JVM fewer
 * competes with the server for the CPU. The runner also publishes, so its clock is the one every latency is read
 * against: each worker's {@link System#nanoTime()} is checked against it when the worker starts ({@link #start}).
 *
 * <p>Figures are sums over the slices; latency histograms are merged; the load generator's CPU is the sum of its
 * processes' CPU.
 */
final class Fleet implements AutoCloseable {

    /** File descriptors a process needs besides its connections (JVM, jars, Redis, pipes). */
    static final int HEADROOM = 300;
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final Scenarios.Settings settings;
    private final SliceHandler local = new SliceHandler();
    private final List<WorkerProcess> workers = new ArrayList<>();
    /** The slices of the last {@link #open}: first connection and count, per process. */
    private int[] firsts = new int[0];
    private int[] counts = new int[0];
    private int[] connected = new int[0];
    private final BitSet ready = new BitSet();
    private int connections;

    /** The first source address (last byte) of the next {@link #open}: one sequence per runner process, from a random start, so that back-to-back invocations of the bench are unlikely to share addresses either. */
    private static int nextSource = 1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(254);

    /**
     * A block of {@code count} source addresses no open of this process has used lately: the next ones after the
     * last block, back to 127.0.0.1 when 254 is passed (dozens of runs later, long after their TIME_WAIT).
     */
    static synchronized int nextSources(int count) {
        if (count < 1 || count > 254) throw new IllegalArgumentException("source addresses: " + count + " (1..254)");
        if (nextSource + count - 1 > 254) nextSource = 1;
        int first = nextSource;
        nextSource += count;
        return first;
    }

    private Fleet(String host, int port, Scenarios.Settings settings) {
        this.host = host;
        this.port = port;
        this.settings = settings;
    }

    /** Connections one process may hold: its open-files limit minus {@link #HEADROOM}. */
    static int capacity() {
        long max = ProcStats.openFilesLimit();
        return max < 0 ? Integer.MAX_VALUE : (int) Math.max(1, Math.min(Integer.MAX_VALUE, max - HEADROOM));
    }

    /** {@code requested} processes, or (0) as many as {@code connections} need: ceil(N / {@link #capacity()}). */
    static int processesFor(int connections, int requested) {
        if (requested > 0) return requested;
        return (int) Math.max(1, (connections + (long) capacity() - 1) / capacity());
    }

    /**
     * Starts the processes for {@code s.connections()} (or {@code s.processes()}) and checks each worker's clock; no
     * connection is opened yet.
     */
    static Fleet start(String host, int port, Scenarios.Settings s) {
        Fleet fleet = new Fleet(host, port, s);
        try {
            int k = processesFor(s.connections(), s.processes());
            for (int p = 1; p < k; p++) {
                fleet.workers.add(new WorkerProcess(p, List.of("-XX:+ExitOnOutOfMemoryError"), System.err::println));
            }
            for (WorkerProcess w : fleet.workers) w.awaitHello(STARTUP);
            for (WorkerProcess w : fleet.workers) checkClock(w);
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start a load generator worker", e);
        }
    }

    /**
     * Latency is the receive time minus the publish time carried in the event, and the runner publishes: a worker's
     * {@link System#nanoTime()} must be the runner's clock. On Linux HotSpot it is CLOCK_MONOTONIC, one clock for
     * the whole machine; this checks it: the worker's reading must fall between the runner's just before asking and
     * just after the answer. Two clocks with any offset beyond that round trip fail the run.
     */
    static long checkClock(WorkerProcess w) {
        long before = System.nanoTime();
        long theirs = w.call(new Clock(), ClockReading.class, ANSWER).nanoTime();
        long after = System.nanoTime();
        if (theirs < before || theirs > after) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s reads System.nanoTime() %d, outside the runner's %d .. %d: the processes do not share one "
                            + "monotonic clock, so latencies measured across them would be wrong", w.name(), theirs, before, after));
        }
        return after - before;
    }

    int processes() { return 1 + workers.size(); }

    /**
     * Opens {@code n} connections over the processes and waits until all are ready or failed. Connection i is the
     * same everywhere (its channel, per {@code naming}); the handshakes in flight are shared out so that their total
     * stays {@code connectConcurrency}.
     */
    LoadGenerator.OpenResult open(int n, Bench.Naming naming, boolean subscribe, Duration timeout) {
        int k = processes();
        firsts = new int[k];
        counts = new int[k];
        connections = n;
        Open[] commands = new Open[k];
        int sources = Math.max(1, settings.sourceAddresses());
        int base = nextSources(k * sources);
        for (int p = 0; p < k; p++) {
            firsts[p] = (int) ((long) p * n / k);
            counts[p] = (int) ((long) (p + 1) * n / k) - firsts[p];
            int concurrency = k == 1 ? settings.connectConcurrency()
                    : (int) Math.max(1, Math.round((double) settings.connectConcurrency() * counts[p] / Math.max(1, n)));
            commands[p] = new Open(host, port, firsts[p], counts[p], naming, subscribe, settings.clientThreads(),
                    concurrency, base + p * sources, sources, timeout.toMillis());
        }
        // Opening may take a while: each handshake gets `timeout`, `concurrency` of them at a time.
        long batches = 1 + (long) Math.ceil((double) n / k / Math.max(1, commands[k - 1].concurrency()));
        Duration deadline = timeout.multipliedBy(batches).plus(STARTUP);
        List<Reply> replies = all(p -> commands[p], Opened.class, deadline);

        ready.clear();
        connected = new int[k];
        Histogram connect = Protocol.newHistogram();
        List<String> errors = new ArrayList<>();
        int requested = 0, ok = 0, failed = 0;
        long start = Long.MAX_VALUE, end = Long.MIN_VALUE;
        for (int p = 0; p < k; p++) {
            LoadGenerator.OpenResult r = ((Opened) replies.get(p)).result();
            BitSet bits = Protocol.decodeBits(((Opened) replies.get(p)).ready());
            for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) ready.set(firsts[p] + i);
            connected[p] = r.connected();
            requested += r.requested();
            ok += r.connected();
            failed += r.failed();
            // Start and end on the one clock of the machine: the opening took from the first start to the last end.
            start = Math.min(start, r.startNanos());
            end = Math.max(end, r.startNanos() + r.elapsedNanos());
            connect.add(r.connectMicros());
            for (String e : r.firstErrors()) if (errors.size() < 5) errors.add(k == 1 ? e : "process " + p + ": " + e);
        }
        return new LoadGenerator.OpenResult(requested, ok, failed, start, end - start, connect, errors);
    }

    /** Whether connection {@code i} was ready when {@link #open} returned. */
    boolean ready(int i) { return ready.get(i); }

    /** Connections ready per process, after the last {@link #open}. */
    int[] connectedPerProcess() { return connected.clone(); }

    /** Event frames received and measured deliveries so far, over all processes. */
    Tally poll() {
        long frames = 0, delivered = 0;
        for (Reply r : all(p -> new Poll(), Tally.class, ANSWER)) {
            frames += ((Tally) r).frames();
            delivered += ((Tally) r).delivered();
        }
        return new Tally(frames, delivered);
    }

    long frames() { return poll().frames(); }

    long delivered() { return poll().delivered(); }

    /** The measurement starts: latencies recorded so far are dropped everywhere. */
    void startMeasuring() {
        all(p -> new Measure(), Tally.class, ANSWER);
    }

    /** What every process saw, merged; connection i of the per-connection counts is the global one. */
    record Collected(long frames, long delivered, long foreign, long unparsable, long unexpectedCloses,
                     long[] deliveredPerConnection, Histogram latency) {
        long deliveredTo(int i) { return deliveredPerConnection[i]; }
    }

    Collected collect() {
        List<Reply> replies = all(p -> new Collect(), SliceReport.class, ANSWER);
        long frames = 0, delivered = 0, foreign = 0, unparsable = 0, closes = 0;
        long[] per = new long[Math.max(1, connections)];
        Histogram latency = Protocol.newHistogram();
        for (int p = 0; p < replies.size(); p++) {
            SliceReport r = (SliceReport) replies.get(p);
            frames += r.frames();
            delivered += r.delivered();
            foreign += r.foreign();
            unparsable += r.unparsable();
            closes += r.unexpectedCloses();
            long[] slice = r.deliveredPerConnection();
            if (p < firsts.length) System.arraycopy(slice, 0, per, firsts[p], Math.min(slice.length, counts[p]));
            latency.add(r.latencyHistogram());
        }
        return new Collected(frames, delivered, foreign, unparsable, closes, per, latency);
    }

    /** Closes every connection; the processes stay for the next {@link #open}. */
    void closeConnections() {
        all(p -> new Close(), Done.class, ANSWER);
    }

    /** CPU time of the load generator so far: utime + stime of all its processes, µs (-1 when unreadable). */
    long cpuMicros() {
        long total = ProcStats.cpuMicros(ProcessHandle.current().pid());
        for (WorkerProcess w : workers) {
            long cpu = ProcStats.cpuMicros(w.pid());
            if (cpu < 0 || total < 0) return -1;
            total += cpu;
        }
        return total;
    }

    /** The processes' ids: this one, then the workers'. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid()));
        for (WorkerProcess w : workers) pids.add(w.pid());
        return pids;
    }

    /** "2 processes, 20 + 20 connections (pids 1, 2)", for the log. */
    String describe() {
        List<String> sizes = new ArrayList<>();
        for (int c : connected) sizes.add(String.format(Locale.ROOT, "%,d", c));
        List<String> pids = new ArrayList<>();
        for (long pid : pids()) pids.add(Long.toString(pid));
        return String.format(Locale.ROOT, "%d processes, %s connections (pids %s)", processes(), String.join(" + ", sizes),
                String.join(", ", pids));
    }

    /**
     * Sends each worker its command first, then runs the in-process slice's on this thread, then awaits the workers'
     * replies: the processes work at the same time. Replies in process order (0 = in-process).
     */
    private List<Reply> all(IntFunction<Command> commandFor, Class<? extends Reply> type, Duration deadline) {
        List<CompletableFuture<Reply>> sent = new ArrayList<>();
        for (int p = 1; p <= workers.size(); p++) sent.add(workers.get(p - 1).send(commandFor.apply(p)));
        List<Reply> replies = new ArrayList<>();
        try {
            replies.add(local.handle(commandFor.apply(0)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        for (int p = 1; p <= workers.size(); p++) replies.add(workers.get(p - 1).await(sent.get(p - 1), type, deadline));
        return replies;
    }

    /** Closes the in-process slice and stops (or kills) every worker. */
    @Override
    public void close() {
        local.close();
        for (WorkerProcess w : workers) w.close();
    }
}
