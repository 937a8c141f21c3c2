package dev.herald.bench;

import dev.herald.redis.testing.RedisServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./herald bench [scenario] [options]}: starts redis-server on a free port, then for each scenario point
 * and each target starts the server (Herald from {@code herald-server/target/herald.jar}, the reference from
 * {@code clients/reference/tutorial-server.mjs}) as a separate process, runs the scenario against it, stops it, and
 * finally writes results.json, results.md and the plots.
 */
@Command(name = "herald bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = Worker.class,
        synopsisSubcommandLabel = "",
        description = {"Benchmarks Herald against the tutorial's Node server (socket.io 4.8 + ioredis), side by side.",
                "Scenarios: broadcast, per-user, idle, connect-storm, or suite (the set of docs/benchmarks.md; the default)."})
public final class BenchMain implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "suite", description = "broadcast | per-user | idle | connect-storm | suite (default: ${DEFAULT-VALUE})")
    String scenario;

    @Option(names = "--connections", split = ",", description = "Connections (N); a comma-separated list runs each.")
    List<Integer> connections;

    @Option(names = "--rate", split = ",", description = "Events/s published (R); a comma-separated list runs each.")
    List<Double> rates;

    @Option(names = "--duration", description = "Measured seconds: publishing time, or idle time (default: 15; idle 10).")
    Double duration;

    @Option(names = "--warmup", defaultValue = "3", description = "Seconds of publishing before measuring (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--drain", defaultValue = "10", description = "Seconds to wait at most for the last deliveries (default: ${DEFAULT-VALUE}).")
    double drain;

    @Option(names = "--target", defaultValue = "both", description = "herald | reference | both (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--out", description = "Directory for results.json, results.md, plots and server logs (default: var/bench/<date-time>).")
    Path out;

    @Option(names = "--client-threads", defaultValue = "2", description = "Event-loop threads of each load generator process (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--concurrency", defaultValue = "500", description = "Handshakes in flight while connecting, over all processes (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--source-addresses", defaultValue = "0", description = "Loopback source addresses per load generator process to spread its connections over (process p: 127.0.0.(p·k+1)..(p·k+k)); 0 = one per 10,000 connections (default).")
    int sourceAddresses;

    @Option(names = "--processes", defaultValue = "0", description = "Load generator processes (the runner and K-1 workers) sharing the connections; 0 = as many as the open-files limit requires (default).")
    int processes;

    @Option(names = "--herald-java-opts", defaultValue = "-Xmx1g -XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5", description = "JVM options of the Herald process, space-separated (default: ${DEFAULT-VALUE}: the heap of ./herald server, see docs/configuration.md).")
    String heraldJavaOpts;

    @Option(names = "--herald-jar", description = "Herald's runnable jar (default: herald-server/target/herald.jar of the checkout); for A/B runs of a change.")
    Path heraldJar;

    @Option(names = "--herald-args", defaultValue = "", description = "Extra arguments of 'herald server', space-separated.")
    String heraldArgs;

    @Option(names = "--redis-url", description = "Use this Redis instead of starting a redis-server on a free port.")
    String redisUrl;

    @Option(names = "--home", description = "The Herald checkout (default: -Dherald.home, else found from the working directory).")
    Path home;

    /** One scenario point. */
    record Point(String scenario, int connections, double rate, double seconds) {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = home != null ? home : findHome();
        List<Point> plan = plan();
        List<String> targets = switch (target) {
            case "both" -> List.of("herald", "reference");
            case "herald", "reference" -> List.of(target);
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--target must be herald, reference or both");
        };
        checkProcesses(plan);
        Path dir = out != null ? out : root.resolve("var/bench/" + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        List<Result> results = new ArrayList<>();
        RedisServer redis = null;
        try {
            String url = redisUrl;
            if (url == null) {
                redis = new RedisServer().start();
                url = redis.url();
            }
            System.err.printf(Locale.ROOT, "bench: %d runs (%s), Redis at %s, results in %s%n", plan.size() * targets.size(),
                    String.join(", ", targets), url, dir);
            int run = 0;
            for (Point p : plan) {
                for (String t : targets) {
                    run++;
                    System.err.printf(Locale.ROOT, "bench: [%d/%d] %s %s ...%n", run, plan.size() * targets.size(), t, describe(p));
                    results.add(runOne(root, dir, url, p, t, run));
                    System.err.println("bench:   " + summary(results.get(results.size() - 1)));
                }
            }
        } finally {
            if (redis != null) redis.close();
        }
        String header = header(started, root);
        Report.write(dir, results, header);
        System.out.println(header + Report.markdown(results));
        System.err.println("bench: results in " + dir.resolve("results.md") + " and " + dir.resolve("results.json"));
        return results.stream().anyMatch(r -> r.notes().stream().anyMatch(n -> n.startsWith("run failed"))) ? 1 : 0;
    }

    private Result runOne(Path root, Path dir, String url, Point p, String t, int run) {
        Scenarios.Settings settings = Scenarios.Settings.defaults()
                .withConnections(p.connections()).withRate(p.rate()).withSeconds(p.seconds()).withWarmup(warmup)
                .withDrain(drain).withClientThreads(clientThreads).withConnectConcurrency(concurrency)
                .withProcesses(processes).withSourceAddresses(sourceAddressesFor(p.connections()));
        Path log = dir.resolve("logs").resolve(String.format(Locale.ROOT, "%02d-%s-%s-%d.log", run, t, p.scenario(), p.connections()));
        try (Target server = start(root, url, t, log)) {
            return Scenarios.run(p.scenario(), server, url, settings);
        } catch (Exception e) {
            Result failed = new Result(p.scenario(), t, p.connections(), p.rate(), p.seconds());
            failed.note("run failed: " + e);
            e.printStackTrace();
            return failed;
        }
    }

    private Target start(Path root, String url, String t, Path log) throws IOException, InterruptedException {
        int port = freePort();
        if (t.equals("herald")) {
            Path jar = heraldJar != null ? heraldJar.toAbsolutePath() : root.resolve("herald-server/target/herald.jar");
            return new HeraldProcess(root, jar, url, port, words(heraldJavaOpts), words(heraldArgs), log);
        }
        return new ReferenceProcess(root, url, port, log);
    }

    List<Point> plan() {
        if (scenario.equals("suite")) {
            // The points of the targets in docs/benchmarks.md (the overload point runs apart: Herald only).
            double d = duration != null ? duration : 10;
            return List.of(
                    new Point("broadcast", 1000, 100, d),
                    new Point("broadcast", 1000, 1000, d),
                    new Point("broadcast", 10000, 100, d),
                    new Point("per-user", 10000, 200, duration != null ? duration : 20),
                    new Point("idle", 19000, 0, d),
                    new Point("connect-storm", 5000, 0, 0));
        }
        if (!List.of("broadcast", "per-user", "idle", "connect-storm").contains(scenario)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario '" + scenario
                    + "': broadcast, per-user, idle, connect-storm or suite");
        }
        List<Integer> ns = connections != null ? connections : List.of(scenario.equals("per-user") ? 2000 : scenario.equals("broadcast") ? 1000 : 5000);
        boolean rated = scenario.equals("broadcast") || scenario.equals("per-user");
        List<Double> rs = rated ? (rates != null ? rates : List.of(scenario.equals("per-user") ? 200.0 : 100.0)) : List.of(0.0);
        double d = duration != null ? duration : scenario.equals("idle") ? 10 : rated ? 15 : 0;
        List<Point> plan = new ArrayList<>();
        for (int n : ns) for (double r : rs) plan.add(new Point(scenario, n, r, d));
        return plan;
    }

    static String describe(Point p) {
        return switch (p.scenario()) {
            case "broadcast", "per-user" -> String.format(Locale.ROOT, "%s %,d conn × %,.0f ev/s, %.0f s", p.scenario(), p.connections(), p.rate(), p.seconds());
            case "idle" -> String.format(Locale.ROOT, "idle %,d conn", p.connections());
            default -> String.format(Locale.ROOT, "%s %,d conn", p.scenario(), p.connections());
        };
    }

    static String summary(Result r) {
        if (r.notes().stream().anyMatch(n -> n.startsWith("run failed"))) return r.notes().toString();
        String s = switch (r.scenario()) {
            case "broadcast", "per-user" -> String.format(Locale.ROOT,
                    "delivered %,.0f/s (frames %,.0f/s), lost %,.0f, foreign %,.0f, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %.2f µs CPU/frame, RSS max %.0f MiB",
                    r.get(Figure.DELIVERED_PER_S), r.get(Figure.FRAMES_PER_S), r.get(Figure.LOST), r.get(Figure.FOREIGN),
                    r.get(Figure.LATENCY_P50), r.get(Figure.LATENCY_P99), r.get(Figure.LATENCY_MAX), r.get(Figure.CPU_US_PER_FRAME), r.get(Figure.RSS_MAX));
            case "idle" -> String.format(Locale.ROOT, "%,.0f connected, RSS %.2f KiB/conn, heap %.2f KiB/conn, idle CPU %.2f%%",
                    r.get(Figure.CONNECTED), r.get(Figure.RSS_PER_CONN), r.get(Figure.HEAP_PER_CONN), r.get(Figure.IDLE_CPU_PCT));
            default -> String.format(Locale.ROOT, "%,.0f connected, %,.0f conn/s, %.0f µs CPU/conn, p99 %.1f ms",
                    r.get(Figure.CONNECTED), r.get(Figure.CONNECTS_PER_S), r.get(Figure.CPU_US_PER_CONNECT), r.get(Figure.CONNECT_P99));
        };
        return r.notes().isEmpty() ? s : s + "; " + String.join("; ", r.notes());
    }

    /**
     * Source addresses of each load generator process: as asked, or one more per 10,000 of its connections. A
     * source/destination pair has ~28k ephemeral ports, but the previous run's closed connections keep theirs in
     * TIME_WAIT for a minute: 19,000 connections right after a run on one address failed to bind.
     */
    private int sourceAddressesFor(int connections) {
        if (sourceAddresses > 0) return sourceAddresses;
        int k = Fleet.processesFor(connections, processes);
        return 1 + (connections + k - 1) / k / 10_000;
    }

    /**
     * Each load generator process may hold at most its open-files limit of sockets (20,000 on the machines this was
     * written on) and has source addresses of its own, out of 127.0.0.1..254: refuses a plan that cannot fit.
     */
    private void checkProcesses(List<Point> plan) {
        int capacity = Fleet.capacity();
        for (Point p : plan) {
            int k = Fleet.processesFor(p.connections(), processes);
            int slice = (p.connections() + k - 1) / k;
            if (slice > capacity) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%,d connections over %d processes is %,d per process, more than one process can hold: %,d "
                                + "(its open-files limit, ulimit -n, minus %d). Use more --processes (or 0: automatic).",
                        p.connections(), k, slice, capacity, Fleet.HEADROOM));
            }
            if ((long) k * sourceAddressesFor(p.connections()) > 254) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%d processes × %d source addresses each do not fit in 127.0.0.1..254", k, sourceAddressesFor(p.connections())));
            }
        }
    }

    private String header(String started, Path root) {
        StringBuilder h = new StringBuilder();
        h.append("## Bench run ").append(started).append("\n\n");
        h.append("- command: `./herald bench ").append(String.join(" ", ProcessHandle.current().info().arguments()
                .map(a -> Arrays.asList(a).subList(Math.min(a.length, indexOfJar(a) + 1), a.length)).orElse(List.of()))).append("`\n");
        h.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (").append(cpuModel()).append("), ")
                .append(memTotal()).append(" RAM, Linux ").append(System.getProperty("os.version")).append('\n');
        h.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append("; Herald JVM options: `").append(heraldJavaOpts).append("`")
                .append(heraldJar != null ? "; Herald jar: " + heraldJar : "").append(heraldArgs.isBlank() ? "" : "; Herald args: `" + heraldArgs + "`").append('\n');
        h.append("- Node: ").append(run("node", "--version")).append(", socket.io ").append(npmVersion(root, "socket.io"))
                .append(", ioredis ").append(npmVersion(root, "ioredis")).append("; ").append(run("redis-server", "--version")).append('\n');
        h.append("- load generator: ").append(clientThreads).append(" event-loop threads per process, ")
                .append(processes > 0 ? processes + " processes" : "one process per " + String.format(Locale.ROOT, "%,d", Fleet.capacity()) + " connections")
                .append(", same machine; warm-up ")
                .append(warmup).append(" s, drain up to ").append(drain).append(" s\n\n");
        return h.toString();
    }

    private static int indexOfJar(String[] args) {
        for (int i = 0; i < args.length; i++) if (args[i].endsWith(".jar")) return i;
        return -1;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "unknown CPU";
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1048576.0);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "unknown";
    }

    private static String npmVersion(Path root, String pkg) {
        try {
            String json = Files.readString(root.resolve("clients/node_modules/" + pkg + "/package.json"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String outText = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return outText.lines().findFirst().orElse("?");
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static Path findHome() {
        String prop = System.getProperty("herald.home");
        if (prop != null) return Path.of(prop);
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("herald-server/pom.xml"))) return dir;
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the Herald checkout: run from inside it, or pass --home");
    }
}
