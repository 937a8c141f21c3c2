package dev.herald.demo.support;

import static org.awaitility.Awaitility.await;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Reads the QR code a page shows, from the browser's own pixels (as a phone camera would). */
public final class QrDecoder {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private QrDecoder() {}

    /**
     * Waits until the image has loaded, then reads it from a screenshot; a busy machine may paint it a frame late,
     * so a screenshot without a readable code is taken again until one reads (or the wait is over: the last
     * screenshot is kept in target/ for the failure).
     */
    public static String decode(Locator image) {
        image.page().waitForFunction("img => img.complete && img.naturalWidth > 0", image.elementHandle(),
                new Page.WaitForFunctionOptions().setTimeout(WAIT.toMillis()));
        AtomicReference<byte[]> last = new AtomicReference<>();
        AtomicReference<String> text = new AtomicReference<>();
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                byte[] png = image.screenshot();
                last.set(png);
                text.set(read(png));
                return text.get() != null;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Path kept = keep(last.get());
            throw new AssertionError("no QR code readable in the page's image (last screenshot: " + kept + ")", e);
        }
        return text.get();
    }

    private static String read(byte[] png) throws IOException {
        BufferedImage pixels = ImageIO.read(new ByteArrayInputStream(png));
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(pixels)));
        try {
            return new MultiFormatReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static Path keep(byte[] png) {
        if (png == null) return null;
        try {
            Path file = Files.createDirectories(Path.of("target", "screenshots")).resolve("unreadable-qr-" + System.nanoTime() + ".png");
            Files.write(file, png);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
