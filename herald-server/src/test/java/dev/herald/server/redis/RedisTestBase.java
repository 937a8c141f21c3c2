package dev.herald.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.redis.testing.RedisServer;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerConfig;
import dev.herald.socketio.testing.NodeScript;
import dev.herald.wire.ChannelName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Redis end to end: one real {@code redis-server} per test class (free port, never 6379), in-process
 * {@link HeraldServer}s on free ports using it as their broker, and the repository's Node clients
 * ({@code clients/relay/*.mjs}: the real {@code socket.io-client} 4 and {@code laravel-echo} 2).
 *
 * <p>Servers live for the class; clients are closed after each test, and then every server must hold nothing of
 * them (no channel, no Engine.IO session) and Redis no subscription of theirs. A test that stopped Redis and failed
 * before restarting it gets Redis restarted for the next one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RedisTestBase {

    public static final String API_KEY = "redis-e2e-key-0123";
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration WAIT = Duration.ofSeconds(30);

    /** What Laravel's RedisBroadcaster publishes for {@code OrderPaid(42)} with {@code broadcastAs() = 'order.paid'}. */
    public static final String ORDER_PAID_42 = "{\"event\":\"order.paid\",\"data\":{\"orderId\":42,\"socket\":null},\"socket\":null}";

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    protected RedisServer redis;
    protected HttpClient http;
    private final List<HeraldServer> servers = new CopyOnWriteArrayList<>();
    private final List<NodeScript> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startRedis() {
        NodeScript.ensureInstalled();
        redis = new RedisServer().start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stopEverything() {
        try {
            closeClients();
            for (HeraldServer server : servers) {
                try {
                    server.close();
                } catch (RuntimeException e) {
                    System.err.println("closing " + server.port() + ": " + e);
                }
            }
            servers.clear();
        } finally {
            if (redis != null) redis.close();
        }
    }

    @AfterEach
    void closeClientsAndCheckNothingIsLeft() {
        closeClients();
        if (redis != null && !redis.isRunning()) redis.start(); // a restart test failed half-way
        for (HeraldServer server : servers) awaitIdle(server);
        if (redis != null) {
            // Every server unsubscribed what its clients had: no Redis channel subscription is left (patterns stay).
            await().alias("no Redis channel subscription left")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(redis.cli("PUBSUB", "CHANNELS").strip()).as("PUBSUB CHANNELS").isEmpty());
        }
    }

    private void closeClients() {
        for (NodeScript client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                System.err.println("closing " + client + ": " + e);
            }
        }
        clients.clear();
    }

    /** Once its clients are gone a server holds no channel and no session, and Redis no subscription of theirs. */
    protected void awaitIdle(HeraldServer server) {
        await().alias("server on port " + server.port() + " idle after the clients left")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> {
                    assertThat(server.node().channelCounts()).as("channelCounts").isEmpty();
                    assertThat(server.node().stats().subscribers()).as("subscribers").isZero();
                    assertThat(server.socketIo().connectionCount()).as("Engine.IO sessions").isZero();
                });
    }

    // ------------------------------------------------------------------ servers

    /** Herald's defaults with this class's Redis as broker ({@code --redis-prefix}, {@code --redis-subscribe pattern}). */
    protected ServerConfig redisConfig(String prefix, boolean pattern) {
        return ServerConfig.defaults(API_KEY).withPort(0).withRedis(redis.url(), prefix, pattern);
    }

    /** Starts a server on a free port; it is closed after the class. */
    protected HeraldServer startServer(ServerConfig config) {
        HeraldServer server = new HeraldServer(config.withPort(0)).start();
        servers.add(server);
        return server;
    }

    /** Whether a server receives by {@code PSUBSCRIBE <prefix>*} (asked for, or forced by legacy broadcast-all). */
    protected static boolean patternMode(HeraldServer server) {
        return server.config().redisUrl() != null && (server.config().redisPattern() || server.config().legacyBroadcastAll());
    }

    protected static String baseUrl(HeraldServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    /** A channel name no other test uses. */
    protected static String unique(String prefix) {
        return prefix + "." + UNIQUE.incrementAndGet();
    }

    // ------------------------------------------------------------------ clients

    /** Starts {@code clients/<script>}, waited for up to {@link #WAIT}; it is closed after the test. */
    protected NodeScript client(String script, List<String> args) {
        NodeScript client = NodeScript.start(WAIT, script, args);
        clients.add(client);
        return client;
    }

    /** {@code clients/relay/socketio-client.mjs <url> --transports t [more]}: plain socket.io-client sockets. */
    protected NodeScript socketIoClient(HeraldServer server, String transports, String... more) {
        List<String> args = new ArrayList<>(List.of(baseUrl(server), "--transports", transports));
        args.addAll(List.of(more));
        return client("relay/socketio-client.mjs", args);
    }

    /**
     * {@code clients/relay/echo-client.mjs}: the unmodified laravel-echo, {@code Echo.channel(c).listen(l, cb)}.
     * Readiness is checked on the server ({@link #awaitLive}), not by the script.
     */
    protected NodeScript echoClient(HeraldServer server, String transports, String channel, String listen) {
        return client("relay/echo-client.mjs", List.of(baseUrl(server), "--transports", transports,
                "--channel", channel, "--listen", listen,
                "--ready-by", "api", "--app-id", server.config().appId(), "--api-key", API_KEY));
    }

    /** {@code clients/relay/tutorial-client.mjs 127.0.0.1 <port> <channel> [more]}: the tutorial's login page. */
    protected NodeScript tutorialClient(HeraldServer server, String channel, String... more) {
        List<String> args = new ArrayList<>(List.of("127.0.0.1", String.valueOf(server.port()), channel));
        args.addAll(List.of(more));
        return client("relay/tutorial-client.mjs", args);
    }

    /** socketio-client's lines: an event named {@code event} on {@code channel} (echo format). */
    protected static Predicate<JsonNode> socketEvent(int socket, String event, String channel) {
        return l -> "event".equals(l.path("type").asText()) && l.path("socket").asInt(-1) == socket
                && event.equals(l.path("event").asText()) && channel.equals(l.path("channel").asText());
    }

    /** echo-client's lines: a listener call on {@code channel}. */
    protected static Predicate<JsonNode> echoEvent(String channel) {
        return l -> "event".equals(l.path("type").asText()) && channel.equals(l.path("channel").asText());
    }

    // ------------------------------------------------------------------ Redis

    /** {@code redis-cli PUBLISH <redisChannel> <message>}; returns how many Redis clients received it. */
    protected long redisPublish(String redisChannel, String message) {
        return Long.parseLong(redis.cli("PUBLISH", redisChannel, message).trim());
    }

    /** {@code PUBSUB NUMSUB <redisChannel>}: how many Redis connections subscribe to it. */
    protected long numsub(String redisChannel) {
        String[] out = redis.cli("PUBSUB", "NUMSUB", redisChannel).trim().split("\\R");
        return Long.parseLong(out[out.length - 1].trim());
    }

    /** {@code PUBSUB NUMPAT}: how many patterns are subscribed, all connections together. */
    protected long numpat() {
        return Long.parseLong(redis.cli("PUBSUB", "NUMPAT").trim());
    }

    /**
     * Waits until {@code subscribers} sockets are subscribed to {@code channel} on the server and Redis delivers
     * that channel to it: in per-channel mode Redis has the server's SUBSCRIBE of {@code <prefix><channel>}, in
     * pattern mode a pattern (with the in-memory broker, the subscription count alone). A PUBLISH after this reaches
     * every one of them.
     */
    protected void awaitLive(HeraldServer server, String channel, int subscribers) {
        String key = server.config().redisPrefix() + channel;
        await().alias(subscribers + " live subscriber(s) of " + channel + " on port " + server.port())
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> server.node().subscriberCount(ChannelName.of(channel)) == subscribers
                        && (server.config().redisUrl() == null || (patternMode(server) ? numpat() >= 1 : numsub(key) >= 1)));
    }

    // ------------------------------------------------------------------ HTTP

    protected HttpResponse<String> get(HeraldServer server, String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl(server) + path)).GET());
    }

    protected HttpResponse<String> post(HeraldServer server, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl(server) + path))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST /apps/<appId>/events} with laravel-echo-server's body. */
    protected HttpResponse<String> postEvent(HeraldServer server, String channel, String name, String data) {
        String body = "{\"channel\":" + quote(channel) + ",\"name\":" + quote(name) + ",\"data\":" + data + "}";
        return post(server, "/apps/" + server.config().appId() + "/events", body);
    }

    /** {@code GET /health}'s {@code malformed} object as a map. */
    protected Map<String, Long> healthMalformed(HeraldServer server) {
        HttpResponse<String> response = get(server, "/health");
        JsonNode malformed = json(response.body()).path("malformed");
        return JSON.convertValue(malformed, JSON.getTypeFactory().constructMapType(Map.class, String.class, Long.class));
    }

    protected static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
