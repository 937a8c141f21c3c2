package dev.herald.demo.provider;

/**
 * The webhook body the provider posts:
 * {@code {"id":"evt_..","type":"payment.succeeded","created":1700000000,"data":{"paymentId":..,"reference":..,"amount":2400,"currency":"EUR"}}}.
 * {@code id} is the same on every retry of one event: the merchant recognises repeats by it.
 */
public record PaymentEvent(String id, String type, long created, Data data) {

    public static final String SUCCEEDED = "payment.succeeded";
    public static final String FAILED = "payment.failed";

    public record Data(String paymentId, String reference, long amount, String currency) {}
}
