package dev.herald.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Routing through a {@link Node} on a {@link MemoryBroker}: who gets what, and the counters. */
class NodeTest {

    private static final ChannelName ORDERS = ChannelName.of("orders.1");
    private static final ChannelName CHAT = ChannelName.of("presence-chat.1");
    private static final ChannelName NEWS = ChannelName.of("news");

    private final RecordingBroker broker = new RecordingBroker(new MemoryBroker());
    private final Node node = new Node(broker);
    private final RecordingSink sink = new RecordingSink();

    @BeforeEach
    void start() {
        assertThat(node.start()).isSameAs(node);
    }

    @AfterEach
    void close() {
        node.close();
    }

    private static Publication publication(ChannelName channel, String event) {
        return new Publication(channel, event, "{\"e\":\"" + event + "\"}", null);
    }

    private TestSubscriber subscriber(String id) {
        return new TestSubscriber(id, sink);
    }

    private void subscribe(ChannelName channel, Subscriber... subscribers) {
        for (Subscriber s : subscribers) {
            assertThat(node.subscribe(channel, s)).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    private void publish(Publication p) {
        assertThat(node.publish(p)).succeedsWithin(Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------------ delivery

    @Test
    void deliversOnlyToTheChannelsSubscribers() {
        TestSubscriber a = subscriber("a"), b = subscriber("b"), c = subscriber("c");
        subscribe(ORDERS, a, b);
        subscribe(CHAT, c);

        Publication p = publication(ORDERS, "shipped");
        publish(p);

        assertThat(sink.deliveries()).hasSize(1);
        assertThat(sink.deliveries().get(0).publication()).isSameAs(p);
        assertThat(sink.deliveries().get(0).targets()).containsExactlyInAnyOrder(a, b);
        assertThat(sink.receivedBy(c)).isEmpty();
    }

    @Test
    void publicationOnAChannelWithoutSubscribersGoesNowhere() {
        subscribe(ORDERS, subscriber("a"));

        publish(publication(NEWS, "x"));

        assertThat(sink.deliveries()).isEmpty();
        assertThat(node.stats().received()).isEqualTo(1);
        assertThat(node.stats().delivered()).isZero();
    }

    @Test
    void oneSinkCallPerPublicationWithAllItsTargets() {
        List<TestSubscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 50; i++) subscribers.add(subscriber("s" + i));
        subscribe(ORDERS, subscribers.toArray(Subscriber[]::new));

        publish(publication(ORDERS, "one"));
        publish(publication(ORDERS, "two"));

        assertThat(sink.deliveries()).hasSize(2);
        assertThat(sink.deliveries().get(0).publication().event()).isEqualTo("one");
        assertThat(sink.deliveries().get(0).targets()).containsExactlyInAnyOrderElementsOf(subscribers);
        assertThat(sink.deliveries().get(1).publication().event()).isEqualTo("two");
        assertThat(sink.deliveries().get(1).targets()).containsExactlyInAnyOrderElementsOf(subscribers);
        assertThat(node.stats().delivered()).isEqualTo(100);
    }

    @Test
    void eachSinkGetsOneCallWithItsOwnTargets() {
        RecordingSink other = new RecordingSink();
        TestSubscriber a1 = subscriber("a1"), a2 = subscriber("a2");
        TestSubscriber b1 = new TestSubscriber("b1", other), b2 = new TestSubscriber("b2", other);
        subscribe(ORDERS, a1, b1, a2, b2);

        publish(publication(ORDERS, "e"));

        assertThat(sink.deliveries()).singleElement().satisfies(d -> assertThat(d.targets()).containsExactlyInAnyOrder(a1, a2));
        assertThat(other.deliveries()).singleElement().satisfies(d -> assertThat(d.targets()).containsExactlyInAnyOrder(b1, b2));
    }

    @Test
    void socketExclusionSkipsExactlyThatSubscriber() {
        TestSubscriber a = subscriber("Fq3_a"), b = subscriber("Fq3_b"), c = subscriber("Fq3_c");
        TestSubscriber elsewhere = subscriber("Fq3_b-other");
        subscribe(ORDERS, a, b, c, elsewhere);

        publish(new Publication(ORDERS, "e", "{}", "Fq3_b"));

        assertThat(sink.deliveries()).singleElement()
                .satisfies(d -> assertThat(d.targets()).containsExactlyInAnyOrder(a, c, elsewhere));
        assertThat(node.stats().delivered()).isEqualTo(3);
    }

    @Test
    void socketExclusionOfAnUnknownIdExcludesNobody() {
        TestSubscriber a = subscriber("a"), b = subscriber("b");
        subscribe(ORDERS, a, b);

        publish(new Publication(ORDERS, "e", "{}", "someone-else"));

        assertThat(sink.deliveries()).singleElement().satisfies(d -> assertThat(d.targets()).containsExactlyInAnyOrder(a, b));
    }

    @Test
    void socketExclusionOfTheOnlySubscriberDeliversNothing() {
        TestSubscriber a = subscriber("a");
        subscribe(ORDERS, a);

        publish(new Publication(ORDERS, "e", "{}", "a"));

        assertThat(sink.deliveries()).as("no sink call with an empty target list").isEmpty();
        assertThat(node.stats().delivered()).isZero();
        assertThat(node.stats().received()).isEqualTo(1);
    }

    @Test
    void socketExclusionIsPerSinkToo() {
        RecordingSink other = new RecordingSink();
        TestSubscriber a = subscriber("a"), b = new TestSubscriber("b", other);
        subscribe(ORDERS, a, b);

        publish(new Publication(ORDERS, "e", "{}", "b"));

        assertThat(sink.receivedBy(a)).hasSize(1);
        assertThat(other.deliveries()).isEmpty();
    }

    @Test
    void unsubscribeStopsDelivery() {
        TestSubscriber a = subscriber("a"), b = subscriber("b");
        subscribe(ORDERS, a, b);
        publish(publication(ORDERS, "before"));

        node.unsubscribe(ORDERS, a);
        publish(publication(ORDERS, "after"));

        assertThat(sink.receivedBy(a)).extracting(Publication::event).containsExactly("before");
        assertThat(sink.receivedBy(b)).extracting(Publication::event).containsExactly("before", "after");
    }

    @Test
    void unsubscribeOfOneChannelKeepsTheOthers() {
        TestSubscriber a = subscriber("a");
        subscribe(ORDERS, a);
        subscribe(NEWS, a);

        node.unsubscribe(ORDERS, a);
        publish(publication(ORDERS, "o"));
        publish(publication(NEWS, "n"));

        assertThat(sink.receivedBy(a)).extracting(Publication::event).containsExactly("n");
        assertThat(node.channelsOf(a)).containsExactly(NEWS);
    }

    @Test
    void unsubscribeOfSomethingNotSubscribedIsHarmless() {
        TestSubscriber a = subscriber("a"), b = subscriber("b");
        subscribe(ORDERS, a);

        node.unsubscribe(ORDERS, b);
        node.unsubscribe(NEWS, a);
        node.unsubscribe(NEWS, b);

        assertThat(node.channelCounts()).containsExactly(entry("orders.1", 1));
        assertThat(node.channelsOf(a)).containsExactly(ORDERS);
        assertThat(node.channelsOf(b)).isEmpty();
        assertThat(node.stats().subscribers()).isEqualTo(1);
    }

    @Test
    void subscribingTwiceCountsOnceAndDeliversOnce() {
        TestSubscriber a = subscriber("a");
        subscribe(ORDERS, a);
        subscribe(ORDERS, a);

        publish(publication(ORDERS, "e"));

        assertThat(node.subscriberCount(ORDERS)).isEqualTo(1);
        assertThat(sink.deliveries()).singleElement().satisfies(d -> assertThat(d.targets()).containsExactly(a));

        node.unsubscribe(ORDERS, a);
        assertThat(node.subscriberCount(ORDERS)).isZero();
    }

    @Test
    void subscribersWithTheSameIdAreStillDistinct() {
        // identity is object identity; the id only matters for the socket exclusion
        TestSubscriber first = subscriber("same"), second = subscriber("same");
        subscribe(ORDERS, first, second);

        assertThat(node.subscriberCount(ORDERS)).isEqualTo(2);
        node.unsubscribe(ORDERS, first);
        publish(publication(ORDERS, "e"));

        assertThat(sink.deliveries()).singleElement().satisfies(d -> assertThat(d.targets()).containsExactly(second));
    }

    @Test
    void disconnectRemovesEverything() {
        TestSubscriber a = subscriber("a"), b = subscriber("b");
        subscribe(ORDERS, a);
        subscribe(CHAT, a);
        subscribe(NEWS, a, b);

        node.disconnect(a);

        assertThat(node.channelsOf(a)).isEmpty();
        assertThat(node.channelCounts()).containsExactly(entry("news", 1));
        assertThat(node.stats().subscribers()).isEqualTo(1);
        assertThat(node.stats().channels()).isEqualTo(1);
        publish(publication(ORDERS, "o"));
        publish(publication(NEWS, "n"));
        assertThat(sink.receivedBy(a)).isEmpty();
        assertThat(sink.receivedBy(b)).extracting(Publication::event).containsExactly("n");

        node.disconnect(b);

        assertThat(node.channelCounts()).isEmpty();
        assertThat(node.stats().subscribers()).isZero();
        assertThat(node.stats().channels()).isZero();
        assertThat(node.subscriberCount(NEWS)).isZero();
    }

    @Test
    void disconnectOfAnUnknownSubscriberIsHarmless() {
        subscribe(ORDERS, subscriber("a"));

        node.disconnect(subscriber("stranger"));

        assertThat(node.channelCounts()).containsExactly(entry("orders.1", 1));
    }

    @Test
    void channelCountsAreSortedByName() {
        TestSubscriber a = subscriber("a"), b = subscriber("b"), c = subscriber("c");
        subscribe(ORDERS, a, b, c);
        subscribe(NEWS, a);
        subscribe(CHAT, b, c);

        Map<String, Integer> counts = node.channelCounts();

        assertThat(counts).containsExactly(entry("news", 1), entry("orders.1", 3), entry("presence-chat.1", 2));
        assertThat(node.subscriberCount(ORDERS)).isEqualTo(3);
        assertThat(node.subscriberCount(ChannelName.of("nobody"))).isZero();
        assertThat(node.channelsOf(b)).containsExactlyInAnyOrder(ORDERS, CHAT);
        assertThat(node.stats().channels()).isEqualTo(3);
        assertThat(node.stats().subscribers()).isEqualTo(3);
    }

    @Test
    void channelsOfIsASnapshot() {
        TestSubscriber a = subscriber("a");
        subscribe(ORDERS, a);
        var snapshot = node.channelsOf(a);

        subscribe(NEWS, a);

        assertThat(snapshot).containsExactly(ORDERS);
    }

    /** A subscriber with a chosen hash code, to put several in one bin of the hub's member set. */
    private static class FixedHashSubscriber implements Subscriber {
        private final String id;
        private final int hash;
        private final DeliverySink sink;

        FixedHashSubscriber(String id, int hash, DeliverySink sink) {
            this.id = id;
            this.hash = hash;
            this.sink = sink;
        }

        @Override public String id() { return id; }
        @Override public DeliverySink sink() { return sink; }
        @Override public int hashCode() { return hash; } // equals stays identity: consistent
        @Override public String toString() { return "subscriber " + id; }
    }

    /**
     * A subscriber that leaves and rejoins a channel while a publication on it is being delivered (another thread,
     * e.g. a page re-subscribing) must get that publication at most once. Hub.deliver iterates the live member set
     * (a ConcurrentHashMap key set): once {@code a} has been visited, removing and re-adding it appends it behind
     * {@code t}, the node the iterator visits next, so {@code a} is visited again; the sink gets {@code [a, t, a]}
     * and the protocol writes the event twice to the same connection. (Seen under plain thread churn too; made
     * deterministic here: {@code a} and {@code t} share a hash bucket, and the other thread's unsubscribe and
     * subscribe run when the hub asks {@code a} for its sink, which it does during the iteration.)
     */
    @Test
    void aSubscriberThatLeavesAndRejoinsDuringDeliveryGetsThePublicationAtMostOnce() {
        AtomicBoolean interleaved = new AtomicBoolean();
        FixedHashSubscriber[] self = new FixedHashSubscriber[1];
        FixedHashSubscriber a = new FixedHashSubscriber("a", 7, sink) {
            @Override
            public DeliverySink sink() {
                if (interleaved.compareAndSet(false, true)) {
                    // what another thread may do at this moment
                    node.unsubscribe(ORDERS, self[0]);
                    node.subscribe(ORDERS, self[0]);
                }
                return super.sink();
            }
        };
        self[0] = a;
        FixedHashSubscriber t = new FixedHashSubscriber("t", 7, sink);
        subscribe(ORDERS, a, t); // one bucket: a, then t

        publish(publication(ORDERS, "e"));

        assertThat(interleaved).isTrue();
        assertThat(node.subscriberCount(ORDERS)).isEqualTo(2);
        assertThat(sink.deliveries()).singleElement()
                .satisfies(d -> assertThat(d.targets()).as("targets of the one sink call").doesNotHaveDuplicates());
        assertThat(sink.receivedBy(a)).hasSize(1);
        assertThat(node.stats().delivered()).isLessThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------ firehose

    @Test
    void firehoseReceivesEveryPublication() {
        List<Publication> first = new CopyOnWriteArrayList<>();
        List<Publication> second = new CopyOnWriteArrayList<>();
        node.addFirehose(first::add);
        node.addFirehose(second::add);
        subscribe(ORDERS, subscriber("a"));

        Publication subscribed = publication(ORDERS, "o");
        Publication unsubscribed = publication(NEWS, "n");
        Publication excluded = new Publication(ORDERS, "x", "{}", "a");
        publish(subscribed);
        publish(unsubscribed);
        publish(excluded);

        assertThat(first).containsExactly(subscribed, unsubscribed, excluded);
        assertThat(second).containsExactly(subscribed, unsubscribed, excluded);
    }

    @Test
    void aFailingFirehoseDoesNotStopTheOthersNorDelivery() {
        List<Publication> healthy = new CopyOnWriteArrayList<>();
        node.addFirehose(p -> { throw new IllegalStateException("firehose down (test)"); });
        node.addFirehose(healthy::add);
        TestSubscriber a = subscriber("a");
        subscribe(ORDERS, a);

        publish(publication(ORDERS, "o"));

        assertThat(healthy).hasSize(1);
        assertThat(sink.receivedBy(a)).hasSize(1);
    }

    // ------------------------------------------------------------------ failing sinks

    /**
     * A sink that throws must not cost other sinks (protocols) their delivery. The hub groups targets by sink
     * in a HashMap, so the order of the sinks is not defined: both orders are tried.
     */
    @Test
    void aThrowingSinkDoesNotPreventDeliveryToOtherSinks() {
        for (int round = 0; round < 20; round++) {
            RecordingSink healthy = new RecordingSink();
            DeliverySink broken = (p, targets) -> { throw new IllegalStateException("sink down (test)"); };
            ChannelName channel = ChannelName.of("failing." + round);
            TestSubscriber good1 = new TestSubscriber("g1", healthy), good2 = new TestSubscriber("g2", healthy);
            TestSubscriber bad = new TestSubscriber("bad", broken);
            if (round % 2 == 0) subscribe(channel, bad, good1, good2); else subscribe(channel, good1, good2, bad);

            publish(new Publication(channel, "e", "{}", null));

            assertThat(healthy.deliveries()).as("round %d", round).singleElement()
                    .satisfies(d -> assertThat(d.targets()).containsExactlyInAnyOrder(good1, good2));
        }
    }

    @Test
    void aThrowingSinkDoesNotStopLaterPublicationsOrTheFirehose() {
        RecordingSink healthy = new RecordingSink();
        List<Publication> firehose = new CopyOnWriteArrayList<>();
        node.addFirehose(firehose::add);
        subscribe(ORDERS, new TestSubscriber("bad", (p, t) -> { throw new IllegalStateException("sink down (test)"); }));
        TestSubscriber good = new TestSubscriber("good", healthy);
        subscribe(NEWS, good);

        publish(publication(ORDERS, "1"));
        publish(publication(NEWS, "2"));

        assertThat(healthy.receivedBy(good)).extracting(Publication::event).containsExactly("2");
        assertThat(firehose).extracting(Publication::event).containsExactly("1", "2");
        assertThat(node.stats().received()).isEqualTo(2);
    }

    /**
     * {@code delivered} counts deliveries to local subscribers. When one sink throws, the other sink's subscribers
     * were still delivered to, so they must be counted.
     */
    @Test
    void deliveredCountsTheHealthySinksTargetsWhenAnotherSinkThrows() {
        RecordingSink healthy = new RecordingSink();
        subscribe(ORDERS, new TestSubscriber("g1", healthy), new TestSubscriber("g2", healthy),
                new TestSubscriber("bad", (p, t) -> { throw new IllegalStateException("sink down (test)"); }));

        publish(publication(ORDERS, "e"));

        assertThat(healthy.deliveries()).hasSize(1);
        assertThat(node.stats().delivered()).as("g1 and g2 received it (bad was handed it too)").isBetween(2L, 3L);
    }

    // ------------------------------------------------------------------ counters

    @Test
    void statsCountPublishedReceivedDelivered() {
        TestSubscriber a = subscriber("a"), b = subscriber("b"), c = subscriber("c");
        subscribe(ORDERS, a, b, c);
        subscribe(NEWS, a);
        assertThat(node.stats()).isEqualTo(new NodeStats(0, 0, 0, Map.of(), 2, 3));

        publish(publication(ORDERS, "1"));                      // 3 deliveries
        publish(publication(NEWS, "2"));                        // 1
        publish(new Publication(ORDERS, "3", "{}", "b"));       // 2 (b excluded)
        publish(publication(CHAT, "4"));                        // 0
        node.onPublication(publication(ORDERS, "from another node")); // received, not published here: 3

        NodeStats stats = node.stats();
        assertThat(stats.published()).isEqualTo(4);
        assertThat(stats.received()).isEqualTo(5);
        assertThat(stats.delivered()).isEqualTo(9);
        assertThat(stats.malformed()).isEmpty();
        assertThat(stats.malformedTotal()).isZero();
        assertThat(stats.channels()).isEqualTo(2);
        assertThat(stats.subscribers()).isEqualTo(3);
    }

    @Test
    void publishesThroughTheBroker() {
        List<Publication> seen = new CopyOnWriteArrayList<>();
        Node other = new Node(new Broker() {
            @Override public void start(BrokerListener listener) {}
            @Override public java.util.concurrent.CompletionStage<Void> publish(Publication p) {
                seen.add(p);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            @Override public java.util.concurrent.CompletionStage<Void> subscribe(ChannelName c) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            @Override public java.util.concurrent.CompletionStage<Void> unsubscribe(ChannelName c) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            @Override public boolean isHealthy() { return true; }
            @Override public String describe() { return "test"; }
            @Override public void close() {}
        }).start();
        TestSubscriber a = subscriber("a");
        assertThat(other.subscribe(ORDERS, a)).succeedsWithin(Duration.ofSeconds(5));

        Publication p = publication(ORDERS, "e");
        assertThat(other.publish(p)).succeedsWithin(Duration.ofSeconds(5));

        assertThat(seen).containsExactly(p);
        assertThat(sink.deliveries()).as("delivery only comes back through the broker").isEmpty();
        assertThat(other.stats().published()).isEqualTo(1);
        assertThat(other.stats().received()).isZero();
        assertThat(other.broker().describe()).isEqualTo("test");
    }

    @Test
    void publishFailsWhenTheBrokerIsClosed() {
        node.close();

        assertThat(node.publish(publication(ORDERS, "e")))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(BrokerException.class);
        assertThat(broker.isHealthy()).isFalse();
    }

    // ------------------------------------------------------------------ malformed

    @Test
    void malformedMessagesAreCountedByKind() {
        node.onMalformed("not-json", "garbage 1");
        node.onMalformed("not-json", "garbage 2");
        node.onMalformed("missing-event", "no event name");

        NodeStats stats = node.stats();
        assertThat(stats.malformed()).containsExactly(entry("missing-event", 1L), entry("not-json", 2L));
        assertThat(stats.malformedTotal()).isEqualTo(3);
        assertThat(stats.received()).isZero();
    }

    @Test
    void malformedIsLoggedOnceAtWarnPerKind() {
        Logger logger = (Logger) LoggerFactory.getLogger(Node.class);
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try {
            node.onMalformed("not-json", "garbage 1");
            node.onMalformed("not-json", "garbage 2");
            node.onMalformed("not-json", "garbage 3");
            node.onMalformed("too-large", "big");
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        List<ILoggingEvent> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                m -> assertThat(m).contains("not-json").contains("garbage 1"),
                m -> assertThat(m).contains("too-large").contains("big"));
        assertThat(appender.list.stream().filter(e -> e.getLevel() == Level.DEBUG))
                .extracting(ILoggingEvent::getFormattedMessage)
                .satisfiesExactly(m -> assertThat(m).contains("garbage 2"), m -> assertThat(m).contains("garbage 3"));
        assertThat(node.stats().malformed()).containsEntry("not-json", 3L).containsEntry("too-large", 1L);
    }
}
