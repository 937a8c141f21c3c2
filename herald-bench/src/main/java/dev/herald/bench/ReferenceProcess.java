package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tutorial's Node server ({@code clients/reference/tutorial-server.mjs}: socket.io 4.8 + ioredis,
 * {@code PSUBSCRIBE *}, {@code io.emit(channel + ':' + event, data)} to every socket), run with the system's
 * {@code node}. Clients do not subscribe: they listen to {@code <channel>:<event>} as the tutorial's page does.
 */
final class ReferenceProcess implements Target {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChildProcess process;
    private final int port;

    ReferenceProcess(Path home, String redisUrl, int port, Path log) throws IOException, InterruptedException {
        Path clients = home.resolve("clients");
        if (!Files.isDirectory(clients.resolve("node_modules/ioredis")) || !Files.isDirectory(clients.resolve("node_modules/socket.io"))) {
            npmCi(clients);
        }
        this.port = port;
        this.process = new ChildProcess("reference", List.of("node", "--expose-gc", "reference/tutorial-server.mjs",
                Integer.toString(port), redisUrl), clients, log);
        try {
            process.awaitLine(l -> l.contains("\"event\":\"listening\""), 30_000);
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    private static void npmCi(Path clients) throws IOException, InterruptedException {
        System.err.println("bench: installing the locked npm packages (npm ci in " + clients + ") ...");
        int exit = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(clients.toFile()).inheritIO().start().waitFor();
        if (exit != 0) throw new IllegalStateException("npm ci failed in " + clients + " (exit " + exit + ")");
    }

    @Override public String name() { return "reference"; }
    @Override public int port() { return port; }
    @Override public long pid() { return process.pid(); }
    @Override public boolean subscribes() { return false; }
    @Override public boolean isAlive() { return process.isAlive(); }

    /** SIGUSR2: the server runs gc() and prints process.memoryUsage(); the V8 heap in use is returned. */
    @Override
    public long heapAfterGc() throws IOException, InterruptedException {
        process.signal("USR2");
        JsonNode memory = JSON.readTree(process.awaitLine(l -> l.contains("\"event\":\"memory\""), 30_000));
        return memory.path("heapUsed").asLong(-1);
    }

    @Override
    public void close() { process.close(); }
}
