package dev.updater.core.confirm;

import dev.updater.core.HistoryEntry;
import dev.updater.core.HostAppMain;
import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.TestRepository;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.FileLockStore;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus.State;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process {@link Launcher} with real processes: the
 * launcher runs in a child JVM and starts {@code sh {current}/start.sh}; each release's start
 * script runs {@link HostAppMain} (or, for a broken release, a JVM that cannot find its main
 * class). The host installs the update itself and exits with the restart code.
 */
class LauncherTest {
  private static final Version V1 = Version.parse("1.0.0");
  private static final Version V2 = Version.parse("1.1.0");
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path tmp;

  private Path home;
  private Layout layout;
  private TestRepository repo;
  private int port;
  private Process launcher;
  private Path log;

  @BeforeEach
  void setUp() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    log = tmp.resolve("launcher.log");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void stopLauncher() throws InterruptedException {
    if (launcher != null) {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
      launcher.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @Test
  void relaunchesTheNewReleaseAfterTheRestartCodeAndTheUpdateCompletes() throws Exception {
    publish(hostScript("ok", 60_000), "ok");
    startLauncher();
    awaitHealth(V1);

    requestUpdate();

    awaitHealth(V2);
    await(() -> observer().status().state() == State.COMPLETE, "the update completes");
    UpdateStatus status = observer().status();
    assertThat(status.installed()).contains(V2);
    assertThat(status.previous()).contains(V1);
    assertThat(layout.release(V1)).as("the previous release is retained").isDirectory();
    // The journal says complete a moment before the confirming process lets the lock go.
    await(this::lockIsFree, "the update lock is released");
    assertThat(output()).contains("exited with the restart code 75", "starting 1.1.0, which"
        + " awaits confirmation");
    assertThat(launcher.isAlive()).isTrue();
  }

  @Test
  void rollsBackAReleaseWhoseJvmNeverStartsAfterThreeStarts() throws Exception {
    publish("exec " + JAVA + " -cp " + tmp.resolve("missing.jar") + " no.such.Main\n", "ok");
    startLauncher();
    awaitHealth(V1);

    requestUpdate();

    await(() -> output().contains("rolled back"), "the launcher rolls back");
    awaitHealth(V1);
    UpdateStatus status = observer().status();
    assertThat(status.installed()).contains(V1);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(status.error().orElseThrow().message())
        .contains("1.1.0 started 3 times without confirming", "decided by the launcher");
    assertThat(output()).containsSubsequence("1.1.0 exited with 1 before it confirmed",
        "1.1.0 exited with 1 before it confirmed", "1.1.0 exited with 1 before it confirmed",
        "rolled back: 1.0.0 is live again", "starting 1.0.0");
    assertThat(last().outcome()).isEqualTo(Outcome.ROLLED_BACK);
  }

  @Test
  void countsEachStartOfACrashingReleaseOnceAndRollsBackAfterThree() throws Exception {
    publish(hostScript("crash", 60_000), "crash");
    startLauncher();
    awaitHealth(V1);

    requestUpdate();

    await(() -> output().contains("rolled back"), "the launcher rolls back");
    awaitHealth(V1);
    assertThat(output().split("CRASHING", -1)).as("three crashing starts of 1.1.0").hasSize(4);
    assertThat(observer().status().error().orElseThrow().message())
        .contains("1.1.0 started 3 times without confirming");
  }

  @Test
  void rollsBackAndStopsAReleaseThatRunsButNeverConfirmsByItsDeadline() throws Exception {
    // the deadline is the installing release's setting: 1.0.0 installs 1.1.0 with 3 s
    publish(hostScript("silent", 60_000), "silent", 3_000);
    startLauncher();
    awaitHealth(V1);

    requestUpdate();

    await(() -> output().contains("SILENT"), "the silent release starts");
    awaitHealth(V1);
    UpdateStatus status = observer().status();
    assertThat(status.installed()).contains(V1);
    assertThat(status.error().orElseThrow().message())
        .contains("1.1.0 did not confirm by its deadline", "decided by the launcher");
    assertThat(output()).contains("1.1.0 was rolled back while it ran");
  }

  @Test
  void refusesToStartWithoutACommand() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Launcher.builder(home).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("command(...)");
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The start script of a release that runs {@link HostAppMain} with {@code behaviour}. */
  private String hostScript(String behaviour, long confirmationMillis) {
    return "exec " + JAVA + " -Xshare:auto -XX:TieredStopAtLevel=1 -cp "
        + System.getProperty("java.class.path") + " " + HostAppMain.class.getName() + " " + home
        + " " + repo.root + " " + port + " " + confirmationMillis + "\n";
  }

  /**
   * Publishes a good 1.0.0 and a 1.1.0 started by {@code startOfV2} that behaves as
   * {@code behaviour} (see {@link HostAppMain}); installs 1.0.0.
   */
  private void publish(String startOfV2, String behaviour) throws IOException {
    publish(startOfV2, behaviour, 60_000);
  }

  /**
   * Publishes like {@link #publish(String, String)}, with 1.0.0 giving the releases it installs
   * {@code confirmationMillis} to confirm.
   */
  private void publish(String startOfV2, String behaviour, long confirmationMillis)
      throws IOException {
    repo.publish(V1, Map.of("VERSION", V1.toString(), "start.sh",
        hostScript("ok", confirmationMillis)));
    repo.publish(V2, Map.of("VERSION", V2.toString(), "BEHAVIOUR", behaviour,
        "start.sh", startOfV2));
    Updater first = observer();
    first.install(first.find(V1).orElseThrow());
  }

  private Updater observer() {
    return Updaters.sharing(home, repo.source(), "data")
        .build();
  }

  private HistoryEntry last() {
    List<HistoryEntry> history = observer().history();
    return history.get(history.size() - 1);
  }

  private void startLauncher() throws IOException {
    launcher = new ProcessBuilder(JAVA, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), Launcher.class.getName(), "--home",
        home.toString(), "--poll-ms", "100", "--", "sh", "{current}/start.sh")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private String output() {
    try {
      return Files.exists(log) ? Files.readString(log, UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private void requestUpdate() throws Exception {
    HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/update?to=" + V2))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(202);
  }

  private void awaitHealth(Version version) throws Exception {
    try {
      HttpHealthCheck.builder(URI.create("http://127.0.0.1:" + port + "/api/health"))
          .versionField("version").interval(Duration.ofMillis(100)).timeout(WAIT).build()
          .check(new UpdateContext(UpdateEvent.Operation.INSTALL, Step.CONFIRM, Optional.empty(),
              version, layout, layout.release(version)));
    } catch (Exception e) {
      throw new AssertionError(version + " did not serve; the launcher printed:\n" + output(), e);
    }
  }

  private boolean lockIsFree() {
    try {
      return FileLockStore.create(layout.state().resolve("lock.json")).holder().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void await(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(what + " did not happen within " + WAIT + "; the launcher printed:\n"
        + output());
  }
}
