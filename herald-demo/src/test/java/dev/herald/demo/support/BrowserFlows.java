package dev.herald.demo.support;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two flows as a person goes through them, a desktop browser and a phone (two browser contexts, so two sets of
 * cookies), with a screenshot of each step under {@code target/screenshots/<mode>/}. Shared by the embedded-mode and
 * the Redis-mode browser tests.
 */
public final class BrowserFlows {

    /** The page must show the result this soon after the phone's click (the provider's webhook included). */
    public static final Duration PUSH_DEADLINE = Duration.ofSeconds(5);

    private final Chromium chromium;
    private final String baseUrl;
    private final String mode;

    public BrowserFlows(Chromium chromium, String baseUrl, String mode) {
        this.chromium = chromium;
        this.baseUrl = baseUrl;
        this.mode = mode;
    }

    public void shot(Page page, String name) {
        Chromium.screenshot(page, mode + "/" + name);
    }

    public static LocatorAssertions.IsVisibleOptions within(Duration timeout) {
        return new LocatorAssertions.IsVisibleOptions().setTimeout(timeout.toMillis());
    }

    /** From the product page to an order page that is live (subscribed) and waiting; returns that page. */
    public Page openWaitingOrder(BrowserContext desktop) {
        Page page = desktop.newPage();
        page.navigate(baseUrl + "/");
        page.getByTestId("pay-button").click();
        page.waitForURL("**/orders/*");
        assertThat(page.getByTestId("order-status")).hasText("Waiting for payment");
        assertThat(page.locator("#live")).hasText("Live updates on"); // subscribed: the ack came back
        return page;
    }

    /** The provider page as the phone opens it from the order page's QR code (decoded from the screen). */
    public Page scanPaymentCode(Page order, BrowserContext phone) {
        String link = order.getByTestId("provider-link").getAttribute("href");
        assertThat(QrDecoder.decode(order.getByTestId("qr-image"))).isEqualTo(link);
        Page provider = phone.newPage();
        provider.navigate(link);
        return provider;
    }

    /** Payment: product, pay, the waiting order page, the provider on the phone, confirm, success on the desktop. */
    public void payment() {
        try (BrowserContext desktop = chromium.desktop(); BrowserContext phone = chromium.phone()) {
            Page product = desktop.newPage();
            product.navigate(baseUrl + "/");
            assertThat(product.getByTestId("pay-button")).isVisible();
            shot(product, "payment-1-product");
            product.close();

            Page order = openWaitingOrder(desktop);
            assertThat(order.getByTestId("provider-link")).isVisible();
            shot(order, "payment-2-waiting");

            Page provider = scanPaymentCode(order, phone);
            assertThat(provider.getByTestId("confirm-payment")).isVisible();
            shot(provider, "payment-3-provider");

            provider.getByTestId("confirm-payment").click();
            Locator success = order.getByTestId("payment-success");
            assertThat(success).isVisible(within(PUSH_DEADLINE));
            assertThat(order.getByTestId("order-status")).hasText("Paid");

            // Within a second of the shop recording the payment (the webhook's transaction), the page knew.
            String statusPath = URI.create(order.url()).getPath() + "/status";
            String paidAt = new DemoHttp(baseUrl).get(statusPath).find("\"paidAt\":\"([^\"]+)\"");
            long shownAt = Long.parseLong(order.locator("#order").getAttribute("data-shown-at"));
            long latency = shownAt - Instant.parse(paidAt).toEpochMilli();
            System.out.printf("[%s] payment: the order page showed success %d ms after the payment was recorded%n", mode, latency);
            assertThat(latency).isLessThan(1000);
            assertThat(provider.getByTestId("provider-approved")).isVisible();
            shot(provider, "payment-4-provider-approved");
            shot(order, "payment-5-paid");
        }
    }

    /** QR login: the code appears once subscribed, the phone confirms, the desktop lands on the dashboard. */
    public void login() {
        try (BrowserContext desktop = chromium.desktop(); BrowserContext phone = chromium.phone()) {
            Page page = desktop.newPage();
            page.navigate(baseUrl + "/login");
            Locator qr = page.getByTestId("qr-image");
            assertThat(qr).isVisible();                                          // shown only after the subscribe ack
            assertThat(page.locator("#live")).hasText("Waiting for your phone");
            String link = page.getByTestId("qr-link").getAttribute("href");
            assertThat(link).contains("/login/scan/");
            assertThat(QrDecoder.decode(qr)).isEqualTo(link);                   // a real QR code of the same URL
            shot(page, "login-1-qr");

            Page confirm = phone.newPage();
            confirm.navigate(link);
            assertThat(confirm.getByTestId("confirm-login")).isVisible();
            shot(confirm, "login-2-phone");

            long clicked = System.nanoTime();
            confirm.getByTestId("confirm-login").click();
            assertThat(confirm.getByText("You're signed in on your computer")).isVisible();
            assertThat(page.getByTestId("dashboard-greeting")).isVisible(within(PUSH_DEADLINE));
            long millis = (System.nanoTime() - clicked) / 1_000_000;
            System.out.printf("[%s] login: the desktop reached the dashboard %d ms after the phone's click%n", mode, millis);
            assertThat(page).hasURL(baseUrl + "/dashboard");
            assertThat(page.getByTestId("dashboard-greeting")).containsText("Ada Lovelace");
            shot(confirm, "login-3-phone-done");
            shot(page, "login-4-dashboard");

            // The same code again: nothing to confirm any more.
            Page again = phone.newPage();
            again.navigate(link);
            assertThat(again.getByText("This code has already been used")).isVisible();
            assertThat(again.getByTestId("confirm-login")).hasCount(0);
        }
    }
}
