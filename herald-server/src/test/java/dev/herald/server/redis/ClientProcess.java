package dev.herald.server.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.socketio.compat.NodeClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Node.js client script of {@code clients/} (the real npm {@code socket.io-client} / {@code laravel-echo}) as a
 * child process, for the Redis end-to-end tests: the {@code clients/relay/*.mjs} scripts print one JSON object per
 * stdout line (with a {@code type}) and read JSON command lines on stdin; closing stdin makes them disconnect and
 * exit. Node and {@code clients/node_modules} are checked (and {@code npm ci} run if needed) by herald-socketio's
 * {@link NodeClient}.
 */
public final class ClientProcess implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private final String description;
    private final Process process;
    private final OutputStream stdin;
    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ClientProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdoutReader = pump(process.getInputStream(), line -> lines.add(parse(line)), description + " stdout");
        this.stderrReader = pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), description + " stderr");
    }

    /** Starts {@code node clients/<script> <args...>}. */
    public static ClientProcess start(String script, List<String> args) {
        NodeClient.ensureInstalled();
        var clients = NodeClient.clientsDir();
        List<String> command = new ArrayList<>();
        command.add(WINDOWS ? "node.exe" : "node");
        command.add(clients.resolve(script).toString());
        command.addAll(args);
        String description = "node " + script + " " + String.join(" ", args);
        try {
            return new ClientProcess(description, new ProcessBuilder(command).directory(clients.toFile()).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Node.js (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ reading

    /** The JSON lines matching a predicate, in order. */
    public List<JsonNode> lines(Predicate<JsonNode> predicate) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode line : lines) if (line.isObject() && predicate.test(line)) found.add(line);
        return found;
    }

    public static Predicate<JsonNode> type(String type) {
        return l -> type.equals(l.path("type").asText());
    }

    /** Waits for the first line of a type. */
    public JsonNode await(String type) {
        return await(type(type), "a \"" + type + "\" line");
    }

    /** Waits for the first line matching a predicate. */
    public JsonNode await(Predicate<JsonNode> predicate, String what) {
        return awaitCount(predicate, 1, what).get(0);
    }

    /** Waits until at least {@code n} lines match; fails early, with all output, when the process exits first. */
    public List<JsonNode> awaitCount(Predicate<JsonNode> predicate, int n, String what) {
        try {
            Awaitility.await().alias(what + " from " + description)
                    .atMost(TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> lines(predicate).size() >= n || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + n + " x " + what + " (have "
                    + lines(predicate).size() + ")\n" + describe(), e);
        }
        List<JsonNode> found = lines(predicate);
        if (found.size() < n) {
            joinReaders();
            found = lines(predicate);
        }
        if (found.size() < n) {
            throw new AssertionError("the script exited (code " + process.exitValue() + ") after " + found.size() + " of "
                    + n + " x " + what + "\n" + describe());
        }
        return found;
    }

    // ------------------------------------------------------------------ commands and lifecycle

    /** Sends one JSON command line. */
    public void send(Object command) {
        try {
            String line = command instanceof String s ? s : JSON.writeValueAsString(command);
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the script's stdin: " + e + "\n" + describe(), e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to exit; returns its exit code. */
    public int awaitExit() {
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the script did not exit within " + TIMEOUT + "\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted\n" + describe(), e);
        }
        joinReaders();
        return process.exitValue();
    }

    /** The command, exit status, stdout and stderr, for assertion messages. */
    public String describe() {
        StringBuilder sb = new StringBuilder("--- ").append(description);
        sb.append(process.isAlive() ? " (running)" : " (exit code " + process.exitValue() + ")");
        sb.append("\n--- stdout:\n");
        List<JsonNode> all = new ArrayList<>(lines);
        int from = Math.max(0, all.size() - 200);
        if (from > 0) sb.append("... ").append(from).append(" earlier lines\n");
        for (JsonNode line : all.subList(from, all.size())) {
            String text = line.isTextual() ? line.textValue() : line.toString();
            sb.append(text.length() > 2000 ? text.substring(0, 2000) + "..." : text).append('\n');
        }
        String err = stderr.toString();
        sb.append("--- stderr:").append(err.isEmpty() ? " (empty)\n" : "\n" + err);
        return sb.toString();
    }

    /** Closes stdin (the script disconnects and exits), then makes sure the process is gone. */
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
    public String toString() {
        return description;
    }

    // ------------------------------------------------------------------ internals

    private void joinReaders() {
        try {
            stdoutReader.join(5_000);
            stderrReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        }, "client-process " + name);
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
}
