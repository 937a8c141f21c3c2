package dev.herald.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The beans the demo's parts share. */
@Configuration(proxyBeanMethods = false)
public class DemoConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The webhook secret: the provider signs with it, the shop verifies with it (each holds its own copy, as a real
     * merchant copies the provider's signing secret into its configuration).
     */
    @Bean
    WebhookSecret webhookSecret(DemoProperties properties) {
        String configured = properties.webhookSecret();
        return new WebhookSecret(configured == null || configured.isBlank() ? "whsec_" + Tokens.random(24) : configured);
    }

    /** The HMAC key of the payment webhooks. */
    public record WebhookSecret(String value) {
        @Override
        public String toString() { return "WebhookSecret[****]"; }
    }
}
