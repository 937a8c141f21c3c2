package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.broadcasting.BroadcastOptions;
import dev.herald.broadcasting.Broadcaster;
import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;
import dev.herald.spring.testapp.OrderPaid;
import dev.herald.spring.testapp.OrderService;
import dev.herald.spring.testapp.RecordingSubscriber;
import dev.herald.spring.testapp.TestApplication;
import dev.herald.wire.Publication;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code ShouldBroadcast} events published with Spring's {@code ApplicationEventPublisher} reach the embedded
 * server's subscribers after a real JDBC transaction (H2, {@link DataSourceTransactionManager}) commits, never when it
 * rolls back, and at once without a transaction. The {@code memory} driver and the in-memory broker deliver in the
 * publishing thread, so "not yet" and "at once" are checked without waiting; a later marker event on the same channel
 * proves that a rolled-back one never comes.
 */
@SpringBootTest(classes = TestApplication.class, properties = {
        "herald.server.embedded=true", "herald.server.port=0", "herald.server.host=127.0.0.1"})
class TransactionalBroadcastTest {

    private static final AtomicLong IDS = new AtomicLong(1000);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired EmbeddedHerald herald;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate transactions;
    @Autowired PlatformTransactionManager transactionManager;
    @Autowired JdbcTemplate jdbc;
    @Autowired OrderService orders;
    @Autowired Broadcaster broadcaster;

    private final List<RecordingSubscriber> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void unsubscribe() {
        subscribers.forEach(herald.node()::disconnect);
    }

    private RecordingSubscriber subscribe(String id, String channel) {
        RecordingSubscriber subscriber = RecordingSubscriber.subscribe(herald.node(), id, channel);
        subscribers.add(subscriber);
        return subscriber;
    }

    private static String channel(String name) {
        return name + "." + IDS.incrementAndGet();
    }

    private static String data(long orderId, String socket) {
        return "{\"orderId\":" + orderId + ",\"status\":\"paid\",\"socket\":" + (socket == null ? "null" : "\"" + socket + "\"") + "}";
    }

    private static long nextId() {
        return IDS.incrementAndGet();
    }

    /** Publishes a marker without a transaction and waits for it: whatever was published before it has arrived. */
    private void awaitMarker(RecordingSubscriber subscriber, String channel, long markerId) {
        events.publishEvent(new OrderPaid(markerId, channel));
        await().atMost(WAIT).until(() -> subscriber.data().contains(data(markerId, null)));
    }

    @Test
    void theContextRunsTheEmbeddedServerWithTheMemoryDriverAndAJdbcTransactionManager() {
        assertThat(broadcaster.driver()).isEqualTo("memory");
        assertThat(herald.isRunning()).isTrue();
        assertThat(herald.port()).isPositive();
        assertThat(transactionManager).isInstanceOf(DataSourceTransactionManager.class);
    }

    @Test
    void aCommittedTransactionBroadcastsAfterTheCommitAndNotBefore() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long id = nextId();

        transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO orders (id, status) VALUES (?, 'paid')", id);
            events.publishEvent(new OrderPaid(id, channel));
            assertThat(page.publications()).as("nothing before the commit").isEmpty();
        });

        await().atMost(WAIT).untilAsserted(() -> assertThat(page.data()).containsExactly(data(id, null)));
        Publication publication = page.publications().get(0);
        assertThat(publication.event()).isEqualTo("order.paid");
        assertThat(publication.channel().value()).isEqualTo(channel);
        assertThat(orders.saved(id)).isTrue();
    }

    @Test
    void aRolledBackTransactionBroadcastsNothing() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long id = nextId();

        transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO orders (id, status) VALUES (?, 'paid')", id);
            events.publishEvent(new OrderPaid(id, channel));
            status.setRollbackOnly();
        });

        long marker = nextId();
        awaitMarker(page, channel, marker);
        assertThat(page.data()).containsExactly(data(marker, null));
        assertThat(orders.saved(id)).as("rolled back").isFalse();
    }

    @Test
    void aTransactionalServiceMethodBroadcastsOnCommitAndNothingWhenItThrows() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long paid = nextId();
        long failed = nextId();

        orders.pay(paid, channel);
        assertThatThrownBy(() -> orders.payThenFail(failed, channel)).hasMessageContaining("said no");

        long marker = nextId();
        awaitMarker(page, channel, marker);
        assertThat(page.data()).containsExactly(data(paid, null), data(marker, null));
        assertThat(orders.saved(paid)).isTrue();
        assertThat(orders.saved(failed)).isFalse();
    }

    @Test
    void withoutATransactionTheEventIsBroadcastAtOnce() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long id = nextId();

        events.publishEvent(new OrderPaid(id, channel));

        // The memory driver and the in-memory broker deliver in this thread: no waiting.
        assertThat(page.data()).containsExactly(data(id, null));
    }

    @Test
    void severalEventsOfOneTransactionAreBroadcastInOrderAfterTheCommit() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long first = nextId();
        long second = nextId();
        long third = nextId();

        transactions.executeWithoutResult(status -> {
            events.publishEvent(new OrderPaid(first, channel));
            events.publishEvent(new OrderPaid(second, channel));
            events.publishEvent(new OrderPaid(third, channel));
            assertThat(page.publications()).isEmpty();
        });

        await().atMost(WAIT).untilAsserted(() -> assertThat(page.data())
                .containsExactly(data(first, null), data(second, null), data(third, null)));
    }

    @Test
    void anInnerRequiresNewTransactionBroadcastsAtItsCommitEvenWhenTheOuterOneRollsBack() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long outer = nextId();
        long inner = nextId();

        transactions.executeWithoutResult(status -> {
            events.publishEvent(new OrderPaid(outer, channel));
            orders.payInNewTransaction(inner, channel);
            assertThat(page.data()).as("the inner transaction has committed").containsExactly(data(inner, null));
            status.setRollbackOnly();
        });

        long marker = nextId();
        awaitMarker(page, channel, marker);
        assertThat(page.data()).containsExactly(data(inner, null), data(marker, null));
        assertThat(orders.saved(inner)).isTrue();
    }

    @Test
    void anAfterCommitBroadcastInsideNestedTemplateCallsWaitsForTheOutermostCommit() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long id = nextId();
        TransactionTemplate required = new TransactionTemplate(transactionManager);
        required.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);

        transactions.executeWithoutResult(outer -> {
            required.executeWithoutResult(inner -> events.publishEvent(new OrderPaid(id, channel)));
            assertThat(page.publications()).as("the joined transaction has not committed yet").isEmpty();
        });

        await().atMost(WAIT).untilAsserted(() -> assertThat(page.data()).containsExactly(data(id, null)));
    }

    @Test
    void toOthersLeavesOutTheSendersSocket() {
        String channel = channel("comments");
        RecordingSubscriber sender = subscribe("socket-a", channel);
        RecordingSubscriber other = subscribe("socket-b", channel);
        long byInterface = nextId();
        long byWrapper = nextId();
        long withoutHeader = nextId();

        transactions.executeWithoutResult(status -> {
            events.publishEvent(new OthersOnly(byInterface, channel, "socket-a"));
            events.publishEvent(new ToOthers(new OrderPaid(byWrapper, channel), "socket-b"));
            events.publishEvent(new OthersOnly(withoutHeader, channel, null));
        });

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(sender.data()).containsExactly(data(byWrapper, "socket-b"), data(withoutHeader, null));
            assertThat(other.data()).containsExactly(data(byInterface, "socket-a"), data(withoutHeader, null));
        });
    }

    @Test
    void anEventWhoseBroadcastWhenIsFalseIsNotBroadcast() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long skipped = nextId();

        events.publishEvent(new ToOthers(new Quiet(skipped, channel), null));
        events.publishEvent(new Quiet(skipped, channel));

        long marker = nextId();
        awaitMarker(page, channel, marker);
        assertThat(page.data()).containsExactly(data(marker, null));
    }

    @Test
    void anApplicationEventSubclassThatShouldBroadcastIsBroadcastOnce() {
        String channel = channel("orders");
        RecordingSubscriber page = subscribe("page", channel);
        long id = nextId();

        transactions.executeWithoutResult(status -> events.publishEvent(new ClassicEvent(this, id, channel)));

        long marker = nextId();
        awaitMarker(page, channel, marker);
        assertThat(page.data()).containsExactly(data(id, null), data(marker, null));
    }

    @Test
    void theListenerCanBeCalledDirectlyWithOptions() {
        String channel = channel("orders");
        RecordingSubscriber a = subscribe("a", channel);
        RecordingSubscriber b = subscribe("b", channel);
        long id = nextId();

        HeraldBroadcastListener listener = new HeraldBroadcastListener(broadcaster);
        listener.broadcast(new OrderPaid(id, channel), BroadcastOptions.toOthers("a")).toCompletableFuture().join();

        assertThat(a.data()).isEmpty();
        assertThat(b.data()).containsExactly(data(id, "a"));
    }

    /** Implements {@link BroadcastToOthers}: the page that sent the request is left out. */
    record OthersOnly(long orderId, String channel, String socketId) implements ShouldBroadcast, BroadcastToOthers {
        @Override
        public List<Channel> broadcastOn() {
            return List.of(new Channel(channel));
        }

        @Override
        public String broadcastAs() {
            return "order.paid";
        }

        @Override
        public Object broadcastWith() {
            return new OrderPaid(orderId, channel).broadcastWith();
        }
    }

    /** {@code broadcastWhen()} is false: never broadcast. */
    record Quiet(long orderId, String channel) implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() {
            return List.of(new Channel(channel));
        }

        @Override
        public boolean broadcastWhen() {
            return false;
        }
    }

    /** A classic {@link ApplicationEvent} that also implements {@link ShouldBroadcast}: Spring does not wrap it. */
    static final class ClassicEvent extends ApplicationEvent implements ShouldBroadcast {
        private final transient OrderPaid paid;

        ClassicEvent(Object source, long orderId, String channel) {
            super(source);
            this.paid = new OrderPaid(orderId, channel);
        }

        @Override
        public List<Channel> broadcastOn() {
            return paid.broadcastOn();
        }

        @Override
        public String broadcastAs() {
            return paid.broadcastAs();
        }

        @Override
        public Object broadcastWith() {
            return paid.broadcastWith();
        }
    }
}
