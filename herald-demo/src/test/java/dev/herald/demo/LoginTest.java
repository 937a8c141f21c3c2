package dev.herald.demo;

import dev.herald.demo.support.DemoHttp;
import dev.herald.demo.support.EmbeddedDemoTest;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** QR login over HTTP: a desktop session and a phone session, and what reaches the embedded Herald server. */
class LoginTest extends EmbeddedDemoTest {

    /** A desktop that opened /login: its session, its channel and the confirm URL of its QR code. */
    record Desktop(DemoHttp http, String channel, String scanPath) {}

    private Desktop openLogin() {
        DemoHttp desktop = http();
        DemoHttp.Response page = desktop.get("/login");
        assertThat(page.status()).isEqualTo(200);
        String channel = page.find("data-channel=\"(login\\.[0-9a-f]{32})\"");
        String scanUrl = page.find("href=\"(http[^\"]*/login/scan/[0-9a-f]{32})\"");
        return new Desktop(desktop, channel, URI.create(scanUrl).getPath());
    }

    private static String tokenOf(Publication publication) {
        Matcher m = Pattern.compile("\"token\":\"([0-9a-f]{32})\"").matcher(publication.data());
        assertThat(m.find()).as("token in " + publication.data()).isTrue();
        return m.group(1);
    }

    private static String exchange(DemoHttp session, String token) {
        return session.postJson("/login/exchange", "{\"token\":\"" + token + "\"}").body();
    }

    @Test
    void confirmingOnThePhoneSendsAOneTimeTokenThatSignsTheDesktopIn() {
        Desktop desktop = openLogin();
        DemoHttp phone = http();

        assertThat(phone.get(desktop.scanPath()).body()).contains("data-testid=\"confirm-login\"").contains("Ada Lovelace");
        assertThat(phone.postForm(desktop.scanPath() + "/confirm").body()).contains("signed in on your computer");

        List<Publication> sent = published.on(desktop.channel());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).event()).isEqualTo("wechat.login");
        String token = tokenOf(sent.get(0));

        assertThat(exchange(desktop.http(), token)).contains("\"redirect\":\"/dashboard\"");
        DemoHttp.Response dashboard = desktop.http().get("/dashboard");
        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(dashboard.body()).contains("data-testid=\"dashboard-greeting\"").contains("Ada Lovelace");
    }

    @Test
    void aSecondConfirmDoesNothingAndTheTokenWorksOnce() {
        Desktop desktop = openLogin();
        DemoHttp phone = http();
        phone.postForm(desktop.scanPath() + "/confirm");
        String token = tokenOf(published.on(desktop.channel()).get(0));

        DemoHttp.Response again = phone.postForm(desktop.scanPath() + "/confirm");
        assertThat(again.body()).contains("already been used");
        assertThat(phone.get(desktop.scanPath()).body()).doesNotContain("confirm-login");
        assertThat(published.on(desktop.channel())).hasSize(1);
        assertThat(applicationEvents.onChannel(desktop.channel())).hasSize(1);

        assertThat(exchange(desktop.http(), token)).contains("/dashboard");
        DemoHttp.Response reused = desktop.http().postJson("/login/exchange", "{\"token\":\"" + token + "\"}");
        assertThat(reused.status()).isEqualTo(403);
    }

    @Test
    void theTokenIsRefusedFromAnotherSession() {
        Desktop desktop = openLogin();
        http().postForm(desktop.scanPath() + "/confirm");
        String token = tokenOf(published.on(desktop.channel()).get(0));

        DemoHttp eavesdropper = http();
        eavesdropper.get("/login"); // a session with a ticket of its own
        assertThat(eavesdropper.postJson("/login/exchange", "{\"token\":\"" + token + "\"}").status()).isEqualTo(403);
        assertThat(eavesdropper.get("/dashboard").location()).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        assertThat(exchange(desktop.http(), token)).contains("/dashboard"); // still good for its own page
    }

    @Test
    void anExpiredCodeCannotBeConfirmedAndBroadcastsNothing() {
        Desktop desktop = openLogin();
        clock.advance(Duration.ofMinutes(3));

        DemoHttp phone = http();
        assertThat(phone.get(desktop.scanPath()).body()).contains("expired").doesNotContain("confirm-login");
        assertThat(phone.postForm(desktop.scanPath() + "/confirm").body()).contains("This code has expired");
        assertThat(published.on(desktop.channel())).isEmpty();
        assertThat(desktop.http().get("/login/status").body()).contains("\"status\":\"EXPIRED\"");
    }

    @Test
    void aTokenNotExchangedInTimeIsRefused() {
        Desktop desktop = openLogin();
        http().postForm(desktop.scanPath() + "/confirm");
        String token = tokenOf(published.on(desktop.channel()).get(0));

        clock.advance(Duration.ofSeconds(61));
        assertThat(desktop.http().postJson("/login/exchange", "{\"token\":\"" + token + "\"}").status()).isEqualTo(403);
        assertThat(desktop.http().get("/login/status").body()).doesNotContain(token);
    }

    @Test
    void theStatusFallbackGivesTheTokenToTheWaitingSessionOnly() {
        Desktop desktop = openLogin();
        assertThat(desktop.http().get("/login/status").body()).contains("\"status\":\"WAITING\"").doesNotContain("token");
        DemoHttp phone = http();
        phone.postForm(desktop.scanPath() + "/confirm");
        String token = tokenOf(published.on(desktop.channel()).get(0));

        assertThat(desktop.http().get("/login/status").body()).contains("\"status\":\"CONFIRMED\"").contains(token);
        assertThat(phone.get("/login/status").status()).isEqualTo(404);
    }

    @Test
    void theChannelIsFreshUnguessableAndNotInTheQrCode() {
        Desktop first = openLogin();
        Desktop second = openLogin();

        assertThat(first.channel()).isNotEqualTo(second.channel());
        String channelToken = first.channel().substring("login.".length());
        assertThat(first.scanPath()).doesNotContain(channelToken);
        assertThat(http().get("/dashboard").location()).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    }
}
