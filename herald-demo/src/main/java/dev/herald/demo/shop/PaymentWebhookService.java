package dev.herald.demo.shop;

import dev.herald.demo.Db;
import dev.herald.demo.provider.PaymentEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Applies a verified payment webhook, once. In one transaction: the event id is recorded in
 * {@code webhook_delivery} (its primary key makes a repeated delivery fail here, before anything else happens), the
 * pending order is marked paid (or failed) with a conditional update, and {@link OrderPaid} / {@link OrderFailed} is
 * published. The starter broadcasts it after the commit, never on rollback, so a page never hears of a payment the
 * database does not have, and a repeated or late event changes nothing and broadcasts nothing.
 */
@Service
public class PaymentWebhookService {

    /** What became of a delivery. */
    public enum Outcome { APPLIED, IGNORED, UNKNOWN_ORDER, DUPLICATE }

    private final JdbcClient jdbc;
    private final OrderRepository orders;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public PaymentWebhookService(JdbcClient jdbc, OrderRepository orders, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @throws org.springframework.dao.DuplicateKeyException when a concurrent delivery of the same event won the race
     *                                                        (the caller answers {@link Outcome#DUPLICATE})
     */
    @Transactional
    public Outcome apply(PaymentEvent event) {
        if (seen(event.id())) return Outcome.DUPLICATE;
        Instant now = clock.instant();
        jdbc.sql("""
                        insert into webhook_delivery (event_id, event_type, payment_id, outcome, received_at)
                        values (:id, :type, :payment, 'RECEIVED', :now)""")
                .param("id", event.id()).param("type", event.type()).param("payment", event.data().paymentId())
                .param("now", Db.ts(now)).update();
        Outcome outcome = applyToOrder(event, now);
        jdbc.sql("update webhook_delivery set outcome = :outcome where event_id = :id")
                .param("outcome", outcome.name()).param("id", event.id()).update();
        return outcome;
    }

    private Outcome applyToOrder(PaymentEvent event, Instant now) {
        Optional<Order> found = orders.findByPaymentId(event.data().paymentId());
        if (found.isEmpty()) return Outcome.UNKNOWN_ORDER;
        Order order = found.get();
        PaymentEvent.Data data = event.data();
        if (!order.token().equals(data.reference()) || order.amountCents() != data.amount()
                || !order.currency().equals(data.currency())) {
            return Outcome.IGNORED; // not the payment this order asked for
        }
        switch (event.type()) {
            case PaymentEvent.SUCCEEDED -> {
                if (!orders.markPaid(order.id(), now)) return Outcome.IGNORED;
                events.publishEvent(OrderPaid.of(order, now)); // broadcast after commit by the starter
                return Outcome.APPLIED;
            }
            case PaymentEvent.FAILED -> {
                if (!orders.markFailed(order.id(), now)) return Outcome.IGNORED;
                events.publishEvent(new OrderFailed(order.token(), order.reference()));
                return Outcome.APPLIED;
            }
            default -> {
                return Outcome.IGNORED;
            }
        }
    }

    private boolean seen(String eventId) {
        return jdbc.sql("select count(*) from webhook_delivery where event_id = :id").param("id", eventId)
                .query(Long.class).single() > 0;
    }
}
