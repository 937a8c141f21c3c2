package dev.herald.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Broker;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerConfig;
import dev.herald.socketio.testing.NodeScript;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One in-process {@link HeraldServer} (in-memory broker, free port) per test class, node scripts closed after
 * each test, and the hub checked empty after each test: whatever a test's clients did, once they are gone the
 * server holds nothing of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelayTestBase {

    static final String API_KEY = "relay-test-key-0123";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    HeraldServer server;
    HttpClient http;
    private final List<NodeScript> scripts = new ArrayList<>();

    /** The broker of the server; {@code null}: the one the configuration names (the in-memory broker). */
    Broker broker() {
        return null;
    }

    /** The server's configuration; the port is replaced by a free one. */
    ServerConfig config() {
        return ServerConfig.defaults(API_KEY);
    }

    @BeforeAll
    void startServer() {
        NodeScript.ensureInstalled();
        Broker broker = broker();
        // A short heartbeat: a killed polling client (no GET pending at that moment) is noticed in seconds, not 45 s.
        ServerConfig config = config().withPort(0).withPing(Duration.ofSeconds(2), Duration.ofSeconds(3));
        server = (broker == null ? new HeraldServer(config) : new HeraldServer(config, broker)).start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stopServer() {
        if (server != null) server.close();
    }

    @AfterEach
    void closeClientsAndCheckNothingIsLeft() {
        for (NodeScript script : scripts) script.close();
        scripts.clear();
        awaitHubEmpty();
    }

    /** Waits until the hub has no channel, no subscriber and the server no Engine.IO session. */
    void awaitHubEmpty() {
        await().alias("hub empty after the clients left")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    assertThat(server.node().channelCounts()).as("channelCounts").isEmpty();
                    assertThat(server.node().stats().subscribers()).as("subscribers").isZero();
                    assertThat(server.node().stats().channels()).as("channels").isZero();
                    assertThat(server.socketIo().connectionCount()).as("Engine.IO sessions").isZero();
                });
    }

    /** A channel name no other test uses. */
    static String unique(String prefix) {
        return prefix + "." + UNIQUE.incrementAndGet();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Starts a script; it is closed after the test. */
    NodeScript script(String script, String... args) {
        NodeScript s = NodeScript.start(script, args);
        scripts.add(s);
        return s;
    }

    NodeScript socketIoClient(String... args) {
        List<String> all = new ArrayList<>();
        all.add(baseUrl());
        all.addAll(List.of(args));
        return script("relay/socketio-client.mjs", all.toArray(String[]::new));
    }

    NodeScript echoClient(String... args) {
        List<String> all = new ArrayList<>(List.of(baseUrl(), "--app-id", server.config().appId(), "--api-key", API_KEY));
        all.addAll(List.of(args));
        return script("relay/echo-client.mjs", all.toArray(String[]::new));
    }

    NodeScript tutorialClient(String channel, String... args) {
        List<String> all = new ArrayList<>(List.of("127.0.0.1", String.valueOf(server.port()), channel));
        all.addAll(List.of(args));
        return script("relay/tutorial-client.mjs", all.toArray(String[]::new));
    }

    // ------------------------------------------------------------------ publishing

    /** Publishes in-process, through the node (and its broker). */
    void publish(String channel, String event, String data) {
        publish(channel, event, data, null);
    }

    void publish(String channel, String event, String data, String socket) {
        server.node().publish(new Publication(ChannelName.of(channel), event, data, socket)).toCompletableFuture().join();
    }

    /** Publishes through the HTTP API ({@code POST /apps/{appId}/events}); asserts 200. */
    void publishHttp(String channel, String event, String data, String socketId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("channel", channel);
        body.put("name", event);
        try {
            body.set("data", JSON.readTree(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (socketId != null) body.put("socket_id", socketId);
        HttpResponse<String> response = post("/apps/" + server.config().appId() + "/events", body.toString());
        assertThat(response.statusCode()).as("POST events: %s", response.body()).isEqualTo(200);
    }

    HttpResponse<String> post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ waiting on the server

    /** Waits until the hub counts {@code n} subscribers on a channel (with the memory broker: live). */
    void awaitSubscribers(String channel, int n) {
        await().alias(n + " subscribers on " + channel)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> server.node().subscriberCount(ChannelName.of(channel)) == n);
    }

    /** Waits until the server's main namespace has a socket with this id. */
    void awaitSocket(String id) {
        await().alias("socket " + id + " on the server")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> server.socketIo().namespace("/").socket(id) != null);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
