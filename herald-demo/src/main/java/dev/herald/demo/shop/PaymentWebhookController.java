package dev.herald.demo.shop;

import dev.herald.demo.DemoConfiguration.WebhookSecret;
import dev.herald.demo.DemoProperties;
import dev.herald.demo.provider.PaymentEvent;
import dev.herald.demo.provider.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.Map;

/**
 * The shop's payment webhook, called by the provider. Refused (nothing applied): a missing, malformed or forged
 * signature (401), a signed timestamp outside {@code demo.webhook-tolerance} (400, so an intercepted request cannot be
 * replayed later), an unreadable body (400). A repeated event is answered 200 "duplicate" and changes nothing.
 */
@RestController
class PaymentWebhookController {

    static final String PATH = "/webhooks/payments";
    private static final Logger log = LoggerFactory.getLogger(PaymentWebhookController.class);

    private final PaymentWebhookService service;
    private final WebhookSecret secret;
    private final DemoProperties properties;
    private final JsonMapper json;
    private final Clock clock;

    PaymentWebhookController(PaymentWebhookService service, WebhookSecret secret, DemoProperties properties, JsonMapper json,
                             Clock clock) {
        this.service = service;
        this.secret = secret;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> receive(@RequestBody(required = false) byte[] body,
                                                @RequestHeader(name = WebhookSignature.HEADER, required = false) String signature) {
        byte[] bytes = body == null ? new byte[0] : body;
        WebhookSignature.Verdict verdict = WebhookSignature.verify(secret.value(), signature, bytes, clock.instant(),
                properties.webhookTolerance());
        switch (verdict) {
            case VALID -> { }
            case STALE_TIMESTAMP -> {
                log.warn("webhook refused: signed timestamp outside the tolerance of {}", properties.webhookTolerance());
                return ResponseEntity.badRequest().body(Map.of("error", "timestamp outside the tolerance"));
            }
            default -> {
                log.warn("webhook refused: signature {}", verdict);
                return ResponseEntity.status(401).body(Map.of("error", "invalid signature"));
            }
        }
        PaymentEvent event;
        try {
            event = json.readValue(bytes, PaymentEvent.class);
        } catch (JacksonException e) {
            return ResponseEntity.badRequest().body(Map.of("error", "unreadable event"));
        }
        if (event.id() == null || event.id().isBlank() || event.id().length() > 64 || event.type() == null
                || event.data() == null || event.data().paymentId() == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "incomplete event"));
        }
        PaymentWebhookService.Outcome outcome;
        try {
            outcome = service.apply(event);
        } catch (DuplicateKeyException e) {
            outcome = PaymentWebhookService.Outcome.DUPLICATE; // the same event, delivered twice at once
        }
        log.info("webhook {} {} for payment {}: {}", event.type(), event.id(), event.data().paymentId(), outcome);
        return ResponseEntity.ok(Map.of("status", outcome.name().toLowerCase()));
    }
}
