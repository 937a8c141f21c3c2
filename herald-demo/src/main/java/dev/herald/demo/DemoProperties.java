package dev.herald.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The demo's settings ({@code demo.*}).
 *
 * @param pushUrl          where the pages' socket.io-client connects (the Herald server); empty: the page's own host
 *                         on {@code herald.server.port}, i.e. the embedded server
 * @param publicUrl        base of the URLs put in QR codes and links; empty: the URL the browser used
 * @param callbackUrl      where the simulated provider posts its webhooks; empty: this app on 127.0.0.1
 * @param webhookSecret    the HMAC secret the provider signs webhooks with and the shop verifies them with; empty: a
 *                         random one per start
 * @param webhookTolerance how old (or how far in the future) a webhook's signed timestamp may be
 * @param orderTtl         how long an order waits for its payment
 * @param loginTtl         how long a login QR code can be scanned
 * @param loginTokenTtl    how long the desktop page has to exchange the one-time login token
 * @param phoneUser        who is "signed in on the phone" that confirms QR logins
 */
@ConfigurationProperties("demo")
public record DemoProperties(
        @DefaultValue("") String pushUrl,
        @DefaultValue("") String publicUrl,
        @DefaultValue("") String callbackUrl,
        @DefaultValue("") String webhookSecret,
        @DefaultValue("5m") Duration webhookTolerance,
        @DefaultValue("30m") Duration orderTtl,
        @DefaultValue("2m") Duration loginTtl,
        @DefaultValue("60s") Duration loginTokenTtl,
        @DefaultValue("Ada Lovelace") String phoneUser) {
}
