package dev.herald.core;

import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Publication P = new Publication(ChannelName.of("orders.1"), "e", "{}", null);

    /** A listener that records, and the thread each publication arrived on. */
    private static final class Listener implements BrokerListener {
        final List<Publication> publications = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onPublication(Publication publication) {
            publications.add(publication);
            threads.add(Thread.currentThread());
        }

        @Override
        public void onMalformed(String kind, String detail) {}
    }

    @Test
    void publishBeforeStartFailsWithBrokerException() {
        MemoryBroker broker = new MemoryBroker();

        assertThat(broker.publish(P)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(BrokerException.class)
                .withMessageContaining("memory broker is not running");
        assertThat(broker.isHealthy()).isFalse();
    }

    @Test
    void publishGoesBackToTheListenerOnThePublishersThread() {
        MemoryBroker broker = new MemoryBroker();
        Listener listener = new Listener();
        broker.start(listener);

        assertThat(broker.publish(P)).isCompleted();

        assertThat(listener.publications).containsExactly(P);
        assertThat(listener.threads).containsExactly(Thread.currentThread());
        assertThat(broker.isHealthy()).isTrue();
    }

    @Test
    void deliversEveryChannelWhetherSubscribedOrNot() {
        MemoryBroker broker = new MemoryBroker();
        Listener listener = new Listener();
        broker.start(listener);
        Publication other = new Publication(ChannelName.of("never.subscribed"), "e", "{}", null);

        assertThat(broker.publish(other)).succeedsWithin(WAIT);

        assertThat(listener.publications).containsExactly(other);
    }

    @Test
    void publishAfterCloseFails() {
        MemoryBroker broker = new MemoryBroker();
        Listener listener = new Listener();
        broker.start(listener);
        broker.close();

        assertThat(broker.publish(P)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(BrokerException.class);
        assertThat(listener.publications).isEmpty();
        assertThat(broker.isHealthy()).isFalse();
    }

    @Test
    void startsOnlyOnce() {
        MemoryBroker broker = new MemoryBroker();
        broker.start(new Listener());

        assertThatThrownBy(() -> broker.start(new Listener())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void subscribeAndUnsubscribeCompleteAtOnce() {
        MemoryBroker broker = new MemoryBroker();

        assertThat(broker.subscribe(ChannelName.of("a"))).isCompletedWithValue(null);
        assertThat(broker.unsubscribe(ChannelName.of("a"))).isCompletedWithValue(null);
    }

    @Test
    void describesItself() {
        assertThat(new MemoryBroker().describe()).isEqualTo("memory");
    }

    @Test
    void nodeStartsItsBroker() {
        MemoryBroker broker = new MemoryBroker();
        Node node = new Node(broker);
        assertThat(node.broker()).isSameAs(broker);
        assertThat(broker.isHealthy()).isFalse();

        node.start();
        assertThat(broker.isHealthy()).isTrue();

        node.close();
        assertThat(broker.isHealthy()).isFalse();
    }

    @Test
    void nodePublishBeforeStartFails() {
        Node node = new Node(new MemoryBroker());

        assertThat(node.publish(P)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(BrokerException.class);
    }
}
