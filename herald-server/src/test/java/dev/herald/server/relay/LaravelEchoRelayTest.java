package dev.herald.server.relay;

import static dev.herald.socketio.testing.NodeScript.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.testing.NodeScript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real, unmodified {@code laravel-echo} 2.x ({@code broadcaster: 'socket.io'}, {@code client: io}) against
 * Herald: {@code Echo.channel('orders').listen('.order.paid', cb)} as a Laravel page writes it
 * ({@code clients/relay/echo-client.mjs}).
 */
class LaravelEchoRelayTest extends RelayTestBase {

    /** Nested data, unicode (an astral emoji too), escapes, null, booleans, numbers: must arrive unchanged. */
    static final String ORDER_PAID = "{\"order\":{\"id\":42,\"total\":\"19.99\",\"amount\":1999,\"paid\":true,"
            + "\"coupon\":null,\"items\":[{\"sku\":\"A-1\",\"qty\":2},{\"sku\":\"B-2\",\"qty\":1}]},"
            + "\"message\":\"Zahlung erhalten – 支付成功 🎉 \\\"quoted\\\" back\\\\slash\\nnew line\",\"socket\":null}";

    @ParameterizedTest(name = "transports: {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void echoReceivesOrderPaidOnOrders(String transports) {
        NodeScript echo = echoClient("--transports", transports, "--channel", "orders", "--listen", ".order.paid");
        JsonNode open = echo.await("open");
        echo.await("ready");

        publishHttp("orders", "order.paid", ORDER_PAID, null);

        JsonNode event = echo.await("event");
        assertThat(event.path("channel").asText()).isEqualTo("orders");
        assertThat(event.path("listen").asText()).isEqualTo(".order.paid");
        assertThat(event.get("data")).isEqualTo(json(ORDER_PAID));
        assertThat(event.path("raw").asText()).as("JSON.stringify(data) in the browser").isEqualTo(ORDER_PAID);
        switch (transports) {
            case "websocket" -> assertThat(open.path("transport").asText()).isEqualTo("websocket");
            case "polling" -> {
                assertThat(event.path("transport").asText()).isEqualTo("polling");
                assertThat(echo.linesOfType("upgrade")).isEmpty();
            }
            default -> {
                assertThat(open.path("transport").asText()).as("default starts on polling").isEqualTo("polling");
                assertThat(echo.await("upgrade").path("transport").asText()).isEqualTo("websocket");
            }
        }
        assertThat(echo.linesOfType("event")).hasSize(1);
    }

