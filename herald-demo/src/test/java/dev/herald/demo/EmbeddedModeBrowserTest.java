package dev.herald.demo;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.herald.demo.support.BrowserFlows;
import dev.herald.demo.support.Chromium;
import dev.herald.demo.support.EmbeddedDemoTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.herald.demo.support.BrowserFlows.within;
import static org.awaitility.Awaitility.await;

/**
 * Both flows in headless Chromium against the demo in embedded mode (the Herald server inside the demo's JVM, the
 * in-memory broker), plus the states and fallbacks a person can run into.
 */
class EmbeddedModeBrowserTest extends EmbeddedDemoTest {

    static Chromium chromium;
    BrowserFlows flows;

    @BeforeAll
    static void launch() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void quit() {
        if (chromium != null) chromium.close();
    }

    @BeforeEach
    void flows() {
        flows = new BrowserFlows(chromium, baseUrl(), "embedded");
    }

    @Test
    void payment() {
        flows.payment();
    }

    @Test
    void qrLogin() {
        flows.login();
    }

    @Test
    void aDeclinedPaymentShowsTheFailedState() {
        try (BrowserContext desktop = chromium.desktop(); BrowserContext phone = chromium.phone()) {
            Page order = flows.openWaitingOrder(desktop);
            Page provider = flows.scanPaymentCode(order, phone);
            provider.getByTestId("decline-payment").click();

            assertThat(order.getByTestId("order-status")).hasText("Payment declined", new com.microsoft.playwright.assertions
                    .LocatorAssertions.HasTextOptions().setTimeout(BrowserFlows.PUSH_DEADLINE.toMillis()));
            assertThat(order.getByText("The payment was declined")).isVisible();
            assertThat(order.getByTestId("payment-success")).isHidden();
            flows.shot(order, "payment-declined");
        }
    }

    @Test
    void anExpiredLoginCodeOffersANewOne() {
        try (BrowserContext desktop = chromium.desktop()) {
            Page page = desktop.newPage();
            page.clock().install();                     // the page's timers, under the test's control
            page.navigate(baseUrl() + "/login");
            assertThat(page.getByTestId("qr-image")).isVisible();

            clock.advance(Duration.ofMinutes(3));       // the server's clock...
            page.clock().fastForward("03:00");          // ...and the page's
            assertThat(page.getByText("This code has expired.")).isVisible();
            assertThat(page.getByTestId("qr-link")).isHidden();
            flows.shot(page, "login-expired");

            page.getByText("Get a new code").click();  // a fresh ticket and channel
            assertThat(page.getByTestId("qr-image")).isVisible();
            assertThat(page.getByText("This code has expired.")).isHidden();
        }
    }

    @Test
    void anExpiredOrderSaysSo() {
        try (BrowserContext desktop = chromium.desktop()) {
            Page page = desktop.newPage();
            page.clock().install();
            page.navigate(baseUrl() + "/");
            page.getByTestId("pay-button").click();
            assertThat(page.getByTestId("order-status")).hasText("Waiting for payment");

            clock.advance(Duration.ofMinutes(31));
            page.clock().fastForward("31:00");
            assertThat(page.getByTestId("order-status")).hasText("Expired");
            assertThat(page.getByText("This payment request has expired")).isVisible();
            flows.shot(page, "payment-expired");
        }
    }

    @Test
    void theStatusEndpointTakesOverWhileTheSocketIsDown() {
        try (BrowserContext desktop = chromium.desktop(); BrowserContext phone = chromium.phone()) {
            Page order = flows.openWaitingOrder(desktop);
            order.evaluate("() => window.heraldSocket.disconnect()"); // the push server is out of reach
            assertThat(order.locator("#live")).containsText("Reconnecting");

            Page provider = flows.scanPaymentCode(order, phone);
            provider.getByTestId("confirm-payment").click();

            // No socket: the page's fallback (the status endpoint, every 3 s) shows the payment.
            assertThat(order.getByTestId("payment-success")).isVisible(within(BrowserFlows.PUSH_DEADLINE));
        }
    }

    @Test
    void aPageThatReconnectsCatchesUpOnAPaymentItMissed() {
        try (BrowserContext desktop = chromium.desktop(); BrowserContext phone = chromium.phone()) {
            Page order = flows.openWaitingOrder(desktop);
            String statusPath = URI.create(order.url()).getPath() + "/status";
            order.route("**" + statusPath, route -> route.abort());     // the fallback is down too
            order.evaluate("() => window.heraldSocket.disconnect()");

            Page provider = flows.scanPaymentCode(order, phone);
            provider.getByTestId("confirm-payment").click();
            await().until(() -> http().get(statusPath).body().contains("\"PAID\"")); // paid, broadcast missed
            assertThat(order.getByTestId("order-status")).hasText("Waiting for payment");

            order.unroute("**" + statusPath);
            order.evaluate("() => window.heraldSocket.connect()");
            // On the subscribe ack after reconnecting, the page asks the status endpoint.
            assertThat(order.getByTestId("payment-success")).isVisible(within(BrowserFlows.PUSH_DEADLINE));
        }
    }
}
