package dev.herald.core;

import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** When and how the node asks its broker to subscribe and unsubscribe, and what the subscribe stage waits for. */
class NodeBrokerSubscriptionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ChannelName ORDERS = ChannelName.of("orders.1");
    private static final ChannelName NEWS = ChannelName.of("news");

    private final RecordingSink sink = new RecordingSink();
    private final List<Node> nodes = new ArrayList<>();

    private Node node(Broker broker) {
        Node node = new Node(broker).start();
        nodes.add(node);
        return node;
    }

    @AfterEach
    void close() {
        nodes.forEach(Node::close);
    }

    private TestSubscriber subscriber(String id) {
        return new TestSubscriber(id, sink);
    }

    private static CompletableFuture<Void> f(CompletionStage<Void> stage) {
        return stage.toCompletableFuture();
    }

    // ------------------------------------------------------------------ first in, last out

    @Test
    void brokerSubscribesOnFirstAndUnsubscribesOnLast() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker());
        Node node = node(broker);
        TestSubscriber a = subscriber("a"), b = subscriber("b"), c = subscriber("c");

        assertThat(node.subscribe(ORDERS, a)).succeedsWithin(WAIT);
        assertThat(broker.calls()).containsExactly("sub:orders.1");
        assertThat(node.subscribe(ORDERS, b)).succeedsWithin(WAIT);
        assertThat(node.subscribe(ORDERS, c)).succeedsWithin(WAIT);
        assertThat(broker.calls()).containsExactly("sub:orders.1");

        node.unsubscribe(ORDERS, a);
        node.unsubscribe(ORDERS, c);
        assertThat(broker.calls()).containsExactly("sub:orders.1");

        node.unsubscribe(ORDERS, b);
        assertThat(broker.calls()).containsExactly("sub:orders.1", "unsub:orders.1");

        assertThat(node.subscribe(ORDERS, a)).succeedsWithin(WAIT);
        assertThat(broker.calls()).containsExactly("sub:orders.1", "unsub:orders.1", "sub:orders.1");
    }

    @Test
    void repeatedSubscribeAndUnsubscribeOfTheSameSubscriberCallTheBrokerOnce() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker());
        Node node = node(broker);
        TestSubscriber a = subscriber("a");

        assertThat(node.subscribe(ORDERS, a)).succeedsWithin(WAIT);
        assertThat(node.subscribe(ORDERS, a)).succeedsWithin(WAIT);
        node.unsubscribe(ORDERS, a);
        node.unsubscribe(ORDERS, a);

        assertThat(broker.calls()).containsExactly("sub:orders.1", "unsub:orders.1");
    }

    @Test
    void unsubscribeOfANonMemberDoesNotReleaseTheChannel() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker());
        Node node = node(broker);
        TestSubscriber a = subscriber("a");
        assertThat(node.subscribe(ORDERS, a)).succeedsWithin(WAIT);

        node.unsubscribe(ORDERS, subscriber("stranger"));
        node.unsubscribe(NEWS, a);

        assertThat(broker.calls()).containsExactly("sub:orders.1");
    }

    @Test
    void disconnectReleasesEveryChannelItWasLastOn() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker());
        Node node = node(broker);
        TestSubscriber a = subscriber("a"), b = subscriber("b");
        assertThat(node.subscribe(ORDERS, a)).succeedsWithin(WAIT);
        assertThat(node.subscribe(NEWS, a)).succeedsWithin(WAIT);
        assertThat(node.subscribe(NEWS, b)).succeedsWithin(WAIT);

        node.disconnect(a);

        assertThat(broker.calls(ORDERS)).containsExactly("sub", "unsub");
        assertThat(broker.calls(NEWS)).containsExactly("sub");

        node.disconnect(b);

        assertThat(broker.calls(NEWS)).containsExactly("sub", "unsub");
        assertThat(broker.calls()).hasSize(4);
    }

    // ------------------------------------------------------------------ the subscribe stage

    @Test
    void subscribeStageWaitsForTheBrokersStage() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);

        CompletableFuture<Void> stage = f(node.subscribe(ORDERS, subscriber("a")));

        assertThat(broker.calls()).containsExactly("sub:orders.1");
        assertThat(stage).isNotDone();
        assertThat(node.subscriberCount(ORDERS)).as("the subscriber is registered at once").isEqualTo(1);

        broker.subscribeFuture(0).complete(null);

        assertThat(stage).succeedsWithin(WAIT);
    }

    @Test
    void aSecondSubscriberWaitsForTheSameLiveSubscription() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);

        CompletableFuture<Void> first = f(node.subscribe(ORDERS, subscriber("a")));
        CompletableFuture<Void> second = f(node.subscribe(ORDERS, subscriber("b")));

        assertThat(broker.calls()).as("one broker subscribe for both").containsExactly("sub:orders.1");
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        // completed from another thread, as a real broker would
        CompletableFuture.runAsync(() -> broker.subscribeFuture(0).complete(null));

        assertThat(first).succeedsWithin(WAIT);
        assertThat(second).succeedsWithin(WAIT);

        CompletableFuture<Void> third = f(node.subscribe(ORDERS, subscriber("c")));
        assertThat(third).as("live already: completes at once").isCompleted();
        assertThat(broker.calls()).containsExactly("sub:orders.1");
    }

    @Test
    void eachChannelWaitsForItsOwnBrokerStage() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);

        CompletableFuture<Void> orders = f(node.subscribe(ORDERS, subscriber("a")));
        CompletableFuture<Void> news = f(node.subscribe(NEWS, subscriber("a")));
        broker.subscribeFuture(1).complete(null);

        assertThat(news).succeedsWithin(WAIT);
        assertThat(orders).isNotDone();
        broker.subscribeFuture(0).complete(null);
        assertThat(orders).succeedsWithin(WAIT);
    }

    @Test
    void completingTheCallersStageDoesNotCompleteTheLiveSubscription() {
        // the node hands out copies: a caller that completes (or cancels) its stage must not fool the next one
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);

        f(node.subscribe(ORDERS, subscriber("a"))).complete(null);
        CompletableFuture<Void> second = f(node.subscribe(ORDERS, subscriber("b")));
        f(node.subscribe(ORDERS, subscriber("c"))).cancel(false);
        CompletableFuture<Void> fourth = f(node.subscribe(ORDERS, subscriber("d")));

        assertThat(second).isNotDone();
        assertThat(fourth).isNotDone();
        broker.subscribeFuture(0).complete(null);
        assertThat(second).succeedsWithin(WAIT);
        assertThat(fourth).succeedsWithin(WAIT);
    }

    @Test
    void aFailedBrokerSubscribeFailsTheStage() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);

        CompletableFuture<Void> first = f(node.subscribe(ORDERS, subscriber("a")));
        CompletableFuture<Void> second = f(node.subscribe(ORDERS, subscriber("b")));
        broker.subscribeFuture(0).completeExceptionally(new BrokerException("redis is down (test)"));

        for (CompletableFuture<Void> stage : List.of(first, second)) {
            assertThat(stage).failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingRootCause()
                    .isInstanceOf(BrokerException.class)
                    .withMessage("redis is down (test)");
        }
    }

    @Test
    void anAlreadyFailedBrokerSubscribeFailsTheStage() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker())
                .subscribeWith(c -> CompletableFuture.failedFuture(new BrokerException("refused (test)")));
        Node node = node(broker);

        assertThat(node.subscribe(ORDERS, subscriber("a"))).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingRootCause()
                .isInstanceOf(BrokerException.class);
    }

    @Test
    void aFailedSubscribeLeavesTheChannelWantedUntilTheLastSubscriberLeaves() {
        // Broker contract: a failed subscribe still leaves the channel wanted (the broker keeps trying) until the
        // node unsubscribes it, so the node must still unsubscribe it when its last subscriber leaves
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);
        TestSubscriber a = subscriber("a");
        CompletableFuture<Void> stage = f(node.subscribe(ORDERS, a));
        broker.subscribeFuture(0).completeExceptionally(new BrokerException("redis is down (test)"));
        assertThat(stage).failsWithin(WAIT);

        assertThat(node.subscriberCount(ORDERS)).isEqualTo(1);
        node.unsubscribe(ORDERS, a);

        assertThat(broker.calls()).containsExactly("sub:orders.1", "unsub:orders.1");
        assertThat(node.channelCounts()).isEmpty();
    }

    @Test
    void afterAFailureTheNextFirstSubscriberGetsAFreshBrokerSubscribe() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);
        TestSubscriber a = subscriber("a"), b = subscriber("b");
        CompletableFuture<Void> failed = f(node.subscribe(ORDERS, a));
        broker.subscribeFuture(0).completeExceptionally(new BrokerException("redis is down (test)"));
        assertThat(failed).failsWithin(WAIT);
        node.unsubscribe(ORDERS, a);

        CompletableFuture<Void> retry = f(node.subscribe(ORDERS, b));

        assertThat(broker.calls()).containsExactly("sub:orders.1", "unsub:orders.1", "sub:orders.1");
        assertThat(retry).isNotDone();
        broker.subscribeFuture(1).complete(null);
        assertThat(retry).succeedsWithin(WAIT);
    }

    @Test
    void aStaleBrokerStageDoesNotCompleteALaterSubscription() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);
        TestSubscriber a = subscriber("a"), b = subscriber("b");
        CompletableFuture<Void> abandoned = f(node.subscribe(ORDERS, a));
        node.unsubscribe(ORDERS, a);

        CompletableFuture<Void> later = f(node.subscribe(ORDERS, b));
        broker.subscribeFuture(0).complete(null);

        assertThat(broker.calls()).containsExactly("sub:orders.1", "unsub:orders.1", "sub:orders.1");
        assertThat(abandoned).succeedsWithin(WAIT);
        assertThat(later).as("waits for its own broker subscribe").isNotDone();
        broker.subscribeFuture(1).complete(null);
        assertThat(later).succeedsWithin(WAIT);
    }

    @Test
    void deliveryReachesSubscribersOnceTheBrokerHasThem() {
        RecordingBroker broker = new RecordingBroker(new MemoryBroker()).withPendingSubscribes();
        Node node = node(broker);
        TestSubscriber a = subscriber("a");
        CompletableFuture<Void> stage = f(node.subscribe(ORDERS, a));
        broker.subscribeFuture(0).complete(null);
        assertThat(stage).succeedsWithin(WAIT);

        assertThat(node.publish(new Publication(ORDERS, "e", "{}", null))).succeedsWithin(WAIT);

        assertThat(sink.receivedBy(a)).hasSize(1);
    }
}
