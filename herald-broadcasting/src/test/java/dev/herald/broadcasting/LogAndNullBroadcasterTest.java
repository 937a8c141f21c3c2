package dev.herald.broadcasting;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.broadcasting.events.OrderPaid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogAndNullBroadcasterTest {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logLogger = (Logger) LoggerFactory.getLogger(LogBroadcaster.class);
    private final Logger nullLogger = (Logger) LoggerFactory.getLogger(NullBroadcaster.class);

    @BeforeEach
    void capture() {
        appender.start();
        logLogger.addAppender(appender);
        nullLogger.addAppender(appender);
        nullLogger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        logLogger.detachAppender(appender);
        nullLogger.detachAppender(appender);
        nullLogger.setLevel(null);
    }

    record Both(int n) implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() { return List.of(new Channel("news"), new PresenceChannel("room.1")); }

        @Override
        public String broadcastAs() { return "both"; }
    }

    @Test
    void logDriverWritesOneInfoLinePerChannelWithTheExactPayload() {
        try (Broadcaster broadcaster = Broadcasters.log()) {
            assertThat(broadcaster.driver()).isEqualTo("log");
            broadcaster.broadcast(new Both(1), BroadcastOptions.toOthers("s1"));
        }
        assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.INFO);
        String payload = "{\"event\":\"both\",\"data\":{\"n\":1,\"socket\":\"s1\"},\"socket\":\"s1\"}";
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Broadcasting [both] on channel [news] with payload: " + payload,
                "Broadcasting [both] on channel [presence-room.1] with payload: " + payload);
    }

    @Test
    void logIsTheDefaultDriver() {
        try (Broadcaster broadcaster = Broadcasters.create(BroadcastConfig.fromEnvironment(Map.of()))) {
            assertThat(broadcaster.driver()).isEqualTo("log");
            broadcaster.broadcast(new OrderPaid(3));
        }
        assertThat(appender.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("[order.paid] on channel [orders.3]");
    }

    @Test
    void nullDriverDropsOnPurposeButStillRefusesBadEvents() {
        try (Broadcaster broadcaster = Broadcasters.nullDriver()) {
            assertThat(broadcaster.driver()).isEqualTo("null");
            broadcaster.broadcast(new Both(2));
            assertThat(broadcaster.broadcastAsync(new Both(3)).toCompletableFuture()).isCompleted();
            record Bad() implements ShouldBroadcast {
                public List<Channel> broadcastOn() { return List.of(new Channel("x")); }
                public Object broadcastWith() { return Map.of("v", Double.POSITIVE_INFINITY); }
            }
            assertThatThrownBy(() -> broadcaster.broadcast(new Bad())).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.DEBUG).hasSize(4);
        assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo("dropped [both] on channel [news] (null broadcast driver)");
    }
}
