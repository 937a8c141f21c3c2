package dev.herald.demo.provider;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

import java.time.Clock;

/** The provider's hosted checkout page: where the buyer (on a phone, or following the link) approves the payment. */
@Controller
class ProviderController {

    private final PaymentProvider provider;
    private final Clock clock;

    ProviderController(PaymentProvider provider, Clock clock) {
        this.provider = provider;
        this.clock = clock;
    }

    @GetMapping("/provider/checkout/{id}")
    String checkout(@PathVariable String id, Model model) {
        ProviderPayment payment = provider.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("payment", payment);
        model.addAttribute("amount", dev.herald.demo.shop.Product.Money.format(payment.amountCents(), payment.currency()));
        model.addAttribute("state", payment.expired(clock.instant()) ? "EXPIRED" : payment.status().name());
        return "provider/checkout";
    }

    @PostMapping("/provider/checkout/{id}/approve")
    String approve(@PathVariable String id) {
        provider.approve(id); // a second click finds the payment completed and changes nothing
        return "redirect:/provider/checkout/" + id;
    }

    @PostMapping("/provider/checkout/{id}/decline")
    String decline(@PathVariable String id) {
        provider.decline(id);
        return "redirect:/provider/checkout/" + id;
    }
}
