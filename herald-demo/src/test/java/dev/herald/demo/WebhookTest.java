package dev.herald.demo;

import dev.herald.demo.provider.PaymentEvent;
import dev.herald.demo.shop.Order;
import dev.herald.demo.shop.OrderService;
import dev.herald.demo.shop.OrderStatus;
import dev.herald.demo.shop.Product;
import dev.herald.demo.support.DemoHttp;
import dev.herald.demo.support.EmbeddedDemoTest;
import dev.herald.demo.support.Webhooks;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payment webhook over real HTTP: what is refused, what is applied once, and what reaches the embedded Herald
 * server. The memory driver broadcasts synchronously in the committing thread, so by the time a response arrives
 * every broadcast of that request has reached the server's node: "nothing broadcast" is checked at once, both on
 * the node and on the application events the shop published.
 */
class WebhookTest extends EmbeddedDemoTest {

    @Autowired
    OrderService orders;

    private Order newOrder() {
        return orders.create(Product.NOTEBOOK, "http://127.0.0.1:9/unused", baseUrl());
    }

    private OrderStatus statusOf(Order order) {
        return orders.find(order.token()).orElseThrow().status(clock.instant());
    }

    private DemoHttp.Response deliver(byte[] body, Instant signedAt) {
        return http().postWebhook(body, Webhooks.sign(secret.value(), signedAt, body));
    }

