package dev.updater.systemd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.core.Artifact;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.activate.FileLockStore;
import dev.updater.core.HistoryEntry;
import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.testkit.ReleaseArchives;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart, confirmation and rollback with real processes: {@link RestartHostMain} runs in child
 * JVMs under a stand-in supervisor (a shell loop that starts it from {@code current/} and starts
 * it again whenever it exits non-zero, like systemd's {@code Restart=on-failure} or pm2). Stand-in
 * {@code pm2}, {@code systemctl} and {@code sudo} are the only commands on the host's PATH; they
 * record their arguments, and their restart commands really restart the host by stopping it for
 * the supervisor. The host updates itself through the chain of {@link
 * Restarters#firstAvailable(String)}; the detached watcher runs the stand-in {@code systemctl
 * --user restart}.
 */
class RestartEndToEndTest {
  private static final Version V1 = Version.parse("1.0.0");
  private static final Version V2 = Version.parse("1.1.0");
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String USER_SHOW = "--user show -p LoadState myapp.service";
  private static final String USER_RESTART = "--user restart myapp.service";
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path tmp;

  private Path home;
  private Layout layout;
  private Path repo;
  private Path run;
  private StandIns standIns;
  private int port;
  private Process supervisor;
  private final List<Release> releases = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = tmp.resolve("repo");
    run = Files.createDirectories(tmp.resolve("run"));
    standIns = StandIns.in(tmp.resolve("standins"));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void stopEverything() throws Exception {
    Files.writeString(run.resolve("stop"), "");
    watcherPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    if (supervisor != null) {
      supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
      supervisor.destroyForcibly();
      supervisor.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @Test
  void picksPm2AndAGoodReleaseCompletesOnceItsStatusSeesItInstalledAndRunning()
      throws Exception {
    standIns.pm2DaemonRunning();
    standIns.command("pm2").on("describe myapp", 0, "status: online")
        .restartOn("restart myapp", run.resolve("host.pid")).install();
    standIns.command("systemctl").on(USER_SHOW, 0, "LoadState=loaded")
        .restartOn(USER_RESTART, run.resolve("host.pid")).install();
    publish("status");
    startSupervisor(60_000, true);
    awaitHealth(V1);

    requestUpdate();
    awaitHealth(V2);

    assertThat(journal().path("state").asText()).isEqualTo("AWAITING_CONFIRMATION");
    assertThat(progress()).isEqualTo("COMPLETE complete");
    UpdateStatus status = observer().status();
    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.installed()).contains(V2);
    assertThat(status.running()).isEmpty();
    assertThat(status.previous()).contains(V1);
    assertThat(layout.release(V1)).as("the previous release is retained").isDirectory();
    assertThat(FileLockStore.create(layout.state().resolve("lock.json")).holder()).isEmpty();
    assertThat(last().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(standIns.calls("pm2")).containsExactly("describe myapp", "restart myapp");
    assertThat(standIns.calls("systemctl")).isEmpty();
    assertThat(hostLogs()).contains("Restart of 1.1.0: using pm2 restart myapp (pm2 knows app"
        + " myapp)");
    await(() -> watcherLog().contains("1.1.0 was confirmed"), "the watcher sees the confirmation");
  }

  @Test
  void picksSystemctlUserWithoutPm2AndTheWatcherRollsBackAReleaseThatNeverAnswers()
      throws Exception {
    standIns.command("systemctl").on(USER_SHOW, 0, "LoadState=loaded")
        .restartOn(USER_RESTART, run.resolve("host.pid")).install();
    publish("silent");
    startSupervisor(4_000, true);
    awaitHealth(V1);

    requestUpdate();
    await(() -> hostLogs().contains("SILENT"), "1.1.0 starts and stays silent");
    await(() -> watcherLog().contains("rolled back 1.1.0"), "the watcher rolls back");
    awaitHealth(V1);

    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.0.0"));
    assertThat(standIns.calls("systemctl"))
        .containsExactly(USER_SHOW, USER_RESTART, USER_RESTART);
    assertThat(hostLogs()).contains("skipping pm2 restart myapp: pm2 not found on PATH",
        "using systemctl --user restart myapp.service");
    UpdateStatus status = observer().status();
    assertThat(status.installed()).contains(V1);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(status.error().orElseThrow().message())
        .contains("1.1.0 did not confirm by its deadline", "decided by the watcher",
            "1.0.0 is live again and is restarted");
    assertThat(last().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(rollbacks()).isEqualTo(1);
  }

  @Test
  void fallsBackToTheExitCodeAndRollsBackACrashLoopWithoutWaitingForTheDeadline()
      throws Exception {
    standIns.command("systemctl").on(USER_SHOW, 0, "LoadState=not-found")
        .on("show -p LoadState myapp.service", 0, "LoadState=loaded")
        .restartOn(USER_RESTART, run.resolve("host.pid")).install();
    standIns.command("sudo").on("-n -l systemctl restart myapp.service", 1,
        "sudo: a password is required").install();
    publish("crash");
    startSupervisor(120_000, true);
    awaitHealth(V1);

    requestUpdate();
    awaitHealth(V1, () -> observer().history().stream()
        .anyMatch(e -> e.outcome() == Outcome.ROLLED_BACK));

    assertThat(hostLogs()).contains("skipping pm2 restart myapp: pm2 not found on PATH",
        "skipping systemctl --user restart myapp.service: user unit myapp.service is not loaded",
        "skipping sudo -n systemctl restart myapp.service: sudo does not allow",
        "using exit 75");
    assertThat(exits()).startsWith("1 75", "2 3", "3 3", "4 3");
    assertThat(standIns.calls("sudo")).containsExactly("-n -l systemctl restart myapp.service");
    UpdateStatus status = observer().status();
    assertThat(status.installed()).contains(V1);
    assertThat(status.error().orElseThrow().message())
        .contains("1.1.0 started 3 times without confirming");
    assertThat(rollbacks()).isEqualTo(1);
  }

  @Test
  void theNextStartOfTheNewHostRollsBackWhenTheWatcherWasKilledBeforeTheDeadline()
      throws Exception {
    standIns.command("systemctl").on(USER_SHOW, 0, "LoadState=loaded")
        .restartOn(USER_RESTART, run.resolve("host.pid")).install();
    publish("silent");
    startSupervisor(4_000, true);
    awaitHealth(V1);
    requestUpdate();
    await(() -> watcherLog().contains("awaits confirmation until"), "the watcher watches");
    await(() -> hostLogs().contains("SILENT"), "1.1.0 starts and stays silent");

    ProcessHandle watcher = watcherPid().flatMap(ProcessHandle::of).orElseThrow();
    watcher.destroyForcibly();
    await(() -> !watcher.isAlive(), "the watcher is killed");
    Instant deadline = Instant.parse(journal().path("confirmBy").asText());
    await(() -> Instant.now().isAfter(deadline), "the deadline passes");
    assertThat(journal().path("state").asText()).as("nobody decided yet")
        .isEqualTo("AWAITING_CONFIRMATION");

    // The supervisor starts the new host again (after a crash, a reboot, an operator's restart).
    Process restart = new ProcessBuilder(standIns.bin().resolve("systemctl").toString(), "--user",
        "restart", "myapp.service").start();
    assertThat(restart.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    awaitHealth(V1, () -> observer().history().stream()
        .anyMatch(e -> e.outcome() == Outcome.ROLLED_BACK));

    UpdateStatus status = observer().status();
    assertThat(status.installed()).contains(V1);
    assertThat(status.error().orElseThrow().message())
        .contains("1.1.0 did not confirm by its deadline")
        .doesNotContain("decided by the watcher");
    assertThat(rollbacks()).isEqualTo(1);
    assertThat(watcherLog()).doesNotContain("rolled back");
  }

  // ---- the install and its processes -----------------------------------------------------------

  /** Publishes a good 1.0.0 and a 1.1.0 that behaves as {@code behaviour}; installs 1.0.0. */
  private void publish(String behaviour) throws Exception {
    publish(V1, "ok");
    publish(V2, behaviour);
    Updater first = observer();
    first.install(first.find(V1).orElseThrow());
  }

  private void publish(Version v, String behaviour) throws Exception {
    byte[] archive = ReleaseArchives.builder().file("VERSION", v.toString())
        .file("BEHAVIOUR", behaviour).tarGz();
    String name = "app-" + v + ".tar.gz";
    Path dir = Files.createDirectories(repo.resolve("releases").resolve(v.toString()));
    Files.write(dir.resolve(name), archive);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
    releases.add(Release.of(v, "stable",
        new Artifact(name, archive.length, sha, "releases/" + v + "/" + name)));
    RepositoryWriter.unsigned(repo).writeIndex(
        new ReleaseIndex("app", "stable", releases.size(), Optional.empty(), releases));
  }

  /** An updater in this process that only looks: no running version, no restarter. */
  private Updater observer() {
    return Updaters.sharing(home, DirectoryReleaseSource.of(repo), "data")
        .build();
  }

  /**
   * Starts the stand-in supervisor: a shell loop that runs the host from {@code current/} with
   * PATH = the stand-ins only, and starts it again whenever it exits non-zero.
   */
  private void startSupervisor(long confirmationMillis, boolean watcher) throws IOException {
    List<String> host = new ArrayList<>(List.of(JAVA, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp",
        System.getProperty("java.class.path"), RestartHostMain.class.getName(), home.toString(),
        repo.toString(), Integer.toString(port), Long.toString(confirmationMillis)));
    if (watcher) {
      host.addAll(List.of(standIns.bin().resolve("systemctl").toString(), "--user", "restart",
          "myapp.service"));
    }
    String command = host.stream().map(RestartEndToEndTest::quote)
        .collect(Collectors.joining(" "));
    String script = "#!/bin/sh\n"
        + "export PATH=" + quote(standIns.bin().toString()) + "\n"
        + "export HOME=" + quote(standIns.home().toString()) + "\n"
        + "n=0\n"
        + "while [ $n -lt 20 ]; do\n"
        + "  n=$((n+1))\n"
        + "  cd " + quote(layout.current().toString()) + " || exit 90\n"
        + "  " + command + " >> " + quote(run.toString()) + "/host-$n.log 2>&1 &\n"
        + "  echo $! > " + quote(run.resolve("host.pid").toString()) + "\n"
        + "  wait $!\n"
        + "  code=$?\n"
        + "  echo \"$n $code\" >> " + quote(run.resolve("exits").toString()) + "\n"
        + "  [ -f " + quote(run.resolve("stop").toString()) + " ] && exit 0\n"
        + "  [ $code -eq 0 ] && exit 0\n"
        + "  /bin/sleep 0.2\n"
        + "done\n";
    Path file = run.resolve("supervise.sh");
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    supervisor = new ProcessBuilder("/bin/sh", file.toString())
        .redirectErrorStream(true).redirectOutput(run.resolve("supervisor.log").toFile()).start();
  }

  private void requestUpdate() throws Exception {
    HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/update?to=" + V2))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(202);
  }

  private String progress() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/update/progress")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Waits until {@code /api/health} answers with {@code version}. */
  private void awaitHealth(Version version) throws Exception {
    awaitHealth(version, () -> true);
  }

  /** Waits until {@code /api/health} answers with {@code version} and {@code also} holds. */
  private void awaitHealth(Version version, BooleanSupplier also) throws Exception {
    String expected = "{\"version\":\"" + version + "\"}";
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    await(() -> {
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().equals(expected) && also.getAsBoolean();
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }, version + " serves /api/health");
  }

  private void await(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(what + " did not happen within " + WAIT + ".\nHosts:\n" + hostLogs()
        + "\nWatcher:\n" + watcherLog() + "\nExits: " + exits());
  }

  private JsonNode journal() throws IOException {
    return new ObjectMapper().readTree(layout.state().resolve("journal.json").toFile());
  }

  private HistoryEntry last() {
    List<HistoryEntry> history = observer().history();
    return history.get(history.size() - 1);
  }

  private long rollbacks() {
    return observer().history().stream().filter(e -> e.outcome() == Outcome.ROLLED_BACK).count();
  }

  private Optional<Long> watcherPid() {
    try {
      return Optional.of(Long.parseLong(
          Files.readString(layout.state().resolve("watcher.pid")).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private String watcherLog() {
    return read(layout.state().resolve("watcher.log"));
  }

  private List<String> exits() {
    String text = read(run.resolve("exits"));
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  /** Every host log, in start order. */
  private String hostLogs() {
    StringBuilder all = new StringBuilder();
    for (int n = 1; n <= 20; n++) {
      Path log = run.resolve("host-" + n + ".log");
      if (Files.exists(log)) {
        all.append("--- start ").append(n).append('\n').append(read(log));
      }
    }
    return all.toString();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
