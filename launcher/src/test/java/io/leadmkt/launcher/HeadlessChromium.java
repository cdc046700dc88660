package io.leadmkt.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver driven by Selenium, headless, for tests of pages the app
 * serves. Never downloads a browser: without the two binaries a test cannot run, which fails it in
 * CI ({@code .ci/run} installs them: {@code apt-get install -y chromium chromium-driver}) and skips
 * it elsewhere, saying so loudly.
 */
final class HeadlessChromium {
    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
    private static final List<Path> DRIVERS = List.of(Path.of("/usr/bin/chromedriver"),
            Path.of("/usr/lib/chromium/chromedriver"));

    private HeadlessChromium() {
    }

    /** A new headless browser of the given window size; fails (CI) or skips (elsewhere) without Chromium. */
    static ChromeDriver start(int width, int height) {
        Optional<Path> browser = BROWSERS.stream().filter(Files::isExecutable).findFirst();
        Optional<Path> driver = DRIVERS.stream().filter(Files::isExecutable).findFirst();
        if (browser.isEmpty() || driver.isEmpty()) {
            String missing = "HEADLESS CHROMIUM MISSING: " + (browser.isEmpty() ? "no chromium in " + BROWSERS : "")
                    + (driver.isEmpty() ? " no chromedriver in " + DRIVERS : "")
                    + " -- the dashboard's browser test did NOT run. Install: apt-get install -y chromium chromium-driver";
            System.err.println("\n*** " + missing + " ***\n");
            if (System.getenv("CI") != null) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.get().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return chrome;
    }

    /** Quits {@code chrome}, when one was started (a skipped or failed start leaves none). */
    static void quit(ChromeDriver chrome) {
        if (chrome != null) {
            chrome.quit();
        }
    }

    /**
     * What a person saw: {@code target/<name>.png}, kept with the test reports, and a copy where
     * {@code -Dleadmkt.<name>.screenshot=} says (how the README's pictures are made).
     */
    static void screenshot(ChromeDriver chrome, String name) throws IOException {
        Path shot = chrome.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        String extra = System.getProperty("leadmkt." + name + ".screenshot");
        if (extra != null) {
            Files.copy(shot, Path.of(extra), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
