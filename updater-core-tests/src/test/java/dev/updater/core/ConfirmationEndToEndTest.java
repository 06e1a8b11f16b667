package dev.updater.core;

import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.activate.FileLockStore;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus.State;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boot confirmation with real processes: {@link HostAppMain} runs
 * in child JVMs started from {@code current/} by this test, which plays the supervisor (it starts
 * the host again when it exits with the restart code). The host installs the update itself, exits
 * through its restarter, and the new process confirms, or does not.
 */
class ConfirmationEndToEndTest {
  private static final Version V1 = Version.parse("1.0.0");
  private static final Version V2 = Version.parse("1.1.0");
  private static final Duration WAIT = Duration.ofSeconds(60);
  /**
   * The hosts' confirmation timeout: far longer than any run of these tests, however slow the
   * machine, so that no deadline passes by itself; the test of a missed deadline moves a watcher's
   * clock past it instead of waiting.
   */
  private static final Duration CONFIRMATION_TIMEOUT = Duration.ofMinutes(30);

  @TempDir Path tmp;

  private Path home;
  private Layout layout;
  private TestRepository repo;
  private int port;
  private final List<Process> children = new ArrayList<>();
  private int logs;

  @BeforeEach
  void installTheOldRelease() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void destroyChildren() throws InterruptedException {
    for (Process p : children) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @Test
  void aGoodReleaseIsConfirmedByItsNewProcessAndCompletes() throws Exception {
    publish("ok");
    Host old = start();
    awaitHealth(V1);

    requestUpdate();
    assertThat(old.awaitExit()).as(old.output()).isEqualTo(HostAppMain.RESTART_CODE);
    assertThat(observer().status().state()).isEqualTo(State.AWAITING_CONFIRMATION);
    Host fresh = start();

    fresh.awaitOutput("CONFIRMED COMPLETE");
    awaitHealth(V2);
    UpdateStatus status = observer().status();
    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.installed()).contains(V2);
    assertThat(status.previous()).contains(V1);
    assertThat(layout.release(V1)).as("the previous release is retained").isDirectory();
    assertThat(FileLockStore.create(layout.state().resolve("lock.json")).holder()).isEmpty();
    assertThat(last().outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void aReleaseThatNeverAnswersIsRolledBackAfterTheDeadlineAndTheOldVersionServesAgain()
      throws Exception {
    publish("silent");
    Host old = start();
    awaitHealth(V1);
    requestUpdate();
    assertThat(old.awaitExit()).as(old.output()).isEqualTo(HostAppMain.RESTART_CODE);
    Host silent = start();
    silent.awaitOutput("SILENT");

    // A watcher after the deadline: its clock is past it (the hosts' confirmation timeout is
    // CONFIRMATION_TIMEOUT), and it restarts as the supervisor would.
    Clock afterDeadline = Clock.offset(Clock.systemUTC(), CONFIRMATION_TIMEOUT.multipliedBy(2));
    Updater watcher = builder().clock(afterDeadline).restarter(ctx -> {
      silent.kill();
      start();
    }).build();
    assertThat(watcher.recover()).isTrue();

    awaitHealth(V1);
    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.0.0"));
    UpdateStatus status = observer().status();
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(status.error().orElseThrow().message()).contains("1.1.0 did not confirm by its deadline");
    assertThat(last().outcome()).isEqualTo(Outcome.ROLLED_BACK);
  }

  @Test
  void aReleaseThatCrashesOnStartThreeTimesIsRolledBackBeforeTheDeadline() throws Exception {
    publish("crash");
    Host old = start();
    awaitHealth(V1);
    requestUpdate();
    assertThat(old.awaitExit()).as(old.output()).isEqualTo(HostAppMain.RESTART_CODE);

    // The supervisor restarts whatever exits, from current/, until something stays up.
    List<Integer> exits = new ArrayList<>();
    for (int start = 0; start < 6; start++) {
      int exit = start().awaitExitOrServing();
      if (exit < 0) {
        break;
      }
      exits.add(exit);
    }

    awaitHealth(V1);
    assertThat(exits).containsExactly(HostAppMain.CRASH_CODE, HostAppMain.CRASH_CODE,
        HostAppMain.CRASH_CODE, HostAppMain.RESTART_CODE);
    UpdateStatus status = observer().status();
    assertThat(status.installed()).contains(V1);
    assertThat(status.error().orElseThrow().message())
        .contains("1.1.0 started 3 times without confirming");
    assertThat(observer().quarantined()).as("decided in a host process of the crash loop")
        .extracting(QuarantinedRelease::version).containsExactly(V2);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void publish(String behaviourOfV2) throws IOException {
    repo.publish(V1, Map.of("VERSION", V1.toString()));
    repo.publish(V2, Map.of("VERSION", V2.toString(), "BEHAVIOUR", behaviourOfV2));
    Updater first = builder().build();
    first.install(first.find(V1).orElseThrow());
  }

  private Updater.Builder builder() {
    return Updaters.sharing(home, repo.source(), "data");
  }

  /** An updater in this process that only looks: no running version, no restarter. */
  private Updater observer() {
    return builder().build();
  }

  private HistoryEntry last() {
    List<HistoryEntry> history = observer().history();
    return history.get(history.size() - 1);
  }

  private Host start() throws IOException {
    Path log = tmp.resolve("host-" + (logs++) + ".log");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        HostAppMain.class.getName(), home.toString(), repo.root.toString(),
        Integer.toString(port), Long.toString(CONFIRMATION_TIMEOUT.toMillis()));
    Process p = new ProcessBuilder(command).directory(layout.current().toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    children.add(p);
    return new Host(p, log);
  }

  private void requestUpdate() throws Exception {
    HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/update?to=" + V2))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(202);
  }

  /** Waits until {@code /api/health} answers with {@code version}. */
  private void awaitHealth(Version version) throws Exception {
    HttpHealthCheck.builder(URI.create("http://127.0.0.1:" + port + "/api/health"))
        .versionField("version").interval(Duration.ofMillis(100)).timeout(WAIT).build()
        .check(new UpdateContext(UpdateEvent.Operation.INSTALL, Step.CONFIRM,
            java.util.Optional.empty(), version, layout, layout.release(version)));
  }

  /** One child host process. */
  private static final class Host {
    final Process process;
    final Path log;

    Host(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    String output() {
      try {
        return Files.exists(log) ? Files.readString(log, UTF_8) : "";
      } catch (IOException e) {
        return e.toString();
      }
    }

    int awaitExit() throws InterruptedException {
      assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("host exited within %s; it printed:%n%s", WAIT, output()).isTrue();
      return process.exitValue();
    }

    /** The exit status, or -1 once the host serves 1.0.0 instead of exiting. */
    int awaitExitOrServing() throws InterruptedException {
      long until = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < until) {
        if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
          return process.exitValue();
        }
        if (output().contains("CONFIRMED")) {
          return -1;
        }
      }
      throw new AssertionError("host neither exited nor served; it printed:\n" + output());
    }

    void awaitOutput(String text) throws InterruptedException {
      long until = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < until) {
        if (output().contains(text)) {
          return;
        }
        if (!process.isAlive() && !output().contains(text)) {
          throw new AssertionError("host exited " + process.exitValue() + " before printing '"
              + text + "':\n" + output());
        }
        Thread.sleep(50);
      }
      throw new AssertionError("host did not print '" + text + "' within " + WAIT + ":\n" + output());
    }

    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
