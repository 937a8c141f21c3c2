package dev.herald.socketio.compat;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one scenario of {@code clients/compat/client.mjs} (the real npm {@code socket.io-client})
 * as a child process and collects its output.
 *
 * <p>The script prints one JSON object per stdout line: progress lines {@code {"event":...}} and a
 * final {@code {"result":"ok"|"fail",...}} line; it exits 0 on success and 1 on failure.
 *
 * <p>{@code node} and {@code npm} must be on the PATH: a missing Node.js fails the test with a
 * clear message instead of skipping it. {@code clients/node_modules} is installed with
 * {@code npm ci} on first use if it is missing.
 */
public final class NodeClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object INSTALL_LOCK = new Object();
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static volatile boolean installed;

    private final String description;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private NodeClient(String description, Process process) {
        this.description = description;
        this.process = process;
        this.stdoutReader = pump(process.getInputStream(), lines::add, description + " stdout");
        this.stderrReader = pump(process.getErrorStream(),
                line -> stderr.append(line).append('\n'), description + " stderr");
    }

    /**
     * Starts {@code node clients/compat/client.mjs <scenario> <baseUrl> <jsonOptions>}.
     *
     * @param jsonOptions a JSON object such as {@code {"transports":["websocket"]}}, or {@code {}}
     */
    public static NodeClient start(String scenario, String baseUrl, String jsonOptions) {
        ensureInstalled();
        Path clients = clientsDir();
        List<String> command = List.of(nodeExecutable(), clients.resolve("compat").resolve("client.mjs").toString(),
                scenario, baseUrl, jsonOptions);
        ProcessBuilder builder = new ProcessBuilder(command).directory(clients.toFile());
        String description = "client.mjs " + scenario + " " + baseUrl + " " + jsonOptions;
        try {
            return new NodeClient(description, builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start Node.js (" + String.join(" ", command)
                    + "): is `node` (Node 18+) installed and on the PATH? " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ locating and installing

    /** The repository's {@code clients/} directory: walks up from {@code user.dir}. */
    public static Path clientsDir() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("clients");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No clients/package.json found in " + start + " or any parent directory");
    }

    /** Runs {@code npm ci} in {@code clients/} once per JVM if {@code node_modules} is missing. */
    public static void ensureInstalled() {
        if (installed) {
            return;
        }
        synchronized (INSTALL_LOCK) {
            if (installed) {
                return;
            }
            Path clients = clientsDir();
            checkNode();
            if (!Files.isRegularFile(clients.resolve("node_modules/socket.io-client/package.json"))) {
                runNpmCi(clients);
            }
            installed = true;
        }
    }

    private static void checkNode() {
        ProcessResult version = run(List.of(nodeExecutable(), "--version"), clientsDir(), Duration.ofSeconds(30),
                "Node.js is required for the socket.io-client compatibility tests: is `node` installed and on the PATH?");
        if (version.exitCode() != 0) {
            throw new IllegalStateException("`node --version` failed (exit " + version.exitCode() + "):\n" + version.output());
        }
    }

    private static void runNpmCi(Path clients) {
        List<String> command = List.of(WINDOWS ? "npm.cmd" : "npm", "ci", "--no-audit", "--no-fund");
        ProcessResult result = run(command, clients, NPM_CI_TIMEOUT,
                "npm is required to install clients/node_modules: is `npm` installed and on the PATH?");
        if (result.exitCode() != 0) {
            throw new IllegalStateException("`npm ci` in " + clients + " failed (exit " + result.exitCode() + "):\n"
                    + result.output());
        }
        if (!Files.isRegularFile(clients.resolve("node_modules/socket.io-client/package.json"))) {
            throw new IllegalStateException("`npm ci` in " + clients + " did not install socket.io-client:\n"
                    + result.output());
        }
    }

    private record ProcessResult(int exitCode, String output) {
    }

    /** Runs a short command to completion, stdout and stderr merged. */
    private static ProcessResult run(List<String> command, Path dir, Duration timeout, String missingMessage) {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(missingMessage + " (" + String.join(" ", command) + ": "
                    + e.getMessage() + ")", e);
        }
        StringBuffer output = new StringBuffer();
        Thread reader = pump(process.getInputStream(), line -> output.append(line).append('\n'),
                String.join(" ", command));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", command) + "` did not finish within "
                        + timeout + ":\n" + output);
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
        return new ProcessResult(process.exitValue(), output.toString());
    }

    private static String nodeExecutable() {
        return WINDOWS ? "node.exe" : "node";
    }

    private static Thread pump(InputStream in, Consumer<String> sink, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The process was destroyed: nothing more to read.
            }
        }, "node-client " + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    // ------------------------------------------------------------------ waiting and results

    /**
     * Waits until a stdout line is a JSON object whose {@code event} field equals {@code event}
     * and returns it. Fails early, with all output, if the process exits first.
     */
    public JsonNode awaitEvent(String event, Duration timeout) {
        return awaitLine(node -> event.equals(node.path("event").asText(null)), "event \"" + event + "\"", timeout);
    }

    /** Waits until a stdout JSON line matches {@code predicate}; fails with all output otherwise. */
    public JsonNode awaitLine(Predicate<JsonNode> predicate, String what, Duration timeout) {
        try {
            await().alias("node client " + what)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> findLine(predicate).isPresent() || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out after " + timeout + " waiting for " + what + "\n" + describe(), e);
        }
        Optional<JsonNode> found = findLine(predicate);
        if (found.isEmpty()) {
            joinReaders();
            found = findLine(predicate);
        }
        return found.orElseThrow(() -> new AssertionError(
                "The node client exited (code " + process.exitValue() + ") without printing " + what + "\n"
                        + describe()));
    }

    private Optional<JsonNode> findLine(Predicate<JsonNode> predicate) {
        for (String line : lines) {
            JsonNode node = parse(line);
            if (node != null && predicate.test(node)) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Waits for the process to exit and for all of its output to be read.
     *
     * @return the exit code
     * @throws AssertionError with all output if it does not exit within {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("The node client did not exit within " + timeout + "\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the node client\n" + describe(), e);
        }
        joinReaders();
        return process.exitValue();
    }

    private void joinReaders() {
        try {
            stdoutReader.join(5_000);
            stderrReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** All stdout lines read so far. */
    public List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Everything read from stderr so far. */
    public String stderr() {
        return stderr.toString();
    }

    /** The final {@code {"result":...}} line, if printed yet. */
    public Optional<JsonNode> result() {
        return findLine(node -> node.has("result"));
    }

    /** The command, exit status, stdout lines and stderr, for assertion messages. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(description);
        if (process.isAlive()) {
            sb.append(" (still running)");
        } else {
            sb.append(" (exit code ").append(process.exitValue()).append(')');
        }
        sb.append("\n--- stdout:\n");
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        String err = stderr.toString();
        sb.append("--- stderr:").append(err.isEmpty() ? " (empty)\n" : "\n" + err);
        return sb.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        joinReaders();
    }

    @Override
    public String toString() {
        return description;
    }
}
