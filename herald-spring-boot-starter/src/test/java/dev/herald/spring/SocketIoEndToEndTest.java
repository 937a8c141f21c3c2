package dev.herald.spring;

import static dev.herald.socketio.testing.NodeScript.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.testing.NodeScript;
import dev.herald.spring.testapp.OrderPaid;
import dev.herald.spring.testapp.OrderService;
import dev.herald.spring.testapp.TestApplication;
import dev.herald.wire.ChannelName;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * End to end through a real Socket.IO client: the npm {@code socket.io-client} ({@code clients/relay/socketio-client.mjs})
 * subscribes on the embedded Herald server, as a page would; the application publishes {@code ShouldBroadcast} events
 * with {@code ApplicationEventPublisher} inside H2 transactions. The page gets what was committed, in order, and never
 * what was rolled back.
 */
@SpringBootTest(classes = TestApplication.class, properties = {
        "herald.server.embedded=true", "herald.server.port=0", "herald.server.host=127.0.0.1"})
class SocketIoEndToEndTest {

    @Autowired EmbeddedHerald herald;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate transactions;
    @Autowired OrderService orders;

    @Test
    void aPageGetsCommittedEventsOnlyAndToOthersLeavesOutTheSender() {
        String channel = "orders.e2e";
        try (NodeScript pages = NodeScript.start("relay/socketio-client.mjs", "http://127.0.0.1:" + herald.port(),
                "--transports", "websocket", "--socket", channel, "--socket", channel)) {
            JsonNode ready = pages.await(type("all-ready"), "both sockets subscribed");
            assertThat(pages.lines(type("ack"))).hasSize(2)
                    .allSatisfy(ack -> assertThat(ack.path("ack").path("ok").asBoolean()).as(ack.toString()).isTrue());
            assertThat(herald.node().subscriberCount(ChannelName.of(channel))).isEqualTo(2);
            String sender = ready.path("ids").path(0).asText();

            transactions.executeWithoutResult(status -> events.publishEvent(new OrderPaid(1, channel)));
            transactions.executeWithoutResult(status -> {
                events.publishEvent(new OrderPaid(2, channel));
                status.setRollbackOnly();
            });
            orders.pay(3, channel);
            transactions.executeWithoutResult(status -> events.publishEvent(new ToOthers(new OrderPaid(4, channel), sender)));
            events.publishEvent(new OrderPaid(5, channel)); // no transaction: at once; the last one

            for (int socket = 0; socket < 2; socket++) {
                int index = socket;
                pages.await(line -> isOrder(line, index, channel) && line.path("data").path("orderId").asInt() == 5,
                        "order 5 on socket " + index);
            }
            List<Integer> socket0 = orderIds(pages, 0, channel);
            List<Integer> socket1 = orderIds(pages, 1, channel);
            assertThat(socket0).as("the sender (%s): no rollback, 4 was toOthers", sender).containsExactly(1, 3, 5);
            assertThat(socket1).as("the other page").containsExactly(1, 3, 4, 5);

            JsonNode first = pages.lines(line -> isOrder(line, 1, channel)).get(0);
            assertThat(first.path("event").asText()).isEqualTo("order.paid");
            assertThat(first.path("data").toString()).isEqualTo("{\"orderId\":1,\"status\":\"paid\",\"socket\":null}");
            JsonNode fourth = pages.lines(line -> isOrder(line, 1, channel)).get(2);
            assertThat(fourth.path("data").path("socket").asText()).isEqualTo(sender);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(herald.node().subscriberCount(ChannelName.of(channel))).as("pages gone").isZero());
    }

    private static boolean isOrder(JsonNode line, int socket, String channel) {
        return "event".equals(line.path("type").asText()) && line.path("socket").asInt() == socket
                && "order.paid".equals(line.path("event").asText()) && channel.equals(line.path("channel").asText());
    }

    private static List<Integer> orderIds(NodeScript pages, int socket, String channel) {
        return pages.lines(line -> isOrder(line, socket, channel)).stream()
                .map(line -> line.path("data").path("orderId").asInt()).toList();
    }
}
