package dev.herald.demo.shop;

import java.time.Instant;

/**
 * An order of the shop.
 *
 * @param token the unguessable 128-bit capability in the order page's URL and in its push channel
 */
public record Order(long id, String token, String productSku, String productName, int amountCents, String currency,
                    OrderStatus storedStatus, String providerPaymentId, Instant createdAt, Instant expiresAt,
                    Instant paidAt, Instant failedAt) {

    /**
     * The order's push channel. Herald only offers public channels until channel authorization exists, so the
     * protection is the name: it carries the order's unguessable token, which only the buyer's page knows (never
     * the order id, which is guessable).
     */
    public String channel() {
        return channelOf(token);
    }

    public static String channelOf(String token) {
        return "orders." + token;
    }

    /** The stored status, or EXPIRED for a pending order past its expiry. */
    public OrderStatus status(Instant now) {
        if (storedStatus == OrderStatus.PENDING && !now.isBefore(expiresAt)) return OrderStatus.EXPIRED;
        return storedStatus;
    }

    public String price() {
        return Product.Money.format(amountCents, currency);
    }

    /** The short reference shown to people (not a secret). */
    public String reference() {
        return "HS-" + String.format("%06d", id);
    }
}
