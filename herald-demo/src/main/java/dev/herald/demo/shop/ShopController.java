package dev.herald.demo.shop;

import dev.herald.demo.DemoProperties;
import dev.herald.demo.web.QrCodes;
import dev.herald.demo.web.Urls;
import dev.herald.demo.provider.ProviderPayment;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The product page, the order page that waits for the payment, and its status endpoint (the socket's fallback). */
@Controller
class ShopController {

    private final OrderService orders;
    private final DemoProperties properties;
    private final Clock clock;

    ShopController(OrderService orders, DemoProperties properties, Clock clock) {
        this.orders = orders;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/")
    String product(Model model) {
        model.addAttribute("product", Product.NOTEBOOK);
        return "index";
    }

    @PostMapping("/orders")
    String pay(HttpServletRequest request) {
        String callback = properties.callbackUrl().isBlank()
                ? "http://127.0.0.1:" + request.getLocalPort() + PaymentWebhookController.PATH
                : properties.callbackUrl();
        Order order = orders.create(Product.NOTEBOOK, callback, Urls.publicBase(request, properties));
        return "redirect:/orders/" + order.token();
    }

    @GetMapping("/orders/{token}")
    String order(@PathVariable String token, Model model, HttpServletRequest request) {
        Order order = orders.find(token).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        Instant now = clock.instant();
        String checkoutUrl = Urls.publicBase(request, properties) + ProviderPayment.checkoutPath(order.providerPaymentId());
        model.addAttribute("order", order);
        model.addAttribute("status", order.status(now).name());
        model.addAttribute("checkoutUrl", checkoutUrl);
        model.addAttribute("qr", QrCodes.svgDataUri(checkoutUrl));
        model.addAttribute("expiresInMs", Math.max(0, Duration.between(now, order.expiresAt()).toMillis()));
        return "order";
    }

    /** The order's status as JSON, for pages whose socket is down or has just reconnected. */
    @GetMapping(path = "/orders/{token}/status", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, Object> status(@PathVariable String token) {
        Order order = orders.find(token).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", order.status(clock.instant()).name());
        body.put("reference", order.reference());
        body.put("amount", order.price());
        if (order.paidAt() != null) body.put("paidAt", order.paidAt().toString());
        return body;
    }
}
