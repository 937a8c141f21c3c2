package dev.herald.redis;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisBrokerConfigTest {

    @Test
    void defaults() {
        RedisBrokerConfig config = RedisBrokerConfig.of("redis://127.0.0.1:6379/0");
        assertThat(config.prefix()).isEmpty();
        assertThat(config.subscribeMode()).isEqualTo(SubscribeMode.PER_CHANNEL);
        assertThat(config.maxMessageBytes()).isEqualTo(1024 * 1024);
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withersChangeOneField() {
        RedisBrokerConfig config = RedisBrokerConfig.of("redis://localhost").withPrefix("laravel_database_")
                .withSubscribeMode(SubscribeMode.PATTERN).withMaxMessageBytes(2048).withCommandTimeout(Duration.ofMillis(300));
        assertThat(config).isEqualTo(new RedisBrokerConfig("redis://localhost", "laravel_database_", SubscribeMode.PATTERN,
                2048, Duration.ofMillis(300)));
    }

    @ParameterizedTest
    @CsvSource({
            "redis://127.0.0.1:6379/0,            redis://127.0.0.1:6379/0",
            "redis://localhost,                   redis://localhost:6379/0",
            "redis://:s3cret@redis.internal:6380/2, redis://redis.internal:6380/2",
            "redis://s3cret@redis.internal/1,     redis://redis.internal:6379/1",
            "redis://app:s3cret@redis.internal,   redis://app@redis.internal:6379/0",
            "rediss://:s3cret@cache.example.com:6380, rediss://cache.example.com:6380/0",
            "redis://[::1]:7000/3,                redis://[::1]:7000/3",
            "REDIS://Host:1/,                     redis://Host:1/0",
    })
    void urlsAreAcceptedAndRedacted(String url, String redacted) {
        RedisBrokerConfig config = RedisBrokerConfig.of(url);
        assertThat(config.redactedUrl()).isEqualTo(redacted);
        assertThat(config.toString()).contains(redacted).doesNotContain("s3cret");
        assertThat(new RedisBroker(config).describe()).isEqualTo(redacted);
    }

    @Test
    void lettuceUriCarriesCredentialsDatabaseTlsAndTimeout() {
        RedisURI uri = RedisBrokerConfig.of("rediss://app:p%40ss%3Aw0rd@cache.example.com:6380/4")
                .withCommandTimeout(Duration.ofMillis(750)).redisUri();
        assertThat(uri.getHost()).isEqualTo("cache.example.com");
        assertThat(uri.getPort()).isEqualTo(6380);
        assertThat(uri.getDatabase()).isEqualTo(4);
        assertThat(uri.isSsl()).isTrue();
        RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
        assertThat(credentials.getUsername()).isEqualTo("app");
        assertThat(new String(credentials.getPassword())).isEqualTo("p@ss:w0rd");
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofMillis(750));

        RedisURI ipv6 = RedisBrokerConfig.of("redis://:pw@[::1]:7000").redisUri();
        assertThat(ipv6.getHost()).isEqualTo("::1");
        RedisCredentials ipv6Credentials = ipv6.getCredentialsProvider().resolveCredentials().block();
        assertThat(ipv6Credentials.hasUsername()).isFalse();
        assertThat(new String(ipv6Credentials.getPassword())).isEqualTo("pw");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://:s3cret@host:6379     | must start with redis:// or rediss:// (scheme is 'http')",
            "127.0.0.1:6379               | must start with redis:// or rediss://",
            "redis://:s3cret@/0           | has no host",
            "redis://:s3cr#et@host:6379/0 | has no host",
            "redis://:s3cret@host:99999/0 | port must be between 1 and 65535",
            "redis://:s3cret@host:6379/x  | database must be a non-negative number",
            "redis://:s3cret@host:6379/-1 | database must be a non-negative number",
            "redis://:s3cret@host/0?timeout=5s | must not have ?parameters",
            "redis://:s3cret@ho st:6379/0 | not a valid URL",
            "redis://:s3cr%zzet@host/0    | not a valid URL",
    })
    void badUrlsAreRejectedWithoutEchoingThePassword(String url, String problem) {
        assertThatThrownBy(() -> RedisBrokerConfig.of(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("redisUrl ")
                .hasMessageContaining(problem)
                .message().doesNotContain("s3cr");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyUrlIsRejected(String url) {
        assertThatThrownBy(() -> RedisBrokerConfig.of(url)).hasMessageContaining("redisUrl is empty");
        assertThatThrownBy(() -> RedisBrokerConfig.of(null)).hasMessageContaining("redisUrl is empty");
    }

    @Test
    void otherFieldsAreValidated() {
        RedisBrokerConfig ok = RedisBrokerConfig.of("redis://localhost");
        assertThatThrownBy(() -> ok.withPrefix(null)).hasMessageContaining("prefix is null");
        assertThatThrownBy(() -> ok.withPrefix("laravel database_")).hasMessageContaining("prefix contains whitespace");
        assertThatThrownBy(() -> ok.withPrefix("app\n")).hasMessageContaining("at index 3");
        assertThatThrownBy(() -> ok.withSubscribeMode(null)).hasMessageContaining("subscribeMode is null");
        assertThatThrownBy(() -> ok.withMaxMessageBytes(0)).hasMessageContaining("maxMessageBytes must be between 1 and");
        assertThatThrownBy(() -> ok.withMaxMessageBytes(Integer.MAX_VALUE)).hasMessageContaining("maxMessageBytes");
        assertThatThrownBy(() -> ok.withCommandTimeout(Duration.ZERO)).hasMessageContaining("commandTimeout must be at least 1 ms");
        assertThatThrownBy(() -> ok.withCommandTimeout(Duration.ofSeconds(-1))).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> ok.withCommandTimeout(null)).hasMessageContaining("commandTimeout");
        assertThat(ok.withPrefix("laravel-database-").prefix()).isEqualTo("laravel-database-");
    }

    @Test
    void patternEscapesGlobCharactersOfThePrefix() {
        assertThat(RedisBroker.globEscape("laravel_database_")).isEqualTo("laravel_database_");
        assertThat(RedisBroker.globEscape("a*b?c[d]e\\")).isEqualTo("a\\*b\\?c\\[d\\]e\\\\");
    }
}
