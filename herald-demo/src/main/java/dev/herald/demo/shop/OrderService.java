package dev.herald.demo.shop;

import dev.herald.demo.DemoProperties;
import dev.herald.demo.Tokens;
import dev.herald.demo.provider.PaymentProvider;
import dev.herald.demo.provider.PaymentRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Creating orders and reading them back. Payment outcomes arrive through {@link PaymentWebhookService}. */
@Service
public class OrderService {

    public static final String MERCHANT_NAME = "Herald Shop";

    private final OrderRepository orders;
    private final PaymentProvider provider;
    private final DemoProperties properties;
    private final Clock clock;

    public OrderService(OrderRepository orders, PaymentProvider provider, DemoProperties properties, Clock clock) {
        this.orders = orders;
        this.provider = provider;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * A pending order for {@code product} with a payment opened at the provider.
     *
     * @param callbackUrl where the provider posts the webhook
     * @param orderUrlBase the public base URL; the provider sends the buyer back to {@code <base>/orders/<token>}
     */
    @Transactional
    public Order create(Product product, String callbackUrl, String orderUrlBase) {
        Instant now = clock.instant();
        String token = Tokens.random128();
        long id = orders.insert(token, product, now, now.plus(properties.orderTtl()));
        Order order = orders.findByToken(token).orElseThrow();
        String paymentId = provider.open(new PaymentRequest(MERCHANT_NAME, token, product.name(), product.amountCents(),
                product.currency(), callbackUrl, orderUrlBase + "/orders/" + token));
        orders.setProviderPayment(id, paymentId);
        return orders.findByToken(token).orElseThrow();
    }

    @Transactional(readOnly = true)
    public Optional<Order> find(String token) {
        return Tokens.plausible(token) ? orders.findByToken(token) : Optional.empty();
    }
}
