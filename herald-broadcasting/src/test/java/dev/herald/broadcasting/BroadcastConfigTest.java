package dev.herald.broadcasting;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BroadcastConfigTest {

    @Test
    void defaults() {
        BroadcastConfig config = BroadcastConfig.fromEnvironment(Map.of());
        assertThat(config).isEqualTo(BroadcastConfig.defaults());
        assertThat(config.driver()).isEqualTo(BroadcastDriver.LOG);
        assertThat(config.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(config.redisPrefix()).isEmpty();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.retryPolicy()).isEqualTo(RetryPolicy.none());
        assertThat(BroadcastConfig.fromProperties(new Properties())).isEqualTo(config);
    }

    @Test
    void fromLaravelStyleEnvironment() {
        BroadcastConfig config = BroadcastConfig.fromEnvironment(Map.of("BROADCAST_DRIVER", " Redis ",
                "REDIS_URL", "redis://:pw@10.0.0.5:6380/2", "REDIS_PREFIX", "laravel_database_",
                "BROADCAST_TIMEOUT", "750ms", "BROADCAST_RETRIES", "3", "BROADCAST_RETRY_DELAY", "PT0.2S"));
        assertThat(config).isEqualTo(new BroadcastConfig(BroadcastDriver.REDIS, "redis://:pw@10.0.0.5:6380/2",
                "laravel_database_", Duration.ofMillis(750), RetryPolicy.fixed(3, Duration.ofMillis(200))));
        assertThat(config.toString()).doesNotContain("pw").contains("//***@10.0.0.5");
    }

    @Test
    void laravel11ConnectionVariableAndEmptyValues() {
        assertThat(BroadcastConfig.fromEnvironment(Map.of("BROADCAST_CONNECTION", "null")).driver())
                .isEqualTo(BroadcastDriver.NULL);
        assertThat(BroadcastConfig.fromEnvironment(Map.of("BROADCAST_DRIVER", "memory", "BROADCAST_CONNECTION", "null"))
                .driver()).isEqualTo(BroadcastDriver.MEMORY);
        assertThat(BroadcastConfig.fromEnvironment(Map.of("BROADCAST_DRIVER", "", "REDIS_URL", " ", "BROADCAST_TIMEOUT", "")))
                .isEqualTo(BroadcastConfig.defaults());
    }

    @Test
    void fromProperties() {
        Properties properties = new Properties();
        properties.setProperty("broadcast.driver", "redis");
        properties.setProperty("broadcast.redis.url", "rediss://cache:6380");
        properties.setProperty("broadcast.redis.prefix", "laravel-database-");
        properties.setProperty("broadcast.timeout", "2s");
        properties.setProperty("broadcast.retries", "1");
        properties.setProperty("broadcast.retry-delay", "50");
        assertThat(BroadcastConfig.fromProperties(properties)).isEqualTo(new BroadcastConfig(BroadcastDriver.REDIS,
                "rediss://cache:6380", "laravel-database-", Duration.ofSeconds(2),
                RetryPolicy.fixed(1, Duration.ofMillis(50))));
        assertThat(BroadcastConfig.fromProperties(Map.of("broadcast.timeout", Duration.ofSeconds(3), "broadcast.retries", 2))
                .retryPolicy().retries()).isEqualTo(2);
    }

    @Test
    void unknownDriverListsTheValidOnes() {
        assertThatThrownBy(() -> BroadcastConfig.fromEnvironment(Map.of("BROADCAST_DRIVER", "kafka")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BROADCAST_DRIVER: unknown broadcast driver 'kafka'; valid drivers: redis, log, null, memory");
        assertThatThrownBy(() -> BroadcastConfig.fromProperties(Map.of("broadcast.driver", "pusher")))
                .hasMessageStartingWith("broadcast.driver: unknown broadcast driver 'pusher'")
                .hasMessageContaining("use redis with the Herald server");
    }

    @Test
    void badNumbersAndDurationsNameTheSetting() {
        assertThatThrownBy(() -> BroadcastConfig.fromEnvironment(Map.of("BROADCAST_TIMEOUT", "5 seconds")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BROADCAST_TIMEOUT is not a duration");
        assertThatThrownBy(() -> BroadcastConfig.fromEnvironment(Map.of("BROADCAST_TIMEOUT", "0")))
                .hasMessageContaining("BROADCAST_TIMEOUT must be positive");
        assertThatThrownBy(() -> BroadcastConfig.fromEnvironment(Map.of("BROADCAST_RETRIES", "-1")))
                .hasMessageContaining("BROADCAST_RETRIES must be a whole number >= 0");
        assertThatThrownBy(() -> BroadcastConfig.fromProperties(Map.of("broadcast.retries", "three")))
                .hasMessageContaining("broadcast.retries must be a whole number >= 0, was 'three'");
        assertThatThrownBy(() -> BroadcastConfig.fromProperties(Map.of("broadcast.retry-delay", "-PT1S")))
                .hasMessageContaining("broadcast.retry-delay must not be negative");
    }

    @Test
    void durations() {
        assertThat(BroadcastConfig.duration("250ms", null, "x")).isEqualTo(Duration.ofMillis(250));
        assertThat(BroadcastConfig.duration("3s", null, "x")).isEqualTo(Duration.ofSeconds(3));
        assertThat(BroadcastConfig.duration("1m", null, "x")).isEqualTo(Duration.ofMinutes(1));
        assertThat(BroadcastConfig.duration("PT1.5S", null, "x")).isEqualTo(Duration.ofMillis(1500));
        assertThat(BroadcastConfig.duration("1200", null, "x")).isEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void retryPolicyAndRecordValidation() {
        assertThat(RetryPolicy.fixed(0, Duration.ofSeconds(1))).isEqualTo(RetryPolicy.none());
        assertThat(RetryPolicy.fixed(3, Duration.ofMillis(200))).hasToString("RetryPolicy.fixed(3, PT0.2S)");
        assertThatThrownBy(() -> RetryPolicy.fixed(-1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.fixed(1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BroadcastConfig.defaults().withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BroadcastConfig.defaults().withRedisPrefix(null).redisPrefix()).isEmpty();
        assertThat(BroadcastDriver.parse("NULL")).isEqualTo(BroadcastDriver.NULL);
    }
}
