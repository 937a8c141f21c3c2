package dev.herald.demo.provider;

/**
 * What a merchant sends the provider to open a payment (in the real world: a POST to the provider's API).
 *
 * @param merchantReference the merchant's own reference, echoed in the webhook
 * @param callbackUrl       where the provider posts the signed webhook
 * @param returnUrl         where the provider's page sends the buyer back
 */
public record PaymentRequest(String merchantName, String merchantReference, String description, int amountCents,
                             String currency, String callbackUrl, String returnUrl) {
}
