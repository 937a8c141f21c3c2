package dev.herald.demo;

import dev.herald.demo.shop.Order;
import dev.herald.demo.shop.OrderPaid;
import dev.herald.demo.shop.OrderRepository;
import dev.herald.demo.shop.OrderService;
import dev.herald.demo.shop.OrderStatus;
import dev.herald.demo.shop.Product;
import dev.herald.demo.support.EmbeddedDemoTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo's events go through the starter's after-commit broadcasting: published inside a transaction, they reach
 * Herald only once it commits, and never when it rolls back (together with the database change they announce).
 */
class TransactionalBroadcastTest extends EmbeddedDemoTest {

    @Autowired
    OrderService orders;

    @Autowired
    OrderRepository orderRows;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate tx;

    private Order newOrder() {
        return orders.create(Product.NOTEBOOK, "http://127.0.0.1:9/unused", baseUrl());
    }

    @Test
    void anEventInATransactionThatRollsBackBroadcastsNothing() {
        Order order = newOrder();

        tx.executeWithoutResult(status -> {
            assertThat(orderRows.markPaid(order.id(), clock.instant())).isTrue();
            events.publishEvent(OrderPaid.of(order, clock.instant()));
            status.setRollbackOnly();
        });

        assertThat(applicationEvents.onChannel(order.channel())).hasSize(1); // it was published...
        assertThat(published.on(order.channel())).isEmpty();                 // ...and never broadcast
        assertThat(orders.find(order.token()).orElseThrow().status(clock.instant())).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void anEventInATransactionThatFailsBroadcastsNothing() {
        Order order = newOrder();

        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            orderRows.markPaid(order.id(), clock.instant());
            events.publishEvent(OrderPaid.of(order, clock.instant()));
            throw new IllegalStateException("the receipt could not be stored");
        })).hasMessageContaining("receipt");

        assertThat(published.on(order.channel())).isEmpty();
        assertThat(orders.find(order.token()).orElseThrow().status(clock.instant())).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void anEventIsBroadcastOnlyAfterItsTransactionCommits() {
        Order order = newOrder();

        tx.executeWithoutResult(status -> {
            orderRows.markPaid(order.id(), clock.instant());
            events.publishEvent(OrderPaid.of(order, clock.instant()));
            assertThat(published.on(order.channel())).as("not before the commit").isEmpty();
        });

        assertThat(published.on(order.channel())).hasSize(1);
        assertThat(published.on(order.channel()).get(0).event()).isEqualTo("order.paid");
    }
}
