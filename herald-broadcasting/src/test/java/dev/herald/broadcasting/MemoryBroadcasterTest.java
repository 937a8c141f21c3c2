package dev.herald.broadcasting;

import dev.herald.broadcasting.events.OrderPaid;
import dev.herald.core.LaravelMessageParser;
import dev.herald.core.MemoryBroker;
import dev.herald.core.Node;
import dev.herald.core.Subscriber;
import dev.herald.core.DeliverySink;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The {@code memory} driver, and through it what every driver shares: timeouts, retries, failures. */
class MemoryBroadcasterTest {

    private final List<Publication> published = new CopyOnWriteArrayList<>();
    private final PublicationSink recording = publication -> {
        published.add(publication);
        return CompletableFuture.completedFuture(null);
    };

    private static Broadcaster memory(PublicationSink sink, Duration timeout, RetryPolicy retry) {
        return Broadcasters.create(BroadcastConfig.defaults().withDriver(BroadcastDriver.MEMORY).withTimeout(timeout)
                .withRetryPolicy(retry), sink);
    }

    record TwoChannels(String token) implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() { return List.of(new Channel("a"), new PrivateChannel("b")); }

        @Override
        public String broadcastAs() { return "two"; }
    }

    @Test
    void handsOnePublicationPerChannelEqualToWhatTheServerParsesFromRedis() throws Exception {
        try (Broadcaster broadcaster = Broadcasters.memory(recording)) {
            assertThat(broadcaster.driver()).isEqualTo("memory");
            broadcaster.broadcast(new TwoChannels("t/1"), BroadcastOptions.toOthers("sock"));
        }
        String data = "{\"token\":\"t\\/1\",\"socket\":\"sock\"}";
        assertThat(published).containsExactly(
                new Publication(ChannelName.of("a"), "two", data, "sock"),
                new Publication(ChannelName.of("private-b"), "two", data, "sock"));
        LaravelMessageParser parser = new LaravelMessageParser(1 << 20);
        for (Publication publication : published) {
            assertThat(parser.parse(publication.channel().value(), BroadcastEncoder.payload(publication)))
                    .isEqualTo(publication);
        }
    }

    @Test
    void deliversThroughAnEmbeddedHeraldNodeLeavingOutTheSender() {
        Map<String, List<Publication>> inbox = new ConcurrentHashMap<>();
        DeliverySink sink = (publication, targets) -> targets.forEach(target ->
                inbox.computeIfAbsent(target.id(), id -> new CopyOnWriteArrayList<>()).add(publication));
        record Browser(String id, DeliverySink sink) implements Subscriber {}
        try (Node node = new Node(new MemoryBroker()).start(); Broadcaster broadcaster = Broadcasters.memory(node::publish)) {
            node.subscribe(ChannelName.of("orders.42"), new Browser("sender", sink));
            node.subscribe(ChannelName.of("orders.42"), new Browser("other", sink));
            broadcaster.broadcast(new OrderPaid(42), BroadcastOptions.toOthers("sender"));
            await().atMost(Duration.ofSeconds(5)).until(() -> inbox.containsKey("other"));
            assertThat(inbox.get("other")).singleElement().satisfies(p -> {
                assertThat(p.event()).isEqualTo("order.paid");
                assertThat(p.data()).isEqualTo("{\"orderId\":42,\"socket\":\"sender\"}");
            });
            assertThat(inbox).doesNotContainKey("sender");
        }
    }

    /** Fails the first {@code failures} calls per channel, alternating a failed stage and a thrown exception. */
    static final class FlakySink implements PublicationSink {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final int failures;
        final String onlyChannel;

        FlakySink(int failures, String onlyChannel) {
            this.failures = failures;
            this.onlyChannel = onlyChannel;
        }

        int calls(String channel) {
            return calls.getOrDefault(channel, new AtomicInteger()).get();
        }

        @Override
        public CompletionStage<Void> publish(Publication publication) {
            String channel = publication.channel().value();
            int call = calls.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
            if ((onlyChannel == null || onlyChannel.equals(channel)) && call <= failures) {
                if (call % 2 == 0) throw new IllegalStateException("node down (call " + call + ")");
                return CompletableFuture.failedFuture(new IllegalStateException("broker refused (call " + call + ")"));
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    @Test
    void retriesTheConfiguredNumberOfTimes() {
        FlakySink sink = new FlakySink(3, null);
        try (Broadcaster broadcaster = memory(sink, Duration.ofSeconds(1), RetryPolicy.fixed(3, Duration.ofMillis(10)))) {
            broadcaster.broadcast(new OrderPaid(1));
        }
        assertThat(sink.calls("orders.1")).isEqualTo(4);
    }

    @Test
    void failsWithTheChannelAndLastCauseWhenRetriesAreExhausted() {
        FlakySink sink = new FlakySink(3, null);
        try (Broadcaster broadcaster = memory(sink, Duration.ofSeconds(1), RetryPolicy.fixed(2, Duration.ofMillis(10)))) {
            assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(1)))
                    .isInstanceOf(BroadcastException.class)
                    .hasMessage("broadcasting [order.paid] on channel [orders.1] failed after 3 attempts:"
                            + " IllegalStateException: broker refused (call 3)")
                    .satisfies(e -> {
                        BroadcastException b = (BroadcastException) e;
                        assertThat(b.channel()).isEqualTo("orders.1");
                        assertThat(b.event()).isEqualTo("order.paid");
                        assertThat(b.attempts()).isEqualTo(3);
                    });
        }
        assertThat(sink.calls("orders.1")).isEqualTo(3);
    }

    @Test
    void withoutRetryPolicyTheFirstFailureIsReported() {
        FlakySink sink = new FlakySink(1, null);
        try (Broadcaster broadcaster = Broadcasters.memory(sink)) {
            assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(1))).isInstanceOf(BroadcastException.class)
                    .hasMessageContaining("after 1 attempt:");
            broadcaster.broadcast(new OrderPaid(1)); // the sink works again
        }
        assertThat(sink.calls("orders.1")).isEqualTo(2);
    }

    @Test
    void retriesOnlyTheChannelThatFailed() {
        FlakySink sink = new FlakySink(2, "private-b");
        try (Broadcaster broadcaster = memory(sink, Duration.ofSeconds(1), RetryPolicy.fixed(5, Duration.ZERO))) {
            broadcaster.broadcast(new TwoChannels("x"));
        }
        assertThat(sink.calls("a")).isEqualTo(1);
        assertThat(sink.calls("private-b")).isEqualTo(3);
    }

    @Test
    void everyFailedChannelIsReported() {
        FlakySink sink = new FlakySink(1, null);
        try (Broadcaster broadcaster = Broadcasters.memory(sink)) {
            assertThatThrownBy(() -> broadcaster.broadcast(new TwoChannels("x")))
                    .isInstanceOf(BroadcastException.class).hasMessageContaining("channel [a]")
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                            .asString().contains("channel [private-b]"));
        }
    }

    @Test
    void retriesAreSpacedByTheDelay() {
        FlakySink sink = new FlakySink(Integer.MAX_VALUE, null);
        try (Broadcaster broadcaster = memory(sink, Duration.ofSeconds(1), RetryPolicy.fixed(2, Duration.ofMillis(150)))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(1))).isInstanceOf(BroadcastException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        assertThat(sink.calls("orders.1")).isEqualTo(3);
    }

    @Test
    void aSinkThatNeverAnswersTimesOut() {
        PublicationSink never = publication -> new CompletableFuture<>();
        try (Broadcaster broadcaster = memory(never, Duration.ofMillis(200), RetryPolicy.none())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(9))).isInstanceOf(BroadcastException.class)
                    .hasMessageContaining("channel [orders.9]").hasMessageContaining("no answer within 200 ms")
                    .hasCauseInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(180), Duration.ofSeconds(2));
        }
    }

    @Test
    void aSinkReturningNullFails() {
        try (Broadcaster broadcaster = Broadcasters.memory(publication -> null)) {
            assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(1))).isInstanceOf(BroadcastException.class)
                    .hasCauseInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void asyncCompletesAfterPublishingOrWithTheBroadcastException() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        try (Broadcaster broadcaster = Broadcasters.memory(publication -> gate)) {
            CompletableFuture<Void> done = broadcaster.broadcastAsync(new OrderPaid(1)).toCompletableFuture();
            assertThat(done).isNotDone();
            gate.complete(null);
            await().atMost(Duration.ofSeconds(5)).until(done::isDone);
            assertThat(done).isCompleted();
        }
        FlakySink sink = new FlakySink(1, null);
        try (Broadcaster broadcaster = Broadcasters.memory(sink)) {
            CompletableFuture<Void> failed = broadcaster.broadcastAsync(new OrderPaid(1)).toCompletableFuture();
            await().atMost(Duration.ofSeconds(5)).until(failed::isDone);
            assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(BroadcastException.class);
        }
    }

    @Test
    void encodingErrorsAndClosedBroadcastersFailAtOnce() {
        record Bad() implements ShouldBroadcast {
            public List<Channel> broadcastOn() { return List.of(new Channel("x")); }
            public Object broadcastWith() { return Map.of("v", Double.NaN); }
        }
        Broadcaster broadcaster = Broadcasters.memory(recording);
        assertThatThrownBy(() -> broadcaster.broadcast(new Bad())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> broadcaster.broadcastAsync(new Bad())).isInstanceOf(IllegalArgumentException.class);
        broadcaster.close();
        assertThatThrownBy(() -> broadcaster.broadcast(new OrderPaid(1))).isInstanceOf(IllegalStateException.class);
        assertThat(published).isEmpty();
    }

    @Test
    void memoryDriverNeedsASink() {
        BroadcastConfig config = BroadcastConfig.defaults().withDriver(BroadcastDriver.MEMORY);
        assertThatThrownBy(() -> Broadcasters.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Broadcasters.memory(sink)");
    }
}
