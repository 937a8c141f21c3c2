package dev.herald.demo.provider;

import dev.herald.demo.Tokens;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The simulated third-party payment provider ("Lumen Pay"). The shop opens payments here and learns their outcome
 * only from the signed webhook, as with a real provider; the provider knows the shop only by the URLs and the
 * reference it was given.
 */
@Service
public class PaymentProvider {

    static final Duration PAYMENT_TTL = Duration.ofMinutes(30);

    private final ProviderPaymentRepository payments;
    private final WebhookSender webhooks;
    private final TransactionTemplate tx;
    private final Clock clock;

    PaymentProvider(ProviderPaymentRepository payments, WebhookSender webhooks, TransactionTemplate tx, Clock clock) {
        this.payments = payments;
        this.webhooks = webhooks;
        this.tx = tx;
        this.clock = clock;
    }

    /** Opens a payment; returns its id (the path of its checkout page is {@link ProviderPayment#checkoutPath(String)}). */
    public String open(PaymentRequest request) {
        String id = "pay_" + Tokens.random128();
        Instant now = clock.instant();
        payments.insert(id, request, now, now.plus(PAYMENT_TTL));
        return id;
    }

    public Optional<ProviderPayment> find(String id) {
        return Tokens.plausible(id.startsWith("pay_") ? id.substring(4) : "") ? payments.find(id) : Optional.empty();
    }

    /** The buyer approved: SUCCEEDED, then the webhook. False when the payment was no longer open. */
    public boolean approve(String id) {
        return complete(id, ProviderPayment.Status.SUCCEEDED, PaymentEvent.SUCCEEDED);
    }

    /** The buyer declined (or the card was refused): DECLINED, then the webhook. */
    public boolean decline(String id) {
        return complete(id, ProviderPayment.Status.DECLINED, PaymentEvent.FAILED);
    }

    private boolean complete(String id, ProviderPayment.Status status, String eventType) {
        Instant now = clock.instant();
        ProviderPayment payment = tx.execute(s -> payments.complete(id, status, now) ? payments.find(id).orElseThrow() : null);
        if (payment == null) return false;
        // After the provider's own commit, as a real provider does: the merchant may call back at once.
        webhooks.deliver(payment.callbackUrl(), new PaymentEvent("evt_" + Tokens.random128(), eventType, now.getEpochSecond(),
                new PaymentEvent.Data(payment.id(), payment.merchantReference(), payment.amountCents(), payment.currency())));
        return true;
    }
}
