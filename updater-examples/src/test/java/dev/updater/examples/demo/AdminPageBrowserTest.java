package dev.updater.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The "Software Updates" page of the example application, loaded in
 * headless Chromium through WebDriver (Debian packages {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them), shows the available version and
 * completes an update when its button is clicked. Skipped, by an assumption, only when Chromium or
 * its driver is not installed.
 */
class AdminPageBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private DemoEnvironment env;
  private WebDriver browser;

  @BeforeEach
  void start100AndABrowser() throws Exception {
    Optional<Path> chromium = onPath("chromium");
    Optional<Path> driver = onPath("chromedriver");
    assumeTrue(chromium.isPresent() && driver.isPresent(),
        "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
    env = DemoEnvironment.create(tmp);
    env.publish("1.0.0");
    env.publish("1.1.0");
    env.installFirst("1.0.0");
    env.startApplication();
    env.awaitHealthy("1.0.0", WAIT);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--user-data-dir=" + tmp.resolve("chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driver.get().toFile())
        .usingAnyFreePort()
        .withLogFile(tmp.resolve("chromedriver.log").toFile())
        .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void shouldShowTheAvailableVersionAndCompleteTheUpdateWhenInstallIsClicked() {
    browser.get(env.client().base() + "admin");

    await("the page shows 1.1.0 available", () -> text("available").contains("1.1.0"));
    assertThat(text("running")).isEqualTo("1.0.0");
    assertThat(text("latest")).isEqualTo("1.1.0");
    assertThat(browser.findElement(By.id("install")).isDisplayed()).isTrue();

    browser.findElement(By.id("install")).click();

    await("the page shows 1.1.0 running and the update complete",
        () -> text("running").equals("1.1.0") && text("phase").equalsIgnoreCase("complete"));
    assertThat(text("installed")).isEqualTo("1.1.0");
    assertThat(text("latest")).isEqualTo("up to date");
    assertThat(browser.findElement(By.id("install")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("rollback")).isDisplayed()).isTrue();
    assertThat(env.client().healthyVersion()).contains("1.1.0");
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText().strip();
  }

  private void await(String what, Supplier<Boolean> condition) {
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (WebDriverException e) {
        // the page is being re-rendered; try again
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError(what + " did not happen within " + WAIT + "; the page shows:\n"
        + browser.findElement(By.tagName("body")).getText() + "\nlogs in " + env.logs());
  }

  private static Optional<Path> onPath(String name) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
  }
}
