package dev.herald.server.relay;

import static dev.herald.socketio.testing.NodeScript.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.testing.NodeScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay's protocol with the plain {@code socket.io-client} ({@code clients/relay/socketio-client.mjs}):
 * subscribe acks, toOthers, unsubscribe, cleanup on disconnect, refused channels.
 */
class SocketIoRelayTest extends RelayTestBase {

    private static Predicate<JsonNode> ackWithTag(String tag) {
        return l -> l.path("type").asText().equals("ack") && l.path("tag").asText().equals(tag);
    }

    private static Predicate<JsonNode> eventOf(int socket) {
        return l -> l.path("type").asText().equals("event") && l.path("socket").asInt() == socket;
    }

    private static Map<String, Object> command(String op, int socket, String channel, String tag) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("op", op);
        c.put("socket", socket);
        c.put("channel", channel);
        c.put("tag", tag);
        return c;
    }

    @ParameterizedTest(name = "transports: {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void theSubscribeAckMeansLive(String transports) {
        NodeScript client = socketIoClient("--transports", transports);
        client.await("all-ready");
        for (int i = 0; i < 10; i++) {
            String channel = unique("live");
            client.send(command("subscribe", 0, channel, "s" + i));
            JsonNode ack = client.await(ackWithTag("s" + i), "ack s" + i);
            assertThat(ack.get("ack")).isEqualTo(json("{\"channel\":\"" + channel + "\",\"ok\":true}"));
            // published the moment the ack is seen: must be delivered
            publish(channel, "order.paid", "{\"i\":" + i + "}");
            JsonNode event = client.await(l -> eventOf(0).test(l) && l.path("channel").asText().equals(channel), "event on " + channel);
            assertThat(event.path("event").asText()).isEqualTo("order.paid");
            assertThat(event.get("args")).isEqualTo(json("[\"" + channel + "\",{\"i\":" + i + "}]"));
        }
        assertThat(client.linesOfType("event")).hasSize(10);
    }

    /** Large events with multi-byte characters, several in one polling response: intact, in order. */
    @ParameterizedTest(name = "transports: {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void largeEventsArriveIntact(String transports) {
        String channel = unique("large");
        NodeScript client = socketIoClient("--transports", transports, "--socket", channel);
        client.await("all-ready");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String text = ("支付成功 🎉 ü " + i + " ").repeat(12_000); // ~200 KB of UTF-8 each
            String data = JSON.createObjectNode().put("i", i).put("text", text).toString();
            sent.add(data);
            if (i % 2 == 0) publish(channel, "big", data); else publishHttp(channel, "big", data, null);
        }
        List<JsonNode> events = client.awaitCount(eventOf(0), 4, "large events");
        for (int i = 0; i < 4; i++) assertThat(events.get(i).get("data")).isEqualTo(json(sent.get(i)));
    }

    @Test
    void toOthersLeavesOutTheOriginatingSocketOnly() {
        String channel = unique("orders");
        NodeScript client = socketIoClient("--transports", "websocket", "--socket", channel, "--socket", channel, "--socket", channel);
        JsonNode ready = client.await("all-ready");
        String id0 = ready.get("ids").get(0).asText();
        String id1 = ready.get("ids").get(1).asText();

        publishHttp(channel, "order.paid", "{\"n\":1}", id0);
        publish(channel, "order.paid", "{\"n\":2}", id1);
        publish(channel, "order.paid", "{\"n\":3}", "no-such-socket");
        publish(channel, "order.paid", "{\"n\":4}"); // marker, to everyone

        for (int s = 0; s < 3; s++) {
            int socket = s;
            client.await(l -> eventOf(socket).test(l) && l.path("data").path("n").asInt() == 4, "marker at socket " + s);
        }
        assertThat(received(client, 0)).containsExactly(2, 3, 4);
        assertThat(received(client, 1)).containsExactly(1, 3, 4);
        assertThat(received(client, 2)).containsExactly(1, 2, 3, 4);
    }

    private static List<Integer> received(NodeScript client, int socket) {
        return client.lines(eventOf(socket)).stream().map(l -> l.path("data").path("n").asInt()).toList();
    }

    @ParameterizedTest(name = "transports: {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void unsubscribeStopsDelivery(String transports) {
        String a = unique("a");
        String b = unique("b");
        NodeScript client = socketIoClient("--transports", transports, "--socket", a + "," + b);
        client.await("all-ready");
        publish(a, "e", "{\"n\":1}");
        client.await(eventOf(0), "first event");

        client.send(command("unsubscribe", 0, a, "u"));
        assertThat(client.await(ackWithTag("u"), "unsubscribe ack").get("ack"))
                .isEqualTo(json("{\"channel\":\"" + a + "\",\"ok\":true}"));
        assertThat(server.node().channelCounts()).containsOnlyKeys(b);

        publish(a, "e", "{\"n\":2}");
        publish(b, "e", "{\"n\":3}"); // marker on the same socket, after
        client.await(l -> eventOf(0).test(l) && l.path("data").path("n").asInt() == 3, "marker");
        assertThat(received(client, 0)).containsExactly(1, 3);
    }

    @Test
    void subscribingTwiceIsOneSubscription() {
        String channel = unique("twice");
        NodeScript client = socketIoClient("--transports", "websocket", "--socket", channel + "," + channel);
        client.await("all-ready");
        client.send(command("subscribe", 0, channel, "again"));
        client.await(ackWithTag("again"), "ack");
        assertThat(server.node().channelCounts()).containsEntry(channel, 1);

        publish(channel, "e", "{\"n\":1}");
        publish(channel, "e", "{\"n\":2}");
        client.await(l -> eventOf(0).test(l) && l.path("data").path("n").asInt() == 2, "second event");
        assertThat(received(client, 0)).containsExactly(1, 2);
    }

    @ParameterizedTest(name = "transports: {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void disconnectLeavesNothingInTheHub(String transports) {
        String shared = unique("shared");
        String own0 = unique("own");
        String own1 = unique("own");
        NodeScript client = socketIoClient("--transports", transports, "--socket", shared + "," + own0, "--socket", shared + "," + own1);
        client.await("all-ready");
        assertThat(server.node().channelCounts()).containsEntry(shared, 2).containsEntry(own0, 1).containsEntry(own1, 1);
        assertThat(server.node().stats().subscribers()).isEqualTo(2);

        // a clean disconnect of socket 0
        client.send(Map.of("op", "disconnect", "socket", 0));
        client.await(l -> type("disconnect").test(l) && l.path("socket").asInt() == 0, "disconnect of socket 0");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            assertThat(server.node().channelCounts()).containsOnly(Map.entry(shared, 1), Map.entry(own1, 1));
            assertThat(server.node().stats().subscribers()).isEqualTo(1);
        });
        // then the process dies without a goodbye
        client.kill();
        awaitHubEmpty();
    }

    @Test
    void privateAndPresenceChannelsAreRefusedWith403() {
        NodeScript client = socketIoClient("--transports", "websocket");
        client.await("all-ready");
        List<String> guarded = List.of("private-orders.1", "presence-chat.1", "private-encrypted-secret", "private-App.Models.User.7");
        for (String channel : guarded) client.send(command("subscribe", 0, channel, channel));

        for (String channel : guarded) {
            JsonNode ack = client.await(ackWithTag(channel), "ack of " + channel).get("ack");
            assertThat(ack.path("channel").asText()).isEqualTo(channel);
            assertThat(ack.path("ok").asBoolean()).isFalse();
            assertThat(ack.path("error").asText()).isNotBlank();
            JsonNode error = client.await(l -> eventOf(0).test(l) && l.path("event").asText().equals("subscription_error")
                    && l.get("args").get(0).asText().equals(channel), "subscription_error of " + channel);
            assertThat(error.get("args").get(1).asInt()).isEqualTo(403);
            assertThat(error.get("args").get(2).asText()).isEqualTo(ack.path("error").asText());
        }
        assertThat(server.node().channelCounts()).isEmpty();
        assertThat(server.relay().refusedCount()).isGreaterThanOrEqualTo(guarded.size());
        // and nothing published to them reaches the socket: marker on a public channel afterwards
        String open = unique("open");
        client.send(command("subscribe", 0, open, "open"));
        client.await(ackWithTag("open"), "ack");
        for (String channel : guarded) publish(channel, "e", "{\"secret\":true}");
        publish(open, "e", "{\"marker\":true}");
        client.await(l -> eventOf(0).test(l) && l.path("event").asText().equals("e"), "marker");
        assertThat(client.lines(l -> eventOf(0).test(l) && l.path("event").asText().equals("e")))
                .extracting(l -> l.path("channel").asText()).containsExactly(open);
    }

    @Test
    void invalidChannelNamesAreRefusedWith400() {
        NodeScript client = socketIoClient("--transports", "polling");
        client.await("all-ready");
        List<Object> payloads = new ArrayList<>();
        payloads.add(Map.of("channel", "bad name"));
        payloads.add(Map.of("channel", ""));
        payloads.add(Map.of("channel", "x".repeat(201)));
        payloads.add(Map.of("channel", "orders/1"));
        payloads.add(Map.of("channel", "<script>"));
        payloads.add(Map.of("channel", "ordérs"));
        payloads.add(Map.of("channel", 7));
        payloads.add(Map.of("auth", Map.of()));
        payloads.add(42);
        for (int i = 0; i < payloads.size(); i++) {
            client.send(Map.of("op", "subscribe", "socket", 0, "payload", payloads.get(i), "tag", "p" + i));
        }
        for (int i = 0; i < payloads.size(); i++) {
            JsonNode ack = client.await(ackWithTag("p" + i), "ack of " + payloads.get(i)).get("ack");
            assertThat(ack.path("ok").asBoolean()).as("ok of %s", payloads.get(i)).isFalse();
            assertThat(ack.path("error").asText()).as("error of %s", payloads.get(i)).isNotBlank();
        }
        List<JsonNode> errors = client.awaitCount(l -> eventOf(0).test(l) && l.path("event").asText().equals("subscription_error"),
                payloads.size(), "subscription_error");
        assertThat(errors).extracting(l -> l.get("args").get(1).asInt()).containsOnly(400);
        assertThat(server.node().channelCounts()).isEmpty();
        assertThat(server.node().stats().subscribers()).isZero();
    }

    @Test
    void aSocketHoldsAtMost100Subscriptions() {
        NodeScript client = socketIoClient("--transports", "websocket");
        client.await("all-ready");
        String prefix = unique("many");
        for (int i = 0; i <= 100; i++) client.send(command("subscribe", 0, prefix + "." + i, "m" + i));
        List<JsonNode> acks = client.awaitCount(type("ack"), 101, "acks");
        assertThat(acks.stream().filter(a -> a.path("ack").path("ok").asBoolean())).hasSize(100);
        JsonNode refused = client.await(l -> eventOf(0).test(l) && l.path("event").asText().equals("subscription_error"), "refusal");
        assertThat(refused.get("args").get(1).asInt()).isEqualTo(429);
        assertThat(server.node().channelCounts()).hasSize(100);
    }
}
