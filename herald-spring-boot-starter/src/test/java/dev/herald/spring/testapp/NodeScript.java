package dev.herald.spring.testapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.socketio.compat.NodeClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One of the repository's Node client scripts ({@code clients/relay/*.mjs}: the real npm {@code socket.io-client}) as
 * a child process: it prints one JSON object per line; closing its stdin makes it disconnect and exit. Node and
 * {@code clients/node_modules} are checked (and {@code npm ci} run when needed) by herald-socketio's
 * {@link NodeClient}.
 */
public final class NodeScript implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String description;
    private final Process process;
    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();

    private NodeScript(String description, Process process) {
        this.description = description;
        this.process = process;
        pump(process.getInputStream(), line -> {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                lines.add(JSON.getNodeFactory().textNode(line));
            }
        });
        pump(process.getErrorStream(), line -> stderr.append(line).append('\n'));
    }

    /** Starts {@code node clients/<script> <args...>}. */
    public static NodeScript start(String script, String... args) {
        NodeClient.ensureInstalled();
        var clients = NodeClient.clientsDir();
        List<String> command = new ArrayList<>(List.of("node", clients.resolve(script).toString()));
        command.addAll(List.of(args));
        try {
            return new NodeScript(String.join(" ", command), new ProcessBuilder(command).directory(clients.toFile()).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command + ": is Node.js installed?", e);
        }
    }

    public static Predicate<JsonNode> type(String type) {
        return line -> type.equals(line.path("type").asText());
    }

    /** The lines matching a predicate, in order. */
    public List<JsonNode> lines(Predicate<JsonNode> predicate) {
        return lines.stream().filter(line -> line.isObject() && predicate.test(line)).toList();
    }

    /** Waits for the first line matching a predicate; fails with the script's output when it exits first. */
    public JsonNode await(Predicate<JsonNode> predicate, String what) {
        try {
            Awaitility.await().alias(what + " from " + description).atMost(TIMEOUT).pollInterval(Duration.ofMillis(10))
                    .until(() -> !lines(predicate).isEmpty() || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "\n" + describe(), e);
        }
        List<JsonNode> found = lines(predicate);
        if (found.isEmpty()) throw new AssertionError("the script exited before " + what + "\n" + describe());
        return found.get(0);
    }

    public String describe() {
        return "--- " + description + (process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")")
                + "\n--- stdout:\n" + String.join("\n", lines.stream().map(JsonNode::toString).toList())
                + "\n--- stderr:\n" + stderr;
    }

    /** Closes stdin (the script disconnects and exits), then makes sure the process is gone. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) sink.accept(line);
            } catch (IOException e) {
                // the process is gone
            }
        }, "node-script");
        thread.setDaemon(true);
        thread.start();
    }
}
