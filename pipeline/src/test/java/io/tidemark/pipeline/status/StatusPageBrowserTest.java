package io.tidemark.pipeline.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page end to end: Debian's headless Chromium, driven through {@code /usr/bin/chromedriver}, opens
 * {@code /} of a control port in front of the market-stats job, which fails once and restarts; the test waits until
 * the job graph and every chart are drawn from the job's figures, checks the browser's console stayed free of errors,
 * and saves screenshots to {@code target/status-page/} (and to the directory named by the system property
 * {@code tidemark.screenshots}, for {@code docs/images/}).
 *
 * <p>Chromium is required, not optional: without it the test fails and says how to install it ({@code .ci/run}
 * installs it when missing).
 */
class StatusPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The window call that fails once: about ten seconds into the run at the generator's pace. */
    private static final long FAIL_AT = 10 * StatusJob.RATE;

    private static volatile String lastDrawn = "nothing";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void thePageDrawsTheRunningJobWithoutConsoleErrors() throws Exception {
        requireChromium();
        try (StatusJob job = StatusJob.start(dir, FAIL_AT, null)) {
            WebDriver driver = chromium();
            try {
                driver.get(job.url("/"));
                new WebDriverWait(driver, Duration.ofSeconds(120), Duration.ofMillis(250))
                        .withMessage(() -> "the page never showed a restart and full charts; drawn: " + lastDrawn)
                        .until(d -> drawn(d));

                assertThat(driver.findElements(By.cssSelector("#graph g.node")))
                        .extracting(e -> e.getDomAttribute("data-operator"))
                        .containsExactly("trades", "window-stats", "output");
                assertThat(driver.findElements(By.cssSelector("#graph path.edge")))
                        .hasSize(2);
                assertThat(driver.findElement(By.cssSelector("#graph")).getText())
                        .contains("key_groups")
                        .contains("backlog");
                assertThat(driver.findElement(By.id("job-status")).getText()).isEqualTo("running");
                assertThat(driver.findElement(By.cssSelector("#state tbody")).getText())
                        .contains("window-stats")
                        .containsPattern("window-stats 2 [0-9.]+ [KMG]iB 0 B");
                assertThat(driver.findElements(By.cssSelector("#checkpoints tbody tr")))
                        .isNotEmpty();
                saveScreenshots(driver);

                assertThat(errors(driver)).as("browser console errors").isEmpty();
                // the console is really read: an error the page did not make shows up
                ((ChromeDriver) driver).executeScript("console.error('tidemark-probe')");
                assertThat(errors(driver)).anyMatch(e -> e.contains("tidemark-probe"));
            } finally {
                driver.quit();
            }
        }
    }

    /**
     * What the page has drawn, read in one script call (the page redraws every second: elements found by one call
     * may be gone by the next): nodes of the graph, the most points of a series per line chart, bars per bar chart,
     * and the restarts shown (in the header and as the last point of the restarts chart) with the source's rate measured again after it.
     */
    private static final String DRAWN =
            """
            const points = id => Math.max(0, ...Array.from(document.querySelectorAll('#' + id + ' path.series'))
                .map(p => Number(p.getAttribute('data-points'))));
            const last = id => {
              const path = document.querySelector('#' + id + ' path.series');
              return path === null ? null : path.getAttribute('data-last');
            };
            const bars = id => document.querySelectorAll('#' + id + ' rect.bar').length;
            return {
              nodes: document.querySelectorAll('#graph g.node').length,
              rates: points('chart-rates'),
              latency: points('chart-latency'),
              backpressure: points('chart-backpressure'),
              restartPoints: points('chart-restarts'),
              size: bars('chart-checkpoint-size'),
              duration: bars('chart-checkpoint-duration'),
              pause: bars('chart-checkpoint-pause'),
              restarts: document.getElementById('restarts').textContent,
              restartsCharted: last('chart-restarts'),
              trades: (document.querySelector('#graph g.node[data-operator="trades"]') || {}).textContent || ''
            };""";

    /** Every chart has data points from the job, the graph has its operators, and the restart is shown. */
    private static boolean drawn(WebDriver d) {
        Map<?, ?> c = (Map<?, ?>) ((ChromeDriver) d).executeScript(DRAWN);
        lastDrawn = String.valueOf(c);
        return number(c, "nodes") == 3
                && number(c, "rates") >= 5
                && number(c, "latency") >= 3
                && number(c, "backpressure") >= 5
                && number(c, "restartPoints") >= 5
                && number(c, "size") >= 4
                && number(c, "duration") >= 2
                && number(c, "pause") >= 2
                && "1".equals(c.get("restarts"))
                && "1".equals(c.get("restartsCharted"))
                // rates are unknown across the restart, then measured again in the new attempt
                && String.valueOf(c.get("trades")).matches(".*out [0-9.]+ k?/s.*");
    }

    private static long number(Map<?, ?> drawn, String key) {
        return ((Number) drawn.get(key)).longValue();
    }

    private static List<String> errors(WebDriver driver) {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return errors;
    }

    private static void saveScreenshots(WebDriver driver) throws IOException {
        List<Path> targets = new ArrayList<>(List.of(Path.of("target", "status-page")));
        String docs = System.getProperty("tidemark.screenshots");
        if (docs != null && !docs.isBlank()) {
            targets.add(Path.of(docs));
        }
        byte[] page = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
        byte[] graph = driver.findElement(By.id("graph")).getScreenshotAs(OutputType.BYTES);
        for (Path target : targets) {
            Files.createDirectories(target);
            Files.write(target.resolve("status-page.png"), page);
            Files.write(target.resolve("status-page-graph.png"), graph);
        }
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // CI runs as root
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1900",
                "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the status page test needs headless Chromium: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (found: chromium=" + Files.isExecutable(CHROMIUM) + ", chromedriver="
                    + Files.isExecutable(CHROMEDRIVER) + "); install them with "
                    + "'sudo apt-get install chromium chromium-driver' (.ci/run does this when they are missing)");
        }
    }
}
