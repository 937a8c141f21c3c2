package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.herald.broadcasting.BroadcastDriver;
import dev.herald.broadcasting.BroadcastEncoder;
import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.PhpJsonMapper;
import dev.herald.broadcasting.ShouldBroadcast;
import dev.herald.broadcasting.Broadcaster;
import dev.herald.broadcasting.Broadcasters;
import dev.herald.broadcasting.PublicationSink;
import dev.herald.server.HeraldServer;
import dev.herald.server.relay.EventFormat;
import dev.herald.spring.testapp.OrderPaid;
import dev.herald.spring.testapp.RecordingSubscriber;
import dev.herald.wire.Publication;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.event.TransactionalEventListenerFactory;
import dev.herald.spring.testapp.NoResourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The beans {@link HeraldAutoConfiguration} creates, how {@code herald.*} binds, and how the beans back off. */
class HeraldAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HeraldAutoConfiguration.class));

    private final ApplicationContextRunner embedded = runner.withPropertyValues(
            "herald.server.embedded=true", "herald.server.port=0", "herald.server.host=127.0.0.1");

    @Test
    void defaultsAreTheLogDriverTheListenerAndNoServer() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(Broadcaster.class);
            assertThat(context.getBean(Broadcaster.class).driver()).isEqualTo("log");
            assertThat(context).hasSingleBean(HeraldBroadcastListener.class);
            assertThat(context).hasSingleBean(TransactionalEventListenerFactory.class);
            assertThat(context).doesNotHaveBean(HeraldServer.class);
            assertThat(context).doesNotHaveBean(EmbeddedHerald.class);

            HeraldProperties properties = context.getBean(HeraldProperties.class);
            assertThat(properties.getBroadcast().getDriver()).isNull();
            assertThat(properties.getBroadcast().getRedisUrl()).isEqualTo("redis://127.0.0.1:6379");
            assertThat(properties.getBroadcast().getRedisPrefix()).isEmpty();
            assertThat(properties.getBroadcast().getTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.getBroadcast().getRetries()).isZero();
            assertThat(properties.getBroadcast().getRetryDelay()).isEqualTo(Duration.ofMillis(200));
            assertThat(properties.getServer().isEmbedded()).isFalse();
            assertThat(properties.getServer().getPort()).isEqualTo(6001);
            assertThat(properties.getServer().getHost()).isEqualTo("0.0.0.0");
            assertThat(properties.getServer().getApiKey()).isNull();
            assertThat(properties.getServer().getEventFormat()).isEqualTo(HeraldProperties.EventFormat.ECHO);
            assertThat(properties.getServer().getAllowedOrigins()).containsExactly("*");
        });
    }

    @Test
    void broadcastPropertiesBind() {
        runner.withPropertyValues(
                        "herald.broadcast.driver=redis",
                        "herald.broadcast.redis-url=redis://:secret@127.0.0.1:6390/2",
                        "herald.broadcast.redis-prefix=laravel-database-",
                        "herald.broadcast.timeout=750ms",
                        "herald.broadcast.retries=3",
                        "herald.broadcast.retry-delay=50ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HeraldProperties.Broadcast broadcast = context.getBean(HeraldProperties.class).getBroadcast();
                    assertThat(broadcast.getDriver()).isEqualTo(BroadcastDriver.REDIS);
                    assertThat(broadcast.getRedisUrl()).isEqualTo("redis://:secret@127.0.0.1:6390/2");
                    assertThat(broadcast.getRedisPrefix()).isEqualTo("laravel-database-");
                    assertThat(broadcast.getTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(broadcast.getRetries()).isEqualTo(3);
                    assertThat(broadcast.getRetryDelay()).isEqualTo(Duration.ofMillis(50));
                    // The redis driver connects on first use: the context starts without Redis.
                    assertThat(context.getBean(Broadcaster.class).driver()).isEqualTo("redis");
                    var config = HeraldAutoConfiguration.broadcastConfig(context.getBean(HeraldProperties.class), BroadcastDriver.LOG);
                    assertThat(config.redisUrl()).isEqualTo("redis://:secret@127.0.0.1:6390/2");
                    assertThat(config.redisPrefix()).isEqualTo("laravel-database-");
                    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(config.retryPolicy().retries()).isEqualTo(3);
                    assertThat(config.retryPolicy().delay()).isEqualTo(Duration.ofMillis(50));
                });
    }

    @Test
    void theNullDriverIsSelectable() {
        runner.withPropertyValues("herald.broadcast.driver=null")
                .run(context -> assertThat(context.getBean(Broadcaster.class).driver()).isEqualTo("null"));
    }

    @Test
    void serverPropertiesBindAndConfigureTheEmbeddedServer() {
        embedded.withPropertyValues(
                        "herald.server.api-key=spring-test-key",
                        "herald.server.event-format=seed",
                        "herald.server.allowed-origins=http://shop.test,http://admin.test")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HeraldProperties.Server server = context.getBean(HeraldProperties.class).getServer();
                    assertThat(server.isEmbedded()).isTrue();
                    assertThat(server.getPort()).isZero();
                    assertThat(server.getHost()).isEqualTo("127.0.0.1");
                    assertThat(server.getApiKey()).isEqualTo("spring-test-key");
                    assertThat(server.getEventFormat()).isEqualTo(HeraldProperties.EventFormat.SEED);
                    assertThat(server.getAllowedOrigins()).containsExactly("http://shop.test", "http://admin.test");

                    var config = context.getBean(HeraldServer.class).config();
                    assertThat(config.host()).isEqualTo("127.0.0.1");
                    assertThat(config.port()).isZero();
                    assertThat(config.redisUrl()).as("in-memory broker").isNull();
                    assertThat(config.apiKey()).isEqualTo("spring-test-key");
                    assertThat(config.eventFormat()).isEqualTo(EventFormat.SEED);
                    assertThat(config.allowedOrigins()).containsExactly("http://shop.test", "http://admin.test");
                    assertThat(context.getBean(EmbeddedHerald.class).apiKey()).isEqualTo("spring-test-key");
                });
    }

    @Test
    void theEmbeddedServerStartsOnAFreePortWithTheMemoryDriverAndStopsWithTheContext() throws IOException {
        AtomicInteger port = new AtomicInteger();
        embedded.run(context -> {
            assertThat(context).hasNotFailed();
            EmbeddedHerald herald = context.getBean(EmbeddedHerald.class);
            assertThat(herald.isRunning()).isTrue();
            assertThat(herald.port()).isPositive();
            assertThat(herald.node().broker().describe()).isEqualTo("memory");
            port.set(herald.port());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", herald.port()), 5_000);
            }

            Broadcaster broadcaster = context.getBean(Broadcaster.class);
            assertThat(broadcaster.driver()).isEqualTo("memory");
            RecordingSubscriber page = RecordingSubscriber.subscribe(herald.node(), "page", "orders.1");
            context.publishEvent(new OrderPaid(1, "orders.1"));
            assertThat(page.data()).containsExactly("{\"orderId\":1,\"status\":\"paid\",\"socket\":null}");
            herald.node().disconnect(page);
        });
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", port.get()), 5_000))
                    .as("closed with the context").isInstanceOf(IOException.class);
        }
    }

    @Test
    void theApiKeyIsRandomWhenUnset() {
        List<String> keys = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            embedded.run(context -> keys.add(context.getBean(EmbeddedHerald.class).apiKey()));
        }
        assertThat(keys).hasSize(2).doesNotHaveDuplicates().allSatisfy(key -> assertThat(key).hasSize(40).isHexadecimal());
    }

    @Test
    void anotherDriverBesideTheEmbeddedServerIsHonoured() {
        embedded.withPropertyValues("herald.broadcast.driver=log").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Broadcaster.class).driver()).isEqualTo("log");
            assertThat(context.getBean(EmbeddedHerald.class).isRunning()).isTrue();
        });
    }

    @Test
    void theEmbeddedServerIsNotStartedUntilAskedFor() {
        runner.withPropertyValues("herald.server.embedded=false", "herald.server.port=0")
                .run(context -> assertThat(context).doesNotHaveBean(EmbeddedHerald.class));
    }

    @Test
    void anApplicationBroadcasterReplacesHeralds() {
        runner.withUserConfiguration(OwnBroadcaster.class).run(context -> {
            assertThat(context).hasSingleBean(Broadcaster.class);
            assertThat(context.getBean(Broadcaster.class)).isSameAs(context.getBean(OwnBroadcaster.class).broadcaster);
            context.publishEvent(new OrderPaid(7, "orders.7"));
            assertThat(context.getBean(OwnBroadcaster.class).published)
                    .extracting(Publication::event).containsExactly("order.paid");
        });
        embedded.withUserConfiguration(OwnBroadcaster.class).run(context -> {
            assertThat(context).hasSingleBean(Broadcaster.class);
            assertThat(context.getBean(Broadcaster.class)).isSameAs(context.getBean(OwnBroadcaster.class).broadcaster);
            assertThat(context).hasSingleBean(EmbeddedHerald.class);
        });
    }

    @Test
    void anApplicationListenerReplacesHeralds() {
        runner.withBean("myListener", HeraldBroadcastListener.class, () -> new HeraldBroadcastListener(Broadcasters.nullDriver()))
                .run(context -> {
                    assertThat(context).hasSingleBean(HeraldBroadcastListener.class);
                    assertThat(context).hasBean("myListener");
                });
    }

    @Test
    void anApplicationEncoderIsUsed() {
        SimpleModule money = new SimpleModule().addSerializer(Money.class, new JsonSerializer<>() {
            @Override
            public void serialize(Money value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.cents() / 100 + "." + String.format("%02d", value.cents() % 100) + " EUR");
            }
        });
        runner.withPropertyValues("herald.broadcast.driver=memory").withUserConfiguration(OwnSink.class)
                .withBean(BroadcastEncoder.class, () -> new BroadcastEncoder(PhpJsonMapper.builder().addModule(money).build()))
                .run(context -> {
                    context.publishEvent(new Priced("orders.12", new Money(1250)));
                    assertThat(context.getBean(OwnSink.class).published).singleElement()
                            .satisfies(p -> assertThat(p.data()).isEqualTo("{\"price\":\"12.50 EUR\",\"socket\":null}"));
                });
    }

    record Money(long cents) {}

    record Priced(String channel, Money price) implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() {
            return List.of(new Channel(channel));
        }

        @Override
        public Object broadcastWith() {
            return java.util.Map.of("price", price);
        }
    }

    @Test
    void theMemoryDriverWithoutAnEmbeddedServerNeedsASink() {
        runner.withPropertyValues("herald.broadcast.driver=memory").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("herald.broadcast.driver=memory")
                    .hasMessageContaining("herald.server.embedded=true");
        });
    }

    @Test
    void theMemoryDriverNeedsOneSinkOrAPrimaryOne() {
        runner.withPropertyValues("herald.broadcast.driver=memory").withUserConfiguration(OwnSink.class)
                .withBean("secondSink", PublicationSink.class, () -> p -> CompletableFuture.completedFuture(null))
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("several PublicationSink beans"));
        runner.withPropertyValues("herald.broadcast.driver=memory").withUserConfiguration(OwnSink.class)
                .withBean("secondSink", PublicationSink.class, () -> p -> CompletableFuture.completedFuture(null),
                        definition -> definition.setPrimary(true))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.publishEvent(new OrderPaid(11, "orders.11"));
                    assertThat(context.getBean(OwnSink.class).published).as("not the primary").isEmpty();
                });
    }

    @Test
    void theMemoryDriverPublishesToAnApplicationSink() {
        runner.withPropertyValues("herald.broadcast.driver=memory").withUserConfiguration(OwnSink.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Broadcaster.class).driver()).isEqualTo("memory");
            context.publishEvent(new OrderPaid(8, "orders.8"));
            assertThat(context.getBean(OwnSink.class).published).singleElement()
                    .satisfies(p -> assertThat(p.channel().value()).isEqualTo("orders.8"));
        });
    }

    @Test
    void withoutTransactionManagementTheListenerStillWaitsForACommit() {
        // No @EnableTransactionManagement here: Herald registers the factory that makes the listener transactional.
        runner.withPropertyValues("herald.broadcast.driver=memory").withUserConfiguration(OwnSink.class).run(context -> {
            assertThat(context).hasSingleBean(TransactionalEventListenerFactory.class);
            List<Publication> published = context.getBean(OwnSink.class).published;
            TransactionTemplate transactions = new TransactionTemplate(new NoResourceTransactionManager());

            transactions.executeWithoutResult(status -> {
                context.publishEvent(new OrderPaid(9, "orders.9"));
                assertThat(published).as("before the commit").isEmpty();
            });
            assertThat(published).hasSize(1);

            transactions.executeWithoutResult(status -> {
                context.publishEvent(new OrderPaid(10, "orders.10"));
                status.setRollbackOnly();
            });
            assertThat(published).as("nothing for the rollback").hasSize(1);
        });
    }

    @Test
    void theTransactionalListenerFactoryBacksOffWhenTransactionManagementIsOn() {
        runner.withUserConfiguration(TransactionManagement.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TransactionalEventListenerFactory.class);
            assertThat(context).doesNotHaveBean("heraldTransactionalEventListenerFactory");
        });
    }

    @Test
    void invalidSettingsFailTheStartupWithTheirName() {
        runner.withPropertyValues("herald.broadcast.driver=pusher").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("herald.broadcast.driver");
        });
        assertStartupFails(runner, "herald.broadcast.retries=-1", "herald.broadcast.retries must be >= 0, was -1");
        assertStartupFails(runner, "herald.broadcast.timeout=0s", "herald.broadcast.timeout must be positive");
        assertStartupFails(runner, "herald.broadcast.retry-delay=-1s", "herald.broadcast.retry-delay must not be negative");
        assertStartupFails(embedded, "herald.server.api-key=short", "herald.server.api-key must be at least 8 characters");
        assertStartupFails(embedded, "herald.server.port=70000", "herald.server.port must be 0..65535");
    }

    private static void assertStartupFails(ApplicationContextRunner runner, String property, String message) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).as(property).hasFailed();
            assertThat(context.getStartupFailure()).as(property).rootCause().hasMessageContaining(message);
        });
    }

    @Test
    void aPortInUseFailsTheStartup() {
        embedded.run(first -> {
            int port = first.getBean(EmbeddedHerald.class).port();
            runner.withPropertyValues("herald.server.embedded=true", "herald.server.host=127.0.0.1",
                    "herald.server.port=" + port).run(second -> assertThat(second).hasFailed());
        });
    }

    @Test
    void aStoppedServerCannotBeRestarted() {
        embedded.run(context -> {
            EmbeddedHerald herald = context.getBean(EmbeddedHerald.class);
            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).stop();
            assertThat(herald.isRunning()).isFalse();
            assertThatThrownBy(herald::port).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(herald::start).hasMessageContaining("cannot be restarted");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBroadcaster {
        final List<Publication> published = new CopyOnWriteArrayList<>();
        final Broadcaster broadcaster = Broadcasters.memory(p -> {
            published.add(p);
            return CompletableFuture.completedFuture(null);
        });

        @Bean
        Broadcaster myBroadcaster() {
            return broadcaster;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSink {
        final List<Publication> published = new CopyOnWriteArrayList<>();

        @Bean
        PublicationSink mySink() {
            return p -> {
                published.add(p);
                return CompletableFuture.completedFuture(null);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class TransactionManagement {
        @Bean
        NoResourceTransactionManager transactionManager() {
            return new NoResourceTransactionManager();
        }
    }
}
