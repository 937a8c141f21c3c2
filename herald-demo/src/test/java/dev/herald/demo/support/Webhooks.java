package dev.herald.demo.support;

import dev.herald.demo.provider.WebhookSignature;
import dev.herald.demo.shop.Order;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Webhook bodies as the provider writes them, and their signatures. */
public final class Webhooks {

    private Webhooks() {}

    public static byte[] body(String eventId, String type, Order order) {
        return body(eventId, type, order.providerPaymentId(), order.token(), order.amountCents(), order.currency());
    }

    public static byte[] body(String eventId, String type, String paymentId, String reference, long amount, String currency) {
        return ("{\"id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"created\":" + Instant.now().getEpochSecond()
                + ",\"data\":{\"paymentId\":\"" + paymentId + "\",\"reference\":\"" + reference + "\",\"amount\":" + amount
                + ",\"currency\":\"" + currency + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    public static String sign(String secret, Instant at, byte[] body) {
        return WebhookSignature.sign(secret, at, body);
    }
}
