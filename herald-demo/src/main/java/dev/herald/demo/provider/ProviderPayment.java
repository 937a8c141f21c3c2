package dev.herald.demo.provider;

import java.time.Instant;

/** A payment in the provider's books. */
public record ProviderPayment(String id, String merchantName, String merchantReference, String description,
                              int amountCents, String currency, String callbackUrl, String returnUrl, Status status,
                              Instant createdAt, Instant expiresAt, Instant completedAt) {

    public enum Status { OPEN, SUCCEEDED, DECLINED }

    public boolean expired(Instant now) {
        return status == Status.OPEN && !now.isBefore(expiresAt);
    }

    /** The provider's hosted page for this payment, relative to the app's root. */
    public String checkoutPath() {
        return checkoutPath(id);
    }

    public static String checkoutPath(String id) {
        return "/provider/checkout/" + id;
    }
}
