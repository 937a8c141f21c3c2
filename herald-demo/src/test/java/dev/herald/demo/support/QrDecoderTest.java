package dev.herald.demo.support;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.herald.demo.web.QrCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser tests' QR reader on codes drawn by the demo in Chromium, at the order page's size. These URLs are ones
 * ZXing's general detector cannot find (CI failed on such an order): the reader must still read them.
 */
class QrDecoderTest {

    static Chromium chromium;

    @BeforeAll
    static void launch() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void quit() {
        if (chromium != null) chromium.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:39264/provider/checkout/pay_8677c0e3066a78f43186ff2cdcbe59a4",
            "http://127.0.0.1:48777/provider/checkout/pay_33cba8680bca79803e69de2ae0ce29d3",
            "http://127.0.0.1:40088/provider/checkout/pay_802a574a100d67e6f3c8e890c7e28379",
            "http://127.0.0.1:39567/provider/checkout/pay_2fe120c7555d8918c0c70c5cf4fcbe1a",
            "http://127.0.0.1:56221/provider/checkout/pay_7717cbb660874cbec263922c519f0b7b"})
    void readsCodesTheGeneralDetectorMisses(String url) throws IOException {
        String css = Files.readString(Path.of("src/main/resources/static/css/app.css"));
        try (BrowserContext desktop = chromium.desktop()) {
            Page page = desktop.newPage();
            page.setContent("<style>" + css + "</style><main><div class=\"qr-box\"><img data-testid=\"qr-image\" src=\""
                    + QrCodes.svgDataUri(url) + "\"></div></main>");
            assertThat(QrDecoder.decode(page.getByTestId("qr-image"))).isEqualTo(url);
        }
    }
}
