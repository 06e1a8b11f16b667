package dev.updater.snippets.pages;

import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.confirm.CommandHealthCheck;
import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.confirm.Watcher;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.spi.HealthCheck;
import dev.updater.systemd.Restarters;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The Java blocks of docs/confirmation.md. */
final class ConfirmationSnippets {

  void health_checks() throws Exception {
    // tag::health-checks[]
    // GET until 2xx, and until {"version": "..."} names the release being confirmed
    HealthCheck http = HttpHealthCheck.builder(URI.create("http://127.0.0.1:8080/api/health"))
        .versionField("version")
        .interval(Duration.ofSeconds(1))   // default 1 s between attempts
        .timeout(Duration.ofSeconds(60))   // default 60 s in all
        .build();

    // run a command in the release directory; exit 0 = healthy
    HealthCheck command = CommandHealthCheck.builder(List.of("bin/selftest"))
        .commandTimeout(Duration.ofSeconds(10))   // one run is killed after this (default 10 s)
        .build();
    // end::health-checks[]
  }

  /** The host application of the example, with what the snippet leaves out. */
  static final class MyApp {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MyApp.class);

    // tag::calling-confirm-at-start[]
    public static void main(String[] args) {
      Version running = Version.fromManifest(MyApp.class).orElseThrow();  // the jar's version
      Updater updater = Updater.builder()
          .home(Path.of("/opt/myapp"))
          .source(HttpReleaseSource.of(URI.create("https://updates.example.com/myapp/")))
          .runningVersion(running)                                  // required to confirm
          .restarter(Restarters.firstAvailable("myapp"))            // updater-systemd
          .healthCheck(HttpHealthCheck.builder(URI.create("http://127.0.0.1:8080/api/health"))
              .versionField("version").build())
          .confirmationTimeout(Duration.ofMinutes(2))
          .build();

      startHttpServer(running);             // /api/health answers {"version": "<running>"}
      UpdateStatus s = updater.confirm();   // does nothing when nothing awaits confirmation
      log.info("update status at start-up: {}", s.state());
    }
    // end::calling-confirm-at-start[]

    private static void startHttpServer(Version version) {
      // the application's own server
    }
  }

  void the_detached_watcher() throws Exception {
    // tag::the-detached-watcher[]
    Updater updater = Updater.builder()
        // ...
        .restarter(Restarters.firstAvailable("myapp"))
        .watcher(Watcher.builder()
            .restartCommand("systemctl", "--user", "restart", "myapp.service")   // required
            .pollInterval(Duration.ofMillis(500))     // default 500 ms
            .commandTimeout(Duration.ofSeconds(60))   // default 60 s
            .build())
        .build();
    // end::the-detached-watcher[]
  }

  void the_detached_watcher_2() throws Exception {
    // tag::watcher-own-scope[]
    Watcher.builder()
        .restartCommand("systemctl", "--user", "restart", "myapp.service")
        .wrapper("systemd-run", "--user", "--scope", "--quiet", "--collect")
        .build();
    // end::watcher-own-scope[]
  }
}
