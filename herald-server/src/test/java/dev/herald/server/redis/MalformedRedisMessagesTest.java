package dev.herald.server.redis;

import static dev.herald.socketio.testing.NodeScript.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.HeraldServer;
import dev.herald.socketio.testing.NodeScript;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever else is published on Redis (not JSON, a JSON array, no event, no data, a bad channel name, a message over
 * the size limit, invalid UTF-8, ...) is counted by kind ({@code GET /health} → {@code malformed}, and
 * {@code node().stats().malformed()}) and skipped; the server stays up, the pages stay connected and receive nothing
 * of it, and a valid message published afterwards is delivered as usual.
 */
class MalformedRedisMessagesTest extends RedisTestBase {

    static final String VALID = "{\"event\":\"order.paid\",\"data\":{\"orderId\":7,\"socket\":null},\"socket\":null}";

    private final Map<Boolean, HeraldServer> servers = new HashMap<>();

    /**
     * Started by the test that uses it, so that the pattern-mode server (no prefix, {@code PSUBSCRIBE *}: the only
     * mode in which a channel name Herald would never subscribe reaches it) does not also count the per-channel
     * test's messages while its own counts are taken.
     */
    private HeraldServer server(boolean patternMode) {
        return servers.computeIfAbsent(patternMode, p -> startServer(p ? redisConfig("", true) : redisConfig("laravel_database_", false)));
    }

    @ParameterizedTest(name = "pattern mode {0}")
    @ValueSource(booleans = {false, true})
    void malformedMessagesAreCountedAndSkipped(boolean patternMode) {
        HeraldServer server = server(patternMode);
        String key = server.config().redisPrefix() + unique("orders");
        String channel = key.substring(server.config().redisPrefix().length());
        NodeScript socket = socketIoClient(server, "websocket", "--socket", channel);
        NodeScript echo = echoClient(server, "polling", channel, ".order.paid");
        socket.await("all-ready");
        awaitLive(server, channel, 2);
        Map<String, Long> before = healthMalformed(server);
        assertThat(before).isEqualTo(server.node().stats().malformed());

        Map<String, Long> expected = new TreeMap<>();
        publish(expected, "not-json", key, "this is not json");
        publish(expected, "not-json", key, "{\"event\":\"order.paid\",\"data\":{\"orderId\":1}");        // truncated
        publish(expected, "not-object", key, "[\"order.paid\",{\"orderId\":1}]");
        publish(expected, "not-object", key, "\"order.paid\"");
        publish(expected, "missing-event", key, "{\"data\":{\"orderId\":1,\"socket\":null},\"socket\":null}");
        publish(expected, "missing-data", key, "{\"event\":\"order.paid\",\"socket\":null}");
        publish(expected, "invalid-event", key, "{\"event\":42,\"data\":{\"orderId\":1}}");
        publish(expected, "invalid-event", key, "{\"event\":\"\",\"data\":{\"orderId\":1}}");
        publish(expected, "invalid-socket", key, "{\"event\":\"order.paid\",\"data\":{\"orderId\":1},\"socket\":5}");
        // Exact bytes through redis-cli -x: invalid UTF-8 inside the event name, and a valid message over the limit.
        publishBytes(expected, "not-json", key, concat("{\"event\":\"order.", new byte[] {(byte) 0xC3, (byte) 0x28},
                "\",\"data\":{},\"socket\":null}"));
        int limit = server.config().maxPayload();
        publishBytes(expected, "too-large", key, ("{\"event\":\"order.paid\",\"data\":{\"blob\":\"" + "x".repeat(limit + 10)
                + "\",\"socket\":null},\"socket\":null}").getBytes(StandardCharsets.UTF_8));
        if (patternMode) {
            // Only PSUBSCRIBE * receives channels Herald never subscribes: "bad channel" is no valid channel name.
            publish(expected, "invalid-channel", "bad channel", VALID);
        }
        assertThat(redisPublish(key, VALID)).isGreaterThanOrEqualTo(1);

        JsonNode delivered = socket.await(socketEvent(0, "order.paid", channel), "the valid message");
        assertThat(delivered.path("data").toString()).isEqualTo("{\"orderId\":7,\"socket\":null}");
        JsonNode call = echo.await(echoEvent(channel), "the valid message in Echo");
        assertThat(call.path("raw").asText()).isEqualTo("{\"orderId\":7,\"socket\":null}");

        // The valid message came last on the same Redis connection: every malformed one was handled before it.
        Map<String, Long> delta = delta(before, healthMalformed(server));
        assertThat(delta).as("GET /health malformed, since the test began").isEqualTo(expected);
        assertThat(delta(before, server.node().stats().malformed())).as("node stats").isEqualTo(expected);
        assertThat(socket.lines(type("event"))).as("socket.io-client got nothing else").hasSize(1);
        assertThat(echo.lines(type("event"))).as("Echo got nothing else").hasSize(1);
        assertThat(socket.lines(type("disconnect"))).isEmpty();
        assertThat(echo.lines(type("disconnect"))).isEmpty();
        assertThat(get(server, "/health").statusCode()).as("the server is fine").isEqualTo(200);
        assertThat(json(get(server, "/health").body()).path("connections").asInt()).isEqualTo(2);

        // And it goes on: another valid message is delivered.
        redisPublish(key, VALID.replace("7", "8"));
        socket.awaitCount(socketEvent(0, "order.paid", channel), 2, "the second valid message");
        echo.awaitCount(echoEvent(channel), 2, "the second valid message in Echo");
    }

    private void publish(Map<String, Long> expected, String kind, String redisChannel, String message) {
        redisPublish(redisChannel, message);
        expected.merge(kind, 1L, Long::sum);
    }

    private void publishBytes(Map<String, Long> expected, String kind, String redisChannel, byte[] message) {
        String receivers = redis.cliWithInput(message, "PUBLISH", redisChannel).trim();
        assertThat(Long.parseLong(receivers)).as("receivers of %s", kind).isGreaterThanOrEqualTo(1);
        expected.merge(kind, 1L, Long::sum);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((kind, count) -> {
            long d = count - before.getOrDefault(kind, 0L);
            if (d != 0) delta.put(kind, d);
        });
        return delta;
    }
}
