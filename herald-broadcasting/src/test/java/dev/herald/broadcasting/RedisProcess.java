package dev.herald.broadcasting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} child process for tests: 127.0.0.1, a free port below the ephemeral range (never
 * 6379, and stable across {@link #stop()}/{@link #start()}), no persistence. (herald-redis has a fuller harness; this
 * one keeps herald-broadcasting's tests free of that module.)
 */
final class RedisProcess implements AutoCloseable {

    private final int port = freePort();
    private final Path dir;
    private Process process;

    RedisProcess() {
        try {
            dir = Files.createTempDirectory("herald-broadcasting-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized RedisProcess start() {
        try {
            process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-server (apt-get install redis-server): " + e, e);
        }
        await("redis-server on port " + port).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(this::ping);
        return this;
    }

    /** Kills the server (like a crash) and waits for it to exit. */
    synchronized void stop() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    int port() { return port; }

    String url() { return "redis://127.0.0.1:" + port; }

    boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }

    /** A port nobody listens on now, between 20000 and 32000 (below Linux's ephemeral range). */
    static int freePort() {
        for (int i = 0; i < 200; i++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IllegalStateException("no free port");
    }
}