    private void assertNothingBroadcast(Order order) {
        assertThat(published.on(order.channel())).isEmpty();
        assertThat(applicationEvents.onChannel(order.channel())).isEmpty();
        assertThat(statusOf(order)).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void aValidWebhookMarksTheOrderPaidAndBroadcastsOrderPaidOnceOnItsChannel() {
        Order order = newOrder();
        DemoHttp.Response response = deliver(Webhooks.body("evt_valid_" + order.id(), PaymentEvent.SUCCEEDED, order), clock.instant());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("\"applied\"");
        assertThat(statusOf(order)).isEqualTo(OrderStatus.PAID);
        List<Publication> sent = published.on("orders." + order.token());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).event()).isEqualTo("order.paid");
        assertThat(sent.get(0).data()).contains("\"status\":\"PAID\"").contains(order.reference());
        assertThat(http().get("/orders/" + order.token() + "/status").body()).contains("\"status\":\"PAID\"");
    }

    @Test
    void aForgedSignatureIsRefused() {
        Order order = newOrder();
        byte[] body = Webhooks.body("evt_forged_" + order.id(), PaymentEvent.SUCCEEDED, order);
        DemoHttp.Response response = http().postWebhook(body, Webhooks.sign("whsec_not-the-secret", clock.instant(), body));

        assertThat(response.status()).isEqualTo(401);
        assertNothingBroadcast(order);
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() {
        Order order = newOrder();
        Order other = newOrder();
        byte[] signedBody = Webhooks.body("evt_swap_" + order.id(), PaymentEvent.FAILED, order);
        String signature = Webhooks.sign(secret.value(), clock.instant(), signedBody);
        byte[] swapped = Webhooks.body("evt_swap_" + order.id(), PaymentEvent.SUCCEEDED, other);

        assertThat(http().postWebhook(swapped, signature).status()).isEqualTo(401);
        assertNothingBroadcast(order);
        assertNothingBroadcast(other);
    }

    @Test
    void aMissingOrMalformedSignatureIsRefused() {
        Order order = newOrder();
        byte[] body = Webhooks.body("evt_unsigned_" + order.id(), PaymentEvent.SUCCEEDED, order);

        assertThat(http().postWebhook(body, null).status()).isEqualTo(401);
        assertThat(http().postWebhook(body, "v1=abc").status()).isEqualTo(401);
        assertThat(http().postWebhook(body, "t=now,v1=zz").status()).isEqualTo(401);
        assertNothingBroadcast(order);
    }

    @Test
    void aStaleTimestampIsRefusedEvenWithAValidSignature() {
        Order order = newOrder();
        byte[] body = Webhooks.body("evt_stale_" + order.id(), PaymentEvent.SUCCEEDED, order);

        DemoHttp.Response stale = deliver(body, clock.instant().minus(Duration.ofMinutes(6)));
        DemoHttp.Response future = deliver(body, clock.instant().plus(Duration.ofMinutes(6)));

        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.body()).contains("timestamp");
        assertThat(future.status()).isEqualTo(400);
        assertNothingBroadcast(order);
    }

    @Test
    void aReplayedRequestIsRefusedOnceItsTimestampIsOutsideTheWindow() {
        Order order = newOrder();
        byte[] body = Webhooks.body("evt_replay_" + order.id(), PaymentEvent.SUCCEEDED, order);
        String captured = Webhooks.sign(secret.value(), clock.instant(), body);

        clock.advance(Duration.ofMinutes(10)); // an attacker replays the captured request later
        assertThat(http().postWebhook(body, captured).status()).isEqualTo(400);
        assertNothingBroadcast(order);
    }

    @Test
    void aDuplicateDeliveryChangesNothingAndBroadcastsNothingNew() {
        Order order = newOrder();
        byte[] body = Webhooks.body("evt_dup_" + order.id(), PaymentEvent.SUCCEEDED, order);
        String signature = Webhooks.sign(secret.value(), clock.instant(), body);

        DemoHttp.Response first = http().postWebhook(body, signature);
        DemoHttp.Response again = http().postWebhook(body, signature);                     // the same request replayed
        DemoHttp.Response retried = deliver(body, clock.instant().plus(Duration.ofSeconds(30))); // the provider's retry

        assertThat(first.body()).contains("\"applied\"");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicate\"");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body()).contains("\"duplicate\"");
        assertThat(published.on(order.channel())).hasSize(1);
        assertThat(applicationEvents.onChannel(order.channel())).hasSize(1);
        assertThat(statusOf(order)).isEqualTo(OrderStatus.PAID);
    }

    @Test
    void anotherEventForAnOrderAlreadyPaidIsIgnored() {
        Order order = newOrder();
        assertThat(deliver(Webhooks.body("evt_a_" + order.id(), PaymentEvent.SUCCEEDED, order), clock.instant()).body())
                .contains("\"applied\"");

        DemoHttp.Response paidAgain = deliver(Webhooks.body("evt_b_" + order.id(), PaymentEvent.SUCCEEDED, order), clock.instant());
        DemoHttp.Response failedLate = deliver(Webhooks.body("evt_c_" + order.id(), PaymentEvent.FAILED, order), clock.instant());

        assertThat(paidAgain.body()).contains("\"ignored\"");
        assertThat(failedLate.body()).contains("\"ignored\"");
        assertThat(published.on(order.channel())).hasSize(1);
        assertThat(statusOf(order)).isEqualTo(OrderStatus.PAID);
    }

    @Test
    void aDeclinedPaymentMarksTheOrderFailedAndBroadcastsOrderFailed() {
        Order order = newOrder();
        DemoHttp.Response response = deliver(Webhooks.body("evt_declined_" + order.id(), PaymentEvent.FAILED, order), clock.instant());

        assertThat(response.body()).contains("\"applied\"");
        assertThat(statusOf(order)).isEqualTo(OrderStatus.FAILED);
        assertThat(published.on(order.channel())).extracting(Publication::event).containsExactly("order.failed");
    }

    @Test
    void anEventWhoseAmountOrReferenceDoesNotMatchTheOrderIsIgnored() {
        Order order = newOrder();
        byte[] wrongAmount = Webhooks.body("evt_amount_" + order.id(), PaymentEvent.SUCCEEDED, order.providerPaymentId(),
                order.token(), 1, order.currency());
        byte[] unknownPayment = Webhooks.body("evt_unknown_" + order.id(), PaymentEvent.SUCCEEDED, "pay_unknown",
                order.token(), order.amountCents(), order.currency());

        assertThat(deliver(wrongAmount, clock.instant()).body()).contains("\"ignored\"");
        assertThat(deliver(unknownPayment, clock.instant()).body()).contains("\"unknown_order\"");
        assertNothingBroadcast(order);
    }

    @Test
    void anUnreadableBodyIsRefused() {
        byte[] body = "{not json".getBytes();
        assertThat(deliver(body, clock.instant()).status()).isEqualTo(400);
        byte[] incomplete = "{\"id\":\"evt_x\"}".getBytes();
        assertThat(deliver(incomplete, clock.instant()).status()).isEqualTo(400);
    }

    @Test
    void theStatusEndpointReportsPendingAndExpiredAndUnknownOrders() {
        Order order = newOrder();
        assertThat(http().get("/orders/" + order.token() + "/status").body()).contains("\"status\":\"PENDING\"");
        clock.advance(Duration.ofMinutes(31));
        assertThat(http().get("/orders/" + order.token() + "/status").body()).contains("\"status\":\"EXPIRED\"");
        assertThat(http().get("/orders/" + "0".repeat(32) + "/status").status()).isEqualTo(404);
    }
}
