package dev.herald.demo.provider;

import dev.herald.demo.DemoConfiguration.WebhookSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The provider's webhook delivery: POSTs the signed event to the merchant's callback URL, in the background, and
 * retries a failed delivery (non-2xx or no answer) up to {@value #ATTEMPTS} times with a growing delay, each
 * attempt signed anew with the current time and the same event id.
 */
@Component
class WebhookSender implements AutoCloseable {

    static final int ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookSecret secret;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "provider-webhooks");
        t.setDaemon(true);
        return t;
    });

    WebhookSender(WebhookSecret secret, JsonMapper json, Clock clock) {
        this.secret = secret;
        this.json = json;
        this.clock = clock;
    }

    void deliver(String callbackUrl, PaymentEvent event) {
        byte[] body = json.writeValueAsBytes(event);
        executor.execute(() -> attempt(callbackUrl, event, body, 1));
    }

    private void attempt(String callbackUrl, PaymentEvent event, byte[] body, int attempt) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(callbackUrl))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(secret.value(), clock.instant(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                log.info("webhook {} {} delivered: {}", event.type(), event.id(), response.body());
                return;
            }
            log.warn("webhook {} {} answered {}: {}", event.type(), event.id(), response.statusCode(), response.body());
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            log.warn("webhook {} {} to {} failed: {}", event.type(), event.id(), callbackUrl, e.toString());
        }
        if (attempt < ATTEMPTS && !executor.isShutdown()) {
            executor.schedule(() -> attempt(callbackUrl, event, body, attempt + 1), 1L << attempt, TimeUnit.SECONDS);
        } else {
            log.error("webhook {} {} given up after {} attempts", event.type(), event.id(), attempt);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
