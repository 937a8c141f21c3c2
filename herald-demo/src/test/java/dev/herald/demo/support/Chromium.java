package dev.herald.demo.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium driven by Playwright for Java, on the system's browser: {@code $CHROMIUM_BIN}, else Debian's
 * {@code /usr/bin/chromium}, else {@code chromium} on the PATH. Playwright never downloads a browser
 * ({@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1}). Without Chromium the browser tests are skipped with a message, except
 * in CI ({@code CI} set), where that is a failure: {@code .ci/run} installs it.
 */
public final class Chromium implements AutoCloseable {

    /** As the machine notes say: without these, Chromium keeps trying to reach Google's hosts from a closed network. */
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Path executable) {
        this.playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            this.browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable).setHeadless(true).setArgs(ARGS));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** Launches Chromium, or skips the calling test class (fails in CI) when there is none. */
    public static Chromium launch() {
        Path executable = executable();
        if (executable == null) {
            String message = "Chromium not found ($CHROMIUM_BIN, /usr/bin/chromium, chromium on the PATH): the browser"
                    + " tests need Debian's chromium (apt-get install chromium; .ci/run installs it)";
            if (System.getenv("CI") != null) Assertions.fail(message);
            Assumptions.abort(message);
        }
        return new Chromium(executable);
    }

    static Path executable() {
        String fromEnv = System.getenv("CHROMIUM_BIN");
        if (fromEnv != null && !fromEnv.isBlank()) return Files.isExecutable(Path.of(fromEnv)) ? Path.of(fromEnv) : null;
        if (Files.isExecutable(Path.of("/usr/bin/chromium"))) return Path.of("/usr/bin/chromium");
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) return candidate;
            }
        }
        return null;
    }

    /** A desktop browser window (its own cookies). */
    public BrowserContext desktop() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 640).setLocale("en-GB"));
    }

    /** A phone (its own cookies, as a second device). */
    public BrowserContext phone() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 640).setIsMobile(true)
                .setHasTouch(true).setLocale("en-GB"));
    }

    /** Saves a full-page screenshot as {@code <screenshots.dir>/<name>.png}. */
    public static Path screenshot(Page page, String name) {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Path file = dir.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
