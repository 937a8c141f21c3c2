package dev.herald.redis;

import dev.herald.core.BrokerListener;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The message path without Redis: prefix handling, size limit, exceptions kept away from Lettuce's thread. */
class RedisMessageHandlerTest {

    private static final byte[] MESSAGE = "{\"event\":\"paid\",\"data\":{\"id\":1},\"socket\":null}".getBytes(StandardCharsets.UTF_8);

    @Test
    void stripsThePrefix() {
        RecordingListener listener = new RecordingListener();
        RedisMessageHandler handler = handler("laravel_database_", 1024, listener);
        handler.handle("laravel_database_orders.1", MESSAGE);
        assertThat(listener.publications).singleElement().satisfies(p -> {
            assertThat(p.channel().value()).isEqualTo("orders.1");
            assertThat(p.event()).isEqualTo("paid");
            assertThat(p.data()).isEqualTo("{\"id\":1}");
            assertThat(p.socket()).isNull();
        });
    }

    @Test
    void aChannelWithoutThePrefixIsForeign() {
        RecordingListener listener = new RecordingListener();
        handler("laravel_database_", 1024, listener).handle("laravel-database-orders.1", MESSAGE);
        assertThat(listener.publications).isEmpty();
        assertThat(listener.malformed).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("foreign-prefix");
            assertThat(m.detail()).contains("laravel-database-orders.1", "laravel_database_");
        });
    }

    @Test
    void withoutPrefixEveryChannelIsAccepted() {
        RecordingListener listener = new RecordingListener();
        handler("", 1024, listener).handle("orders.1", MESSAGE);
        assertThat(listener.channels()).containsExactly("orders.1");
    }

    @Test
    void theSizeLimitIsInclusive() {
        RecordingListener listener = new RecordingListener();
        RedisMessageHandler handler = handler("", MESSAGE.length, listener);
        handler.handle("a", MESSAGE);
        RedisMessageHandler smaller = handler("", MESSAGE.length - 1, listener);
        smaller.handle("b", MESSAGE);
        assertThat(listener.channels()).containsExactly("a");
        assertThat(listener.malformed).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("too-large");
            assertThat(m.detail()).contains(MESSAGE.length + " bytes", "maxMessageBytes (" + (MESSAGE.length - 1) + ")");
        });
    }

    @Test
    void parserKindsAreReportedWithTheChannel() {
        RecordingListener listener = new RecordingListener();
        RedisMessageHandler handler = handler("", 1024, listener);
        handler.handle("orders.1", "{\"data\":{}}".getBytes(StandardCharsets.UTF_8));
        handler.handle("bad channel", MESSAGE);
        handler.handle("orders.1", null);
        assertThat(listener.malformedKinds()).containsExactly("missing-event", "invalid-channel", "not-json");
        assertThat(listener.malformed.get(0).detail()).contains("orders.1");
    }

    @Test
    void aThrowingListenerDoesNotEscape() {
        AtomicInteger calls = new AtomicInteger();
        RedisMessageHandler handler = new RedisMessageHandler("", 1024);
        handler.setListener(new BrokerListener() {
            @Override
            public void onPublication(Publication publication) {
                calls.incrementAndGet();
                throw new IllegalStateException("boom");
            }

            @Override
            public void onMalformed(String kind, String detail) {
                calls.incrementAndGet();
                throw new IllegalStateException("boom");
            }
        });
        assertThatCode(() -> handler.handle("orders.1", MESSAGE)).doesNotThrowAnyException();
        assertThatCode(() -> handler.handle("orders.1", new byte[] {1, 2})).doesNotThrowAnyException();
        assertThat(calls).hasValue(2);
    }

    @Test
    void beforeStartMessagesAreIgnored() {
        assertThatCode(() -> new RedisMessageHandler("", 1024).handle("orders.1", MESSAGE)).doesNotThrowAnyException();
    }

    private static RedisMessageHandler handler(String prefix, int max, BrokerListener listener) {
        RedisMessageHandler handler = new RedisMessageHandler(prefix, max);
        handler.setListener(listener);
        return handler;
    }
}
