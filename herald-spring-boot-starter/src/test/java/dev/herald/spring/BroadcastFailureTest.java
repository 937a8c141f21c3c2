package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.PublicationSink;
import dev.herald.broadcasting.ShouldBroadcast;
import dev.herald.spring.testapp.OrderPaid;
import dev.herald.spring.testapp.OrderService;
import dev.herald.spring.testapp.TestApplication;
import dev.herald.wire.Publication;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A broadcast that fails after the commit: the transaction stays committed, the publisher sees no exception, the
 * driver retries ({@code herald.broadcast.retries}), and the failure is logged at ERROR with the event and its
 * channels. Here the {@code memory} driver publishes to a sink that refuses everything.
 */
@SpringBootTest(classes = {TestApplication.class, BroadcastFailureTest.RefusingSinkConfiguration.class}, properties = {
        "herald.broadcast.driver=memory", "herald.broadcast.retries=2", "herald.broadcast.retry-delay=10ms"})
@ExtendWith(OutputCaptureExtension.class)
class BroadcastFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired OrderService orders;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate transactions;
    @Autowired RefusingSink sink;

    @Test
    void aFailedBroadcastAfterCommitIsRetriedThenLoggedWithTheEventAndChannelsAndTheDataStaysCommitted(CapturedOutput output) {
        orders.pay(9001, "orders.9001"); // returns normally: the failure never reaches the publisher

        assertThat(orders.saved(9001)).as("committed").isTrue();
        await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut())
                .contains("broadcasting event [order.paid] (dev.herald.spring.testapp.OrderPaid) on channels"
                        + " [orders.9001] with the memory driver failed")
                .contains("stays committed")
                .contains("failed after 3 attempts")
                .contains("Redis is down"));
        assertThat(sink.attempts(9001)).as("one attempt and two retries").isEqualTo(3);
    }

    @Test
    void everyFailedChannelIsNamed(CapturedOutput output) {
        transactions.executeWithoutResult(status -> events.publishEvent(new TwoChannels()));

        await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut())
                .contains("broadcasting event [two.channels]")
                .contains("on channels [orders.a, private-orders.b]"));
    }

    @Test
    void anEventThatCannotBeEncodedIsLoggedNotThrown(CapturedOutput output) {
        transactions.executeWithoutResult(status -> events.publishEvent(new NotAnObject()));

        assertThat(output.getOut()).contains("broadcasting event [not.an.object]")
                .contains("on channels [orders.x]")
                .contains("IllegalArgumentException");
    }

    @Configuration(proxyBeanMethods = false)
    static class RefusingSinkConfiguration {
        @Bean
        RefusingSink refusingSink() {
            return new RefusingSink();
        }
    }

    static class RefusingSink implements PublicationSink {
        private final List<Publication> attempts = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Void> publish(Publication publication) {
            attempts.add(publication);
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is down"));
        }

        long attempts(long orderId) {
            return attempts.stream().filter(p -> p.data().contains("\"orderId\":" + orderId + ",")).count();
        }
    }

    record TwoChannels() implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() {
            return List.of(new Channel("orders.a"), new dev.herald.broadcasting.PrivateChannel("orders.b"));
        }

        @Override
        public String broadcastAs() {
            return "two.channels";
        }
    }

    /** {@code broadcastWith()} must be a JSON object (Laravel's array); a string cannot be encoded. */
    record NotAnObject() implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() {
            return List.of(new Channel("orders.x"));
        }

        @Override
        public String broadcastAs() {
            return "not.an.object";
        }

        @Override
        public Object broadcastWith() {
            return "just a string";
        }
    }
}
