package dev.updater.examples.demo;

import dev.updater.examples.demo.AppClient.Reply;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo's story, step by step, on a {@link DemoEnvironment}: publish 1.0.0 and 1.1.0, install
 * and start 1.0.0, add an order, approve the update to 1.1.0 through the admin API and follow its
 * progress until the new process confirmed itself, publish a broken 1.2.0, approve it, and watch
 * it fail its health check and roll back to 1.1.0 by itself. Prints each step to {@code out} and
 * returns what it saw, for the summary and for the test that asserts it. Not thread-safe.
 */
final class DemoScenario {
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

  /**
   * What the scenario saw.
   *
   * @param startedVersion the version healthy after the first start
   * @param ordersAtStart the orders 1.0.0 served after the demo added one
   * @param availableBeforeUpdate the latest version the forced check reported under 1.0.0
   * @param installStatus the HTTP status of the approval of 1.1.0
   * @param phases the phases the progress endpoint reported during the update to 1.1.0
   * @param updatedVersion the version healthy after the update
   * @param updatedState the state the progress endpoint reported after the update
   * @param ordersAfterUpdate the orders 1.1.0 served
   * @param brokenAvailable the latest version the forced check reported under 1.1.0
   * @param brokenInstallStatus the HTTP status of the approval of 1.2.0
   * @param brokenPhases the phases reported during the attempt at 1.2.0
   * @param finalVersion the version healthy at the end
   * @param finalState the progress state at the end
   * @param finalError the error reason the progress endpoint reported at the end
   * @param ordersAtEnd the orders served at the end
   * @param starts the release directories the supervisor started, in order
   */
  record Outcome(String startedVersion, List<Map<String, Object>> ordersAtStart,
      String availableBeforeUpdate, int installStatus, List<String> phases,
      String updatedVersion, String updatedState, List<Map<String, Object>> ordersAfterUpdate,
      String brokenAvailable, int brokenInstallStatus, List<String> brokenPhases,
      String finalVersion, String finalState, String finalError,
      List<Map<String, Object>> ordersAtEnd, List<String> starts) {}

  private final DemoEnvironment env;
  private final PrintStream out;
  private final long t0 = System.nanoTime();

  DemoScenario(DemoEnvironment env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  Outcome run() throws IOException, InterruptedException {
    AppClient app = env.client();
    publishFirstReleases();

    step("Installing 1.0.0 into " + env.home() + " and starting it");
    env.installFirst("1.0.0");
    env.startApplication();
    env.awaitHealthy("1.0.0", STEP_TIMEOUT);
    String started = app.healthyVersion().orElseThrow();
    app.post("api/orders", Map.of("customer", "Margaret", "item", "rocket"));
    List<Map<String, Object>> ordersAtStart = app.orders();
    say("GET /api/health -> " + started + "; " + ordersAtStart.size()
        + " orders in shared/data/app.db (one added just now); admin page: " + app.base()
        + "admin");

    String available = checkForUpdates(app);

    step("Approving the update: POST /api/admin/updates/install");
    Reply install = app.post("api/admin/updates/install", Map.of());
    say(install.status() + " " + install.text("message"));
    List<String> phases = follow("1.1.0", "COMPLETE");
    String updated = app.healthyVersion().orElseThrow();
    String updatedState = app.get("api/admin/updates/progress").text("state");
    List<Map<String, Object>> ordersAfterUpdate = app.orders();
    say("1.1.0 confirmed itself healthy after its restart: GET /api/health -> " + updated
        + "; " + ordersAfterUpdate.size() + " orders, now with a priority: "
        + ordersAfterUpdate.get(0).get("priority"));

    step("Publishing 1.2.0 (broken: its health check queries a table that does not exist)");
    env.publish("1.2.0");
    Reply recheck = app.get("api/admin/updates?force=true");
    String brokenAvailable = recheck.text("latestVersion");
    say("latest " + brokenAvailable + ", update available: " + recheck.get("updateAvailable"));
    Reply brokenInstall = app.post("api/admin/updates/install", Map.of());
    say("POST /api/admin/updates/install -> " + brokenInstall.status() + " "
        + brokenInstall.text("message"));
    List<String> brokenPhases = follow("1.1.0", "FAILED");
    Reply end = app.get("api/admin/updates/progress");
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) end.get("error");
    String finalVersion = app.healthyVersion().orElseThrow();
    List<Map<String, Object>> ordersAtEnd = app.orders();
    say("1.2.0 was rolled back automatically; GET /api/health -> " + finalVersion + "; "
        + ordersAtEnd.size() + " orders");
    say("error shown in the panel: " + (error == null ? "none"
        : error.get("reason") + ": " + error.get("message")));

    List<String> starts = env.supervisor().orElseThrow().starts().stream()
        .map(Supervisor.Start::version).toList();
    return new Outcome(started, ordersAtStart, available, install.status(), phases, updated,
        updatedState, ordersAfterUpdate, brokenAvailable, brokenInstall.status(), brokenPhases,
        finalVersion, end.text("state"),
        error == null ? null : Objects.toString(error.get("reason")), ordersAtEnd, starts);
  }

  private void publishFirstReleases() throws IOException {
    step("Publishing 1.0.0 and 1.1.0 into a signed update repository at " + env.repo());
    env.publish("1.0.0");
    env.publish("1.1.0");
    say("served over HTTP at " + env.repositoryUrl() + " (index signed with keys/demo.key)");
  }

  /** A forced check through the admin API; the latest version it reports. */
  private String checkForUpdates(AppClient app) throws IOException {
    step("Checking for updates: GET /api/admin/updates?force=true");
    Reply status = app.get("api/admin/updates?force=true");
    String available = status.text("latestVersion");
    say("running " + status.text("runningVersion") + ", latest " + available
        + ", update available: " + status.get("updateAvailable")
        + (status.get("databaseProvider") == null ? "" : ", database "
        + status.text("databaseProvider")));
    return available;
  }

  /**
   * Polls the progress endpoint, printing each new phase (and the restart gap, when the
   * application does not answer), until the application is healthy at {@code version} with the
   * progress in {@code state}.
   */
  private List<String> follow(String version, String state) throws InterruptedException {
    AppClient app = env.client();
    List<String> phases = new ArrayList<>();
    String last = "";
    long until = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      Optional<Reply> progress = app.tryGet("api/admin/updates/progress");
      String now = progress.map(p -> p.text("phase") + (p.text("step") == null ? ""
          : " (" + p.text("step") + ")") + " in " + p.text("runningVersion"))
          .orElse("application not answering: restarting");
      if (!now.equals(last)) {
        say("progress: " + now);
        last = now;
        progress.map(p -> p.text("phase")).filter(p -> phases.isEmpty()
            || !phases.get(phases.size() - 1).equals(p)).ifPresent(phases::add);
      }
      if (progress.isPresent() && state.equals(progress.get().text("state"))
          && !Boolean.TRUE.equals(progress.get().get("running"))
          && app.healthyVersion().equals(Optional.of(version))) {
        return phases;
      }
      env.supervisor().flatMap(Supervisor::stopped).ifPresent(why -> {
        throw new IllegalStateException(why);
      });
      Thread.sleep(150);
    }
    throw new IllegalStateException("the update did not reach " + state + " with " + version
        + " healthy within " + STEP_TIMEOUT.toSeconds() + " s; see the logs in " + env.logs());
  }

  private void step(String text) {
    out.printf("%n[%5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, text);
  }

  private void say(String text) {
    out.println("         " + text);
  }
}
