package dev.updater.examples.demo;

import dev.updater.cli.Main;
import dev.updater.cli.RepositoryServer;
import dev.updater.core.Layout;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.examples.app.AppDatabase;
import dev.updater.examples.app.AppUpdater;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the demo runs on, under one work directory: a signing key, a signed update repository
 * ({@code repo/}) served over HTTP, the install's home ({@code home/}) and the application's logs
 * ({@code logs/}). Built by {@link DemoScenario} and by the tests, which share the release archives
 * built once per JVM. Not thread-safe; {@link #close()} stops the application and the server.
 */
final class DemoEnvironment implements AutoCloseable {
  /** The releases of the example application the demo publishes, in order. */
  static final List<String> VERSIONS = List.of("1.0.0", "1.1.0", "1.2.0");
  /** 1.2.0's defect: its health check queries a table that no migration creates. */
  static final String BROKEN_HEALTH_QUERY = "SELECT COUNT(*) FROM order_items";

  private static final Map<String, Path> ARCHIVES = new HashMap<>();
  private static Path archiveDir;

  private final Path work;
  private final Path home;
  private final Path repo;
  private final Path keys;
  private final Path logs;
  private final RepositoryServer server;
  private final int port;
  private final AppClient client;
  private Supervisor supervisor;

  private DemoEnvironment(Path work) throws IOException {
    this.work = work;
    this.home = work.resolve("home");
    this.repo = Files.createDirectories(work.resolve("repo"));
    this.keys = work.resolve("keys");
    this.logs = work.resolve("logs");
    cli("keygen", "--out", keys.toString(), "--name", "demo");
    this.server = RepositoryServer.start(repo);
    this.port = freePort();
    this.client = new AppClient(port);
  }

  /** A new environment in {@code work}: a fresh key and an empty repository, being served. */
  static DemoEnvironment create(Path work) throws IOException {
    return new DemoEnvironment(work.toAbsolutePath());
  }

  /** The release archive of {@code version}, built once per JVM. */
  static synchronized Path archive(String version) throws IOException {
    Path archive = ARCHIVES.get(version);
    if (archive == null) {
      if (archiveDir == null) {
        archiveDir = Files.createTempDirectory("updater-demo-releases-");
        archiveDir.toFile().deleteOnExit();
      }
      ReleaseBuilder builder = ReleaseBuilder.fromBuild();
      archive = builder.build(archiveDir, version, version.equals("1.0.0") ? 1 : 2,
          version.equals("1.2.0") ? BROKEN_HEALTH_QUERY : "SELECT COUNT(*) FROM orders");
      archive.toFile().deleteOnExit();
      ARCHIVES.put(version, archive);
    }
    return archive;
  }

  /** Publishes {@code version} into the repository with the CLI, signing the channel index. */
  String publish(String version) throws IOException {
    return cli("publish", "--repo", repo.toString(), "--version", version,
        "--key", keys.resolve("demo.key").toString(), "--requires-db", "sqlite,postgresql",
        "--notes", notes(version), "--application", "example-app",
        archive(version).toString());
  }

  private static String notes(String version) {
    return switch (version) {
      case "1.0.0" -> "First release: orders.";
      case "1.1.0" -> "Orders get a priority (migration V2 adds a column).";
      default -> "Faster health checks (this release is broken on purpose: its health check fails).";
    };
  }

  /**
   * Installs {@code version} into the empty home, as an installer would: the same updater wiring
   * as the application, without a restart (nothing runs yet). Runs its migrations.
   */
  void installFirst(String version) throws IOException {
    Updater updater = AppUpdater.builder(home, source(), AppDatabase.open(home)).build();
    updater.install(updater.find(Version.parse(version)).orElseThrow(
        () -> new IllegalStateException(version + " is not published")));
  }

  /** Starts the application from {@code current/} under a {@link Supervisor}. */
  Supervisor startApplication() throws IOException {
    Map<String, String> env = Map.of(
        "APP_HOME", home.toString(),
        "APP_PORT", Integer.toString(port),
        "APP_UPDATE_SOURCE", server.url().toString(),
        "APP_UPDATE_KEY", keys.resolve("demo.pub").toString());
    supervisor = Supervisor.start(home, env, logs);
    return supervisor;
  }

  /**
   * Waits until {@code /api/health} answers 200 with {@code version}.
   *
   * @throws IllegalStateException when it does not within {@code timeout}, or the supervisor
   *     stopped
   */
  void awaitHealthy(String version, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    Optional<String> seen = Optional.empty();
    while (System.nanoTime() < until) {
      seen = client.healthyVersion();
      if (seen.equals(Optional.of(version))) {
        return;
      }
      if (supervisor != null && supervisor.stopped().isPresent()) {
        throw new IllegalStateException(supervisor.stopped().get());
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the application did not report healthy " + version
        + " within " + timeout.toSeconds() + " s (last healthy version seen: "
        + seen.orElse("none") + "); see the logs in " + logs);
  }

  /** An updater on the install that only reads: no running version, no restarter. */
  Updater observer() throws IOException {
    return AppUpdater.builder(home, source(), AppDatabase.open(home)).build();
  }

  private dev.updater.core.spi.ReleaseSource source() throws IOException {
    return AppUpdater.source(server.url().toString(), keys.resolve("demo.pub"));
  }

  AppClient client() {
    return client;
  }

  Optional<Supervisor> supervisor() {
    return Optional.ofNullable(supervisor);
  }

  Path work() {
    return work;
  }

  Path home() {
    return home;
  }

  Layout layout() {
    return Layout.of(home);
  }

  Path repo() {
    return repo;
  }

  Path logs() {
    return logs;
  }

  Path database() {
    return home.resolve("shared/data/app.db");
  }

  String repositoryUrl() {
    return server.url().toString();
  }

  @Override
  public void close() {
    if (supervisor != null) {
      supervisor.close();
    }
    server.close();
  }

  private static String cli(String... args) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    if (code != 0) {
      throw new IOException("updater " + String.join(" ", args) + " failed with " + code + ": "
          + err.toString(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
