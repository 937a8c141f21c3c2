package dev.herald.redis.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests, run as a child process: bound to 127.0.0.1 on a free port the harness
 * picks (never 6379, and below the ephemeral range so that nothing else takes it while the server is stopped
 * for a restart test), no persistence ({@code --save "" --appendonly no}), working directory in a temp dir.
 *
 * <pre>{@code
 * try (RedisServer redis = new RedisServer().start()) {
 *     RedisBroker broker = new RedisBroker(RedisBrokerConfig.of(redis.url()));
 *     redis.cli("PUBLISH", "orders.1", "{...}");
 *     redis.stop(); redis.start(); // same port
 * }
 * }</pre>
 *
 * <p>The binary is {@code $REDIS_SERVER_BIN}, else {@code redis-server} on the PATH, else
 * {@code /usr/bin/redis-server} (likewise {@code $REDIS_CLI_BIN} / {@code redis-cli}); missing, the harness
 * fails with a message naming {@code apt-get install redis-server}. Readiness is the server's own
 * "Ready to accept connections" line and then a PING answered, within {@link #START_TIMEOUT_MS}. A JVM shutdown
 * hook kills any server a test left running. Only JDK classes are used, so other modules can use the test-jar
 * without extra test dependencies.
 */
public final class RedisServer implements AutoCloseable {

    public static final long START_TIMEOUT_MS = 15_000;
    private static final long CLI_TIMEOUT_MS = 15_000;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "redis-server-reaper"));
    }

    private final String serverBinary;
    private final String cliBinary;
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private final Deque<String> logTail = new ArrayDeque<>();
    private Process process;
    private boolean closed;
    private boolean everStarted;

    /**
     * Picks a port and a temp dir; {@link #start()} runs the server.
     *
     * @param extraArgs more {@code redis-server} options, e.g. {@code "--requirepass", "secret"}
     */
    public RedisServer(String... extraArgs) {
        this.extraArgs = List.of(extraArgs);
        this.serverBinary = binary("REDIS_SERVER_BIN", "redis-server");
        this.cliBinary = binary("REDIS_CLI_BIN", "redis-cli");
        this.port = freePort();
        try {
            this.dir = Files.createTempDirectory("herald-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the server, or starts it again after {@link #stop()} on the same port; returns when it answers PING.
     * When the first start fails, the harness is closed.
     */
    public synchronized RedisServer start() {
        try {
            launch();
            everStarted = true;
            return this;
        } catch (RuntimeException e) {
            if (!everStarted) close();
            throw e;
        }
    }

    private void launch() {
        if (closed) throw new IllegalStateException("closed");
        if (process != null && process.isAlive()) throw new IllegalStateException("redis-server is already running on port " + port);
        List<String> command = new ArrayList<>(List.of(serverBinary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(), "--logfile", ""));
        command.addAll(extraArgs);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + serverBinary + ": " + e.getMessage(), e);
        }
        LIVE.add(process);
        Process started = process;
        Thread reader = new Thread(() -> pump(started, ready), "redis-server-" + port + "-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        try {
            ready.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // No ready line (another log format?): the PING below decides.
        } catch (Exception e) {
            kill();
            throw new IllegalStateException("redis-server on port " + port + " did not start: " + describeFailure(), e);
        }
        while (!ping()) {
            if (!started.isAlive() || System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("redis-server on port " + port + " does not answer PING: " + describeFailure());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // between connection attempts only
        }
    }

    /** Kills the server (SIGKILL, like a crash) and waits for it to exit. Idempotent. */
    public synchronized void stop() {
        kill();
    }

    public int port() { return port; }

    /** {@code redis://127.0.0.1:<port>/0}. */
    public String url() { return "redis://127.0.0.1:" + port + "/0"; }

    public synchronized boolean isRunning() { return process != null && process.isAlive(); }

    /**
     * Runs {@code redis-cli -h 127.0.0.1 -p <port> <args>} and returns its standard output. Arguments pass
     * through the platform's argument encoding: keep them ASCII, and use {@link #cliWithInput} for exact bytes.
     *
     * @throws IllegalStateException when redis-cli fails or takes more than 15 s
     */
    public String cli(String... args) {
        return cliWithInput(null, args);
    }

    /**
     * Runs {@code redis-cli -h 127.0.0.1 -p <port> -x <args>}: the bytes of {@code lastArgument} are read from
     * standard input and appended as the last argument, exactly (binary, large, non-ASCII). With {@code null},
     * like {@link #cli}.
     */
    public String cliWithInput(byte[] lastArgument, String... args) {
        List<String> command = new ArrayList<>(List.of(cliBinary, "-h", "127.0.0.1", "-p", String.valueOf(port)));
        if (lastArgument != null) command.add("-x");
        command.addAll(List.of(args));
        try {
            Process cli = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(cli.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(cli.getErrorStream()));
            try (OutputStream in = cli.getOutputStream()) {
                if (lastArgument != null) in.write(lastArgument);
            }
            if (!cli.waitFor(CLI_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                cli.destroyForcibly();
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + " took more than " + CLI_TIMEOUT_MS + " ms");
            }
            String stdout = new String(out.get(CLI_TIMEOUT_MS, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            if (cli.exitValue() != 0) {
                String stderr = new String(err.get(CLI_TIMEOUT_MS, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + " exited with " + cli.exitValue() + ": "
                        + stderr.strip() + " " + stdout.strip());
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed: " + e, e);
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) return;
        kill();
        closed = true;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    @Override
    public String toString() { return "redis-server on 127.0.0.1:" + port; }

    // ------------------------------------------------------------------ internals

    private void kill() {
        Process p = process;
        if (p == null) return;
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("redis-server on port " + port + " did not exit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(p);
        process = null;
    }

    private boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = socket.getInputStream().readNBytes(reply, 0, reply.length);
            String answer = new String(reply, 0, n, StandardCharsets.US_ASCII);
            return answer.equals("+PONG\r\n") || answer.startsWith("-NOAUTH"); // up, with --requirepass
        } catch (IOException e) {
            return false;
        }
    }

    private void pump(Process p, CompletableFuture<Void> ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (logTail) {
                    logTail.addLast(line);
                    if (logTail.size() > 40) logTail.removeFirst();
                }
                if (line.contains("Ready to accept connections")) ready.complete(null);
            }
        } catch (IOException ignored) {
            // the process went away
        }
        ready.completeExceptionally(new IllegalStateException("redis-server exited"));
    }

    private String describeFailure() {
        synchronized (logTail) {
            return "its output ends with:\n  " + String.join("\n  ", logTail);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String binary(String env, String name) {
        String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (Files.isExecutable(Path.of(fromEnv))) return fromEnv;
            throw new IllegalStateException("$" + env + " is " + fromEnv + ", which is not an executable file");
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
            }
        }
        Path fallback = Path.of("/usr/bin", name);
        if (Files.isExecutable(fallback)) return fallback.toString();
        throw new IllegalStateException(name + " not found on the PATH or at " + fallback
                + ": install it with `apt-get install redis-server` (which brings redis-cli), or set $" + env);
    }

    /** A free port below the ephemeral range (so no client socket takes it while the server is down), never 6379. */
    private static int freePort() {
        int ephemeralLow = 32768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            ephemeralLow = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: keep the usual default
        }
        int low = 20000;
        int high = Math.max(low + 1000, ephemeralLow);
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(low, high);
            if (candidate != 6379 && bindable(candidate)) return candidate;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
