package dev.herald.spring;

import dev.herald.broadcasting.BroadcastConfig;
import dev.herald.broadcasting.BroadcastDriver;
import dev.herald.broadcasting.BroadcastEncoder;
import dev.herald.broadcasting.Broadcaster;
import dev.herald.broadcasting.Broadcasters;
import dev.herald.broadcasting.PublicationSink;
import dev.herald.broadcasting.RetryPolicy;
import dev.herald.core.MemoryBroker;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerConfig;
import dev.herald.server.relay.EventFormat;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.annotation.RestrictedTransactionalEventListenerFactory;
import org.springframework.transaction.event.TransactionalEventListenerFactory;

/**
 * Herald for Spring Boot: a {@link Broadcaster} bean configured by {@code herald.broadcast.*}, the
 * {@link HeraldBroadcastListener} that broadcasts {@code ShouldBroadcast} application events after the transaction
 * commits, and, with {@code herald.server.embedded=true}, an {@link EmbeddedHerald} server in the same JVM fed by the
 * {@code memory} driver.
 *
 * <p>Every bean backs off when the application defines its own of the same type.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
        "org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration"})
@ConditionalOnClass(Broadcaster.class)
@EnableConfigurationProperties(HeraldProperties.class)
public class HeraldAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(HeraldAutoConfiguration.class);

    /** Without an embedded server: the driver of {@code herald.broadcast.driver}, {@code log} by default. */
    @Bean
    @ConditionalOnMissingBean
    public Broadcaster heraldBroadcaster(HeraldProperties properties, ObjectProvider<PublicationSink> sinks,
                                         ObjectProvider<BroadcastEncoder> encoder) {
        BroadcastConfig config = broadcastConfig(properties, BroadcastDriver.LOG);
        PublicationSink sink = sinks.getIfUnique();
        if (config.driver() == BroadcastDriver.MEMORY && sink == null && sinks.stream().findAny().isPresent()) {
            throw new IllegalStateException("herald.broadcast.driver=memory found several PublicationSink beans: mark"
                    + " the one to publish to @Primary");
        }
        if (config.driver() == BroadcastDriver.MEMORY && sink == null) {
            throw new IllegalStateException("herald.broadcast.driver=memory needs somewhere to publish: turn on the"
                    + " embedded server (herald.server.embedded=true) or define a PublicationSink bean; to reach a"
                    + " Herald server in another process use herald.broadcast.driver=redis");
        }
        return create(config, sink, encoder);
    }

    @Bean
    @ConditionalOnMissingBean
    public HeraldBroadcastListener heraldBroadcastListener(Broadcaster broadcaster) {
        return new HeraldBroadcastListener(broadcaster);
    }

    /**
     * What turns {@code @TransactionalEventListener} methods into after-commit listeners. {@code
     * @EnableTransactionManagement} (Spring Boot turns it on when there is a transaction manager) registers one;
     * without it the listener would run as a plain {@code @EventListener}, at once, even inside a transaction.
     */
    @Bean
    @ConditionalOnMissingBean(TransactionalEventListenerFactory.class)
    public static TransactionalEventListenerFactory heraldTransactionalEventListenerFactory() {
        return new RestrictedTransactionalEventListenerFactory();
    }

    static BroadcastConfig broadcastConfig(HeraldProperties properties, BroadcastDriver defaultDriver) {
        HeraldProperties.Broadcast broadcast = properties.getBroadcast();
        BroadcastDriver driver = broadcast.getDriver() != null ? broadcast.getDriver() : defaultDriver;
        String redisUrl = broadcast.getRedisUrl() == null || broadcast.getRedisUrl().isBlank()
                ? BroadcastConfig.DEFAULT_REDIS_URL : broadcast.getRedisUrl().trim();
        Duration timeout = broadcast.getTimeout() == null ? BroadcastConfig.DEFAULT_TIMEOUT : broadcast.getTimeout();
        Duration retryDelay = broadcast.getRetryDelay() == null
                ? BroadcastConfig.DEFAULT_RETRY_DELAY : broadcast.getRetryDelay();
        check(!timeout.isZero() && !timeout.isNegative(), "herald.broadcast.timeout must be positive, was " + timeout);
        check(broadcast.getRetries() >= 0, "herald.broadcast.retries must be >= 0, was " + broadcast.getRetries());
        check(!retryDelay.isNegative(), "herald.broadcast.retry-delay must not be negative, was " + retryDelay);
        return BroadcastConfig.defaults()
                .withDriver(driver)
                .withRedisUrl(redisUrl)
                .withRedisPrefix(broadcast.getRedisPrefix())
                .withTimeout(timeout)
                .withRetryPolicy(RetryPolicy.fixed(broadcast.getRetries(), retryDelay));
    }

    private static void check(boolean valid, String problem) {
        if (!valid) throw new IllegalArgumentException(problem);
    }

    static Broadcaster create(BroadcastConfig config, PublicationSink sink, ObjectProvider<BroadcastEncoder> encoder) {
        Broadcaster broadcaster = Broadcasters.create(config, sink, encoder.getIfAvailable(BroadcastEncoder::new));
        log.info("herald broadcasting with the {} driver ({})", broadcaster.driver(), config);
        return broadcaster;
    }

    /**
     * {@code herald.server.embedded=true}: a Herald server in this JVM on the in-memory broker, and a
     * {@code memory} broadcaster publishing to it (unless {@code herald.broadcast.driver} says otherwise).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HeraldServer.class)
    @ConditionalOnBooleanProperty("herald.server.embedded")
    static class EmbeddedServerConfiguration {

        @Bean(destroyMethod = "") // EmbeddedHerald closes it
        @ConditionalOnMissingBean
        HeraldServer heraldServer(HeraldProperties properties) {
            return new HeraldServer(serverConfig(properties.getServer()), new MemoryBroker());
        }

        @Bean
        @ConditionalOnMissingBean
        EmbeddedHerald embeddedHerald(HeraldServer heraldServer) {
            return new EmbeddedHerald(heraldServer);
        }

        /** The memory driver publishes to the embedded server's node; other drivers as configured. */
        @Bean
        @ConditionalOnMissingBean
        Broadcaster heraldBroadcaster(HeraldProperties properties, EmbeddedHerald embeddedHerald,
                                      ObjectProvider<BroadcastEncoder> encoder) {
            BroadcastConfig config = broadcastConfig(properties, BroadcastDriver.MEMORY);
            if (config.driver() != BroadcastDriver.MEMORY) {
                log.warn("herald.server.embedded=true but herald.broadcast.driver={}: events broadcast by this"
                        + " application do not reach the embedded server", config.driver());
            }
            return create(config, embeddedHerald.node()::publish, encoder);
        }

        static ServerConfig serverConfig(HeraldProperties.Server server) {
            check(server.getPort() >= 0 && server.getPort() <= 65535,
                    "herald.server.port must be 0..65535 (0: a free port), was " + server.getPort());
            String apiKey = server.getApiKey() == null || server.getApiKey().isBlank() ? randomKey() : server.getApiKey();
            check(apiKey.length() >= 8, "herald.server.api-key must be at least 8 characters");
            ServerConfig defaults = ServerConfig.defaults(apiKey);
            String host = server.getHost() == null || server.getHost().isBlank() ? defaults.host() : server.getHost().trim();
            List<String> origins = server.getAllowedOrigins() == null || server.getAllowedOrigins().isEmpty()
                    ? defaults.allowedOrigins() : server.getAllowedOrigins();
            return new ServerConfig(host, server.getPort(), null, "", false,
                    server.getEventFormat() == null ? EventFormat.ECHO : EventFormat.parse(server.getEventFormat().name()), false, defaults.appId(), apiKey, origins,
                    defaults.pingInterval(), defaults.pingTimeout(), defaults.maxPayload());
        }

        private static String randomKey() {
            byte[] bytes = new byte[20];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }
}
