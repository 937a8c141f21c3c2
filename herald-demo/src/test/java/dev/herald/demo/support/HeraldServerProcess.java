package dev.herald.demo.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The real {@code herald server}, as a separate process: {@code java -jar herald-server/target/herald.jar server
 * --port <free> --redis-url <url>}, up once {@code /health} answers 200 (the broker connected). Its output goes to
 * {@code target/herald-server-<port>.log}. Without herald.jar (a build of this module alone, before herald-server's
 * package phase) the calling tests are skipped, except in CI where that is a failure.
 */
public final class HeraldServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private HeraldServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static HeraldServerProcess start(String redisUrl) {
        Path jar = Path.of(System.getProperty("herald.jar", "../herald-server/target/herald.jar"));
        if (!Files.isRegularFile(jar)) {
            String message = jar + " not found: build herald-server first (./mvnw install)";
            if (System.getenv("CI") != null) Assertions.fail(message);
            Assumptions.abort(message);
        }
        int port = freePort();
        Path log = Path.of("target", "herald-server-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "server", "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--redis-url", redisUrl))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            HeraldServerProcess server = new HeraldServerProcess(process, port);
            try {
                await("herald server on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (!process.isAlive()) throw new IllegalStateException("herald server exited: see " + log);
                            return server.healthy();
                        });
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where pages connect: {@code http://localhost:<port>}. */
    public String url() {
        return "http://localhost:" + port;
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
