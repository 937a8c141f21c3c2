package dev.herald.socketio.testing;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One of the {@code clients/} scripts (real npm {@code socket.io-client} / {@code laravel-echo}) as a child
 * process: every stdout line is a JSON object (the relay scripts' have a {@code type}, the compat client's an
 * {@code event} or a final {@code result}); commands go to its stdin as JSON lines; closing stdin makes a relay
 * script disconnect and exit. Shared, through this module's test-jar, by herald-socketio's compatibility tests
 * and herald-server's relay, Redis and broadcasting tests.
 *
 * <p>{@code node} and {@code npm} must be on the PATH (a missing Node.js fails the test with a clear message);
 * {@code clients/node_modules} is installed with {@code npm ci} on first use when a package is missing.
 */
public final class NodeScript implements AutoCloseable {

    /** How long {@link #start(String, String...)}'s scripts are waited for (lines, exit). */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    private static final List<String> REQUIRED = List.of("socket.io-client", "laravel-echo");
    private static final Object INSTALL_LOCK = new Object();
    private static volatile boolean installed;

    private final String description;
    private final Duration timeout;
    private final Process process;
    private final OutputStream stdin;
    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private NodeScript(String description, Duration timeout, Process process) {
        this.description = description;
        this.timeout = timeout;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdoutReader = pump(process.getInputStream(), line -> lines.add(parse(line)), description + " stdout");
        this.stderrReader = pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), description + " stderr");
    }

    /** Starts {@code node clients/<script> <args...>}, e.g. {@code start("relay/echo-client.mjs", url, "--channel", "orders")}. */
    public static NodeScript start(String script, String... args) {
        return start(TIMEOUT, script, List.of(args));
    }

    /** Starts {@code node clients/<script> <args...>}, waiting up to {@code timeout} for its lines and its exit. */
    public static NodeScript start(Duration timeout, String script, List<String> args) {
        ensureInstalled();
        Path clients = clientsDir();
        List<String> command = new ArrayList<>();
        command.add(WINDOWS ? "node.exe" : "node");
        command.add(clients.resolve(script).toString());
        command.addAll(args);
        String description = "node " + script + " " + String.join(" ", args);
        try {
            return new NodeScript(description, timeout, new ProcessBuilder(command).directory(clients.toFile()).start());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start Node.js (" + String.join(" ", command)
                    + "): is `node` (Node 20+) installed and on the PATH? " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ locating and installing

    /** The repository's {@code clients/} directory: walks up from {@code user.dir}. */
    public static Path clientsDir() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("clients");
            if (Files.isRegularFile(candidate.resolve("package.json"))) return candidate;
        }
        throw new IllegalStateException("No clients/package.json found in " + start + " or any parent directory");
    }

    private static boolean allPresent(Path clients) {
        return REQUIRED.stream().allMatch(p -> Files.isRegularFile(clients.resolve("node_modules").resolve(p).resolve("package.json")));
    }

    /** Runs {@code npm ci} in {@code clients/} once per JVM if a required package is missing. */
    public static void ensureInstalled() {
        if (installed) return;
        synchronized (INSTALL_LOCK) {
            if (installed) return;
            Path clients = clientsDir();
            if (!allPresent(clients)) {
                List<String> command = List.of(WINDOWS ? "npm.cmd" : "npm", "ci", "--no-audit", "--no-fund");
                Process npm;
                try {
                    npm = new ProcessBuilder(command).directory(clients.toFile()).redirectErrorStream(true).start();
                } catch (IOException e) {
                    throw new IllegalStateException("npm is required to install clients/node_modules: is `npm` on the PATH? "
                            + e.getMessage(), e);
                }
                StringBuffer output = new StringBuffer();
                Thread reader = pump(npm.getInputStream(), line -> output.append(line).append('\n'), "npm ci");
                try {
                    if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                        npm.destroyForcibly();
                        throw new IllegalStateException("`npm ci` in " + clients + " did not finish in 5 minutes:\n" + output);
                    }
                    reader.join(5_000);
                } catch (InterruptedException e) {
                    npm.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted during npm ci", e);
                }
                if (npm.exitValue() != 0 || !allPresent(clients)) {
                    throw new IllegalStateException("`npm ci` in " + clients + " failed (exit " + npm.exitValue() + "):\n" + output);
                }
            }
            installed = true;
        }
    }

    private static Thread pump(InputStream in, Consumer<String> sink, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) sink.accept(line);
            } catch (IOException e) {
                // the process is gone
            }
        }, "node-script " + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : TextNode.valueOf(line);
        } catch (IOException e) {
            return TextNode.valueOf(line);
        }
    }

    // ------------------------------------------------------------------ reading

    /** Every line so far (non-JSON lines as text nodes). */
    public List<JsonNode> lines() { return new ArrayList<>(lines); }

    /** The lines matching a predicate, in order. */
    public List<JsonNode> lines(Predicate<JsonNode> predicate) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode line : lines) if (line.isObject() && predicate.test(line)) found.add(line);
        return found;
    }

    /** The lines of a type, in order. */
    public List<JsonNode> linesOfType(String type) { return lines(l -> type.equals(l.path("type").asText())); }

    /** Predicate: {@code type} equals. */
    public static Predicate<JsonNode> type(String type) { return l -> type.equals(l.path("type").asText()); }

    /** Waits for the first line of a type. */
    public JsonNode await(String type) { return await(type(type), "a \"" + type + "\" line"); }

    /** Waits for the first line matching a predicate. */
    public JsonNode await(Predicate<JsonNode> predicate, String what) {
        return awaitCount(predicate, 1, what).get(0);
    }

    /**
     * Waits until at least {@code n} lines match and returns them all. Fails early, with all output, when the
     * process exits first.
     */
    public List<JsonNode> awaitCount(Predicate<JsonNode> predicate, int n, String what) {
        try {
            Awaitility.await().alias(what + " from " + description)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> lines(predicate).size() >= n || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out after " + timeout + " waiting for " + n + " x " + what + " (have "
                    + lines(predicate).size() + ")\n" + describe(), e);
        }
        List<JsonNode> found = lines(predicate);
        if (found.size() < n) {
            joinReaders();
            found = lines(predicate);
        }
        if (found.size() < n) {
            throw new AssertionError("The script exited (code " + process.exitValue() + ") after " + found.size()
                    + " of " + n + " x " + what + "\n" + describe());
        }
        return found;
    }

    // ------------------------------------------------------------------ commands and lifecycle

    /** Sends one command line to the script's stdin. */
    public void send(Object command) {
        try {
            String line = command instanceof String s ? s : JSON.writeValueAsString(command);
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the script's stdin: " + e + "\n" + describe(), e);
        }
    }

    public boolean isAlive() { return process.isAlive(); }

    /** Waits for the process to exit; returns its exit code. */
    public int awaitExit() {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("The script did not exit within " + timeout + "\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted\n" + describe(), e);
        }
        joinReaders();
        return process.exitValue();
    }

    /** Kills the process abruptly (SIGKILL): its connections end without a Socket.IO/Engine.IO goodbye. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        joinReaders();
    }

    private void joinReaders() {
        try {
            stdoutReader.join(5_000);
            stderrReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command, exit status, stdout and stderr, for assertion messages. */
    public String describe() {
        StringBuilder sb = new StringBuilder("--- ").append(description);
        sb.append(process.isAlive() ? " (running)" : " (exit code " + process.exitValue() + ")");
        sb.append("\n--- stdout:\n");
        List<JsonNode> all = lines();
        int from = Math.max(0, all.size() - 400);
        if (from > 0) sb.append("... ").append(from).append(" earlier lines\n");
        for (JsonNode line : all.subList(from, all.size())) {
            String text = line.isTextual() ? line.textValue() : line.toString();
            sb.append(text.length() > 2000 ? text.substring(0, 2000) + "..." : text).append('\n');
        }
        String err = stderr.toString();
        sb.append("--- stderr:").append(err.isEmpty() ? " (empty)\n" : "\n" + err);
        return sb.toString();
    }

    /** Closes stdin (the script disconnects and exits 0), then makes sure the process is gone. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        joinReaders();
    }

    @Override
    public String toString() { return description; }
}
