package dev.herald.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Broker;
import dev.herald.core.BrokerException;
import dev.herald.core.BrokerListener;
import dev.herald.core.MemoryBroker;
import dev.herald.socketio.testing.NodeScript;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The relay and the API over a broker whose subscriptions take time or fail (as Redis's can): a subscribe
 * ack means live, a failed subscription is refused and leaves nothing behind, a failing broker shows in
 * {@code /health} and in publish responses.
 */
class BrokerPathsTest extends RelayTestBase {

    /** The memory broker, except: {@code slow.*} subscriptions complete when the test says, {@code fail.*} ones fail, publishing to {@code down.*} fails. */
    static final class ControllableBroker implements Broker {
        final MemoryBroker delegate = new MemoryBroker();
        final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        final List<String> unsubscribed = new CopyOnWriteArrayList<>();
        volatile boolean healthy = true;

        @Override public void start(BrokerListener listener) { delegate.start(listener); }

        @Override public CompletionStage<Void> publish(Publication publication) {
            if (publication.channel().value().startsWith("down.")) {
                return CompletableFuture.failedFuture(new BrokerException("broker unreachable (test)"));
            }
            return delegate.publish(publication);
        }

        @Override public CompletionStage<Void> subscribe(ChannelName channel) {
            if (channel.value().startsWith("slow.")) return pending.computeIfAbsent(channel.value(), c -> new CompletableFuture<>());
            if (channel.value().startsWith("fail.")) return CompletableFuture.failedFuture(new BrokerException("SUBSCRIBE failed (test)"));
            return delegate.subscribe(channel);
        }

        @Override public CompletionStage<Void> unsubscribe(ChannelName channel) {
            unsubscribed.add(channel.value());
            return delegate.unsubscribe(channel);
        }

        @Override public boolean isHealthy() { return healthy && delegate.isHealthy(); }

        @Override public String describe() { return "controllable"; }

        @Override public void close() { delegate.close(); }
    }

    final ControllableBroker broker = new ControllableBroker();

    @Override
    Broker broker() {
        return broker;
    }

    private static Predicate<JsonNode> ack(String tag) {
        return l -> l.path("type").asText().equals("ack") && l.path("tag").asText().equals(tag);
    }

    @Test
    void theAckWaitsUntilTheBrokerSubscriptionIsLive() {
        String channel = unique("slow.orders");
        NodeScript client = socketIoClient("--transports", "websocket", "--socket", "", "--socket", "");
        client.await("all-ready");

        client.send(Map.of("op", "subscribe", "socket", 0, "channel", channel, "tag", "first"));
        await().atMost(WAIT).until(() -> broker.pending.containsKey(channel));
        client.send(Map.of("op", "subscribe", "socket", 1, "channel", channel, "tag", "second"));
        awaitSubscribers(channel, 2);
        // the broker has not confirmed: neither socket may be told it is subscribed
        client.send(Map.of("op", "subscribe", "socket", 0, "channel", unique("fast"), "tag", "later"));
        client.await(ack("later"), "the ack of a later, fast subscription");
        assertThat(client.lines(ack("first").or(ack("second")))).isEmpty();

        broker.pending.get(channel).complete(null);
        assertThat(client.await(ack("first"), "first ack").path("ack").path("ok").asBoolean()).isTrue();
        assertThat(client.await(ack("second"), "second ack").path("ack").path("ok").asBoolean()).isTrue();
        publish(channel, "order.paid", "{\"live\":true}");
        client.awaitCount(l -> l.path("type").asText().equals("event") && l.path("channel").asText().equals(channel), 2, "event at both sockets");
    }

    @Test
    void aFailedBrokerSubscriptionIsRefusedWith503AndLeavesNothing() {
        String channel = unique("fail.orders");
        NodeScript client = socketIoClient("--transports", "polling");
        client.await("all-ready");
        client.send(Map.of("op", "subscribe", "socket", 0, "channel", channel, "tag", "f"));

        JsonNode ack = client.await(ack("f"), "ack").get("ack");
        assertThat(ack.path("ok").asBoolean()).isFalse();
        assertThat(ack.path("error").asText()).contains("SUBSCRIBE failed");
        JsonNode error = client.await(l -> l.path("event").asText().equals("subscription_error"), "subscription_error");
        assertThat(error.get("args").get(0).asText()).isEqualTo(channel);
        assertThat(error.get("args").get(1).asInt()).isEqualTo(503);
        assertThat(server.node().channelCounts()).doesNotContainKey(channel);
        assertThat(broker.unsubscribed).as("the broker is told to forget the channel").contains(channel);
    }

    @Test
    void aFailingBrokerShowsInHealthAndPublishResponses() throws Exception {
        HttpResponse<String> publish = post("/apps/herald/events", "{\"channel\":\"down.orders\",\"name\":\"e\",\"data\":{}}");
        assertThat(publish.statusCode()).isEqualTo(503);
        assertThat(json(publish.body()).path("error").asText()).contains("publish failed").contains("broker unreachable");

        broker.healthy = false;
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(json(health.body()).path("status").asText()).isEqualTo("degraded");
            assertThat(json(health.body()).path("brokerHealthy").asBoolean()).isFalse();
            assertThat(json(health.body()).path("broker").asText()).isEqualTo("controllable");
        } finally {
            broker.healthy = true;
        }
    }
}
