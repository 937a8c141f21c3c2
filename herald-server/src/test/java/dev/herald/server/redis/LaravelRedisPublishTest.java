package dev.herald.server.redis;

import static dev.herald.socketio.testing.NodeScript.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.HeraldServer;
import dev.herald.socketio.testing.NodeScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What Laravel's RedisBroadcaster does, done with the real {@code redis-cli}:
 * {@code PUBLISH <prefix>orders {"event":"order.paid","data":{"orderId":42,"socket":null},"socket":null}}, reaches a
 * subscribed plain {@code socket.io-client} and an unmodified {@code laravel-echo} 2
 * ({@code Echo.channel('orders').listen('.order.paid', cb)}), over WebSocket only, long-polling only, and the
 * default polling-then-upgrade, with Laravel ≤10's prefix, Laravel 11's, and none; data arrives byte for byte.
 */
class LaravelRedisPublishTest extends RedisTestBase {

    static final List<String> TRANSPORTS = List.of("websocket", "polling", "default");
    static final List<String> LARAVEL_PREFIXES = List.of("laravel_database_", "laravel-database-", "");
    static final String DATA_42 = "{\"orderId\":42,\"socket\":null}";
    static final String DATA_43 = "{\"orderId\":43,\"socket\":null}";

    private final Map<String, HeraldServer> servers = new HashMap<>();

    private HeraldServer server(String prefix, boolean pattern) {
        return servers.computeIfAbsent(prefix + "|" + pattern, k -> startServer(redisConfig(prefix, pattern)));
    }

    @ParameterizedTest(name = "--redis-prefix ''{0}'', pattern mode {1}")
    @CsvSource({"laravel_database_, false", "laravel-database-, false", "'', false", "laravel-database-, true"})
    void redisCliPublishReachesSocketIoClientAndLaravelEchoOnEveryTransport(String prefix, boolean pattern) {
        HeraldServer server = server(prefix, pattern);
        String channel = "orders";

        List<NodeScript> sockets = new ArrayList<>();
        List<NodeScript> echoes = new ArrayList<>();
        for (String transports : TRANSPORTS) {
            sockets.add(socketIoClient(server, transports, "--socket", channel));
            echoes.add(echoClient(server, transports, channel, ".order.paid"));
        }
        for (NodeScript socket : sockets) {
            assertThat(socket.await("ack").path("ack").path("ok").asBoolean()).as("subscribe acknowledged").isTrue();
            socket.await("all-ready");
        }
        awaitLive(server, channel, 6);

        assertThat(redisPublish(prefix + channel, ORDER_PAID_42)).as("Redis receivers").isGreaterThanOrEqualTo(1);
        // The same message under the other prefixes is another Redis channel: never delivered.
        for (String other : LARAVEL_PREFIXES) {
            if (!other.equals(prefix)) redisPublish(other + channel, ORDER_PAID_42.replace("42", "0"));
        }
        // The last one: once it arrived, everything before it on this channel has arrived too.
        redisPublish(prefix + channel, ORDER_PAID_42.replace("42", "43"));

        for (int i = 0; i < TRANSPORTS.size(); i++) {
            String transports = TRANSPORTS.get(i);

            NodeScript socket = sockets.get(i);
            List<JsonNode> events = socket.awaitCount(socketEvent(0, "order.paid", channel), 2, "order.paid twice");
            assertThat(socket.lines(type("event"))).as("%s: every event received", socket).hasSize(2);
            assertThat(events.get(0).path("args").toString()).as("socket.io args over %s", transports)
                    .isEqualTo("[\"orders\"," + DATA_42 + "]");
            assertThat(events.get(1).path("data").toString()).isEqualTo(DATA_43);
            assertTransport(socket, transports);

            NodeScript echo = echoes.get(i);
            List<JsonNode> calls = echo.awaitCount(echoEvent(channel), 2, "two listener calls");
            assertThat(echo.lines(type("event"))).as("%s: every listener call", echo).hasSize(2);
            assertThat(calls.get(0).path("listen").asText()).isEqualTo(".order.paid");
            assertThat(calls.get(0).path("raw").asText()).as("JSON.stringify(data) in Echo's callback over %s", transports)
                    .isEqualTo(DATA_42);
            assertThat(calls.get(1).path("raw").asText()).isEqualTo(DATA_43);
            assertTransport(echo, transports);
        }
    }

    private static void assertTransport(NodeScript client, String transports) {
        JsonNode open = client.await("open");
        switch (transports) {
            case "websocket" -> assertThat(open.path("transport").asText()).as("%s opened on", client).isEqualTo("websocket");
            case "polling" -> {
                assertThat(open.path("transport").asText()).as("%s opened on", client).isEqualTo("polling");
                assertThat(client.lines(type("upgrade"))).as("%s upgrades", client).isEmpty();
            }
            default -> {
                assertThat(open.path("transport").asText()).as("%s opened on", client).isEqualTo("polling");
                assertThat(client.await("upgrade").path("transport").asText()).isEqualTo("websocket");
            }
        }
    }
}