    /**
     * Browsers connect on polling and upgrade (Echo's default). After the upgrade the session's writes cross
     * from the event loop of the polling connection to the WebSocket's: a burst must still arrive completely,
     * in order, at once (not at the next ping, 25 s later). Several clients, so that some WebSocket lands on a
     * loop other than its session's.
     */
    @Test
    void aBurstReachesUpgradedEchoClientsCompletelyAndInOrder() {
        int clients = 4;
        List<NodeScript> echos = new java.util.ArrayList<>();
        for (int c = 0; c < clients; c++) {
            echos.add(echoClient("--transports", "default", "--channel", "orders", "--listen", ".order.paid",
                    "--expect", String.valueOf(clients)));
        }
        for (NodeScript echo : echos) {
            echo.await("ready");
            echo.await("upgrade");
        }

        int n = 200;
        for (int i = 0; i < n; i++) publish("orders", "order.paid", "{\"seq\":" + i + "}");

        for (NodeScript echo : echos) {
            List<JsonNode> events = echo.awaitCount(type("event"), n, "all " + n + " order.paid events of the burst");
            assertThat(events).extracting(e -> e.path("data").path("seq").asInt())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).boxed().toList());
            assertThat(events).allMatch(e -> e.path("transport").asText().equals("websocket"));
        }
        // a marker after everything: no duplicates arrived late
        publish("orders", "order.paid", "{\"seq\":\"end\"}");
        for (NodeScript echo : echos) {
            echo.await(l -> l.path("data").path("seq").asText().equals("end"), "the end marker");
            assertThat(echo.linesOfType("event")).hasSize(n + 1);
        }
    }

    @Test
    void readinessByMarkerEvents() {
        String channel = unique("orders");
        NodeScript echo = echoClient("--transports", "websocket", "--ready-by", "marker", "--channel", channel,
                "--listen", ".order.paid");
        echo.await("connect");
        // publish markers until the client has seen one: from then on its subscription is provably live
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            publish(channel, "herald.ready", "{}");
            return !echo.linesOfType("ready").isEmpty();
        });
        publish(channel, "order.paid", "{\"id\":1}");
        JsonNode event = echo.await("event");
        assertThat(event.path("channel").asText()).isEqualTo(channel);
        assertThat(event.get("data")).isEqualTo(json("{\"id\":1}"));
    }

    @Test
    void eventsOfOtherNamesAndChannelsDoNotReachTheListener() {
        NodeScript echo = echoClient("--transports", "websocket", "--channel", "orders", "--listen", ".order.paid");
        echo.await("ready");

        publish("orders", "order.shipped", "{\"other\":\"name\"}");
        publish("orders.1", "order.paid", "{\"other\":\"channel\"}");
        publish("orders", "order.paid", "{\"id\":2}");

        echo.await("event");
        assertThat(echo.linesOfType("event")).extracting(l -> l.get("data")).containsExactly(json("{\"id\":2}"));
    }

    /** Without broadcastAs() Laravel sends the class name; Echo's .listen('OrderShipped') namespaces it. */
    @Test
    void classNamedEventsReachListenWithoutTheLeadingDot() {
        NodeScript echo = echoClient("--transports", "polling", "--listen", "OrderShipped", "--listen", ".App\\Events\\OrderShipped");
        echo.await("ready");
        publishHttp("orders", "App\\Events\\OrderShipped", "{\"id\":9}", null);

        List<JsonNode> events = echo.awaitCount(type("event"), 2, "both listeners");
        assertThat(events).extracting(l -> l.path("listen").asText())
                .containsExactlyInAnyOrder("OrderShipped", ".App\\Events\\OrderShipped");
        assertThat(events).allMatch(l -> l.get("data").equals(json("{\"id\":9}")));
    }

    @Test
    void toOthersSkipsTheSocketEchoReportsAsItsId() {
        NodeScript a = echoClient("--transports", "websocket", "--expect", "2");
        NodeScript b = echoClient("--transports", "polling", "--expect", "2");
        String aId = a.await("ready").path("id").asText();
        String bId = b.await("ready").path("id").asText();
        awaitSocket(aId);
        awaitSocket(bId);

        // Laravel's broadcast(...)->toOthers(): the X-Socket-ID of the page that caused it, here a's
        publishHttp("orders", "order.paid", "{\"n\":1}", aId);
        publish("orders", "order.paid", "{\"n\":2}", bId);
        publish("orders", "order.paid", "{\"n\":3}");

        a.awaitCount(type("event"), 2, "events");
        b.awaitCount(type("event"), 2, "events");
        assertThat(a.linesOfType("event")).extracting(l -> l.path("data").path("n").asInt()).containsExactly(2, 3);
        assertThat(b.linesOfType("event")).extracting(l -> l.path("data").path("n").asInt()).containsExactly(1, 3);
    }

    @Test
    void echoLeaveUnsubscribesOnTheServer() {
        String keep = unique("keep");
        NodeScript echo = echoClient("--transports", "websocket", "--channel", "orders", "--channel", keep);
        echo.await("ready");
        assertThat(server.node().channelCounts()).containsEntry("orders", 1).containsEntry(keep, 1);

        echo.send(java.util.Map.of("op", "leave", "channel", "orders"));

        await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> !server.node().channelCounts().containsKey("orders"));
        assertThat(server.node().channelCounts()).containsOnlyKeys(keep);
        publish(keep, "order.paid", "{\"still\":true}");
        assertThat(echo.await("event").path("channel").asText()).isEqualTo(keep);
    }
}
