package dev.updater.bench;

import static dev.updater.bench.Measure.NONE;
import static dev.updater.bench.Measure.log;
import static dev.updater.bench.Measure.median;

import dev.updater.bench.HealthPoller.Sample;
import dev.updater.cli.Main;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.examples.app.AppDatabase;
import dev.updater.examples.app.AppUpdater;
import dev.updater.examples.demo.ReleaseBuilder;
import dev.updater.examples.demo.Supervisor;
import dev.updater.examples.demo.Supervisor.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user of the host application feels during an update: the example application
 * ({@code updater-examples}) runs as a real process under {@link Supervisor}, {@link
 * HealthPoller} asks its {@code /api/health} (which answers its version) every 10 ms, and each
 * of {@value #UPDATES} successive releases is published into a signed repository on the bench's
 * file server and installed through the admin API ({@code POST /api/admin/updates/install}). The
 * downtime of an update is the time from the last healthy answer of the old version to the first
 * healthy answer of the new one, split at the supervisor's events:
 *
 * <ul>
 *   <li>stop: last healthy answer to the old process's exit (its updater exits with 75 after
 *       switching {@code current} and migrating, while the old process still serves);
 *   <li>spawn: that exit to the new process forked from {@code current/bin/start};
 *   <li>start: fork to the new process accepting connections, that is, to the sending of the
 *       first request it answers (JVM start, opening the database, building the updater,
 *       binding the port);
 *   <li>first_healthy: from there to the first healthy answer of the new version received (the
 *       first request, served cold).
 * </ul>
 */
final class DowntimeFigures {
  static final int UPDATES = 6;
  private static final long POLL_MILLIS = 10;
  private static final Duration UPDATE_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]*)\"");
  private final Bench bench;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  DowntimeFigures(Bench bench) {
    this.bench = bench;
  }

  /** One update's timeline, in nanoseconds of {@link System#nanoTime()}. */
  private record Gap(long lastOld, long exit, long spawn, long firstAnswer, long firstNew) {
    double seconds(long from, long to) {
      return (to - from) / 1e9;
    }
  }

  void downtime() throws Exception {
    log("Downtime: the example application updated " + UPDATES + " times through its admin "
        + "API, health polled every " + POLL_MILLIS + " ms ...");
    Path dir = bench.fresh("downtime");
    Path repo = bench.repos().resolve("example-app");
    Path keys = dir.resolve("keys");
    cli("keygen", "--out", keys.toString(), "--name", "bench");
    ReleaseBuilder builder = ReleaseBuilder.fromBuild();
    Path home = dir.resolve("home");
    String source = bench.server().base().resolve("example-app/").toString();
    publish(builder, dir, repo, keys, version(0));
    AppDatabase database = AppDatabase.open(home);
    Updater installer = AppUpdater.builder(home, AppUpdater.source(source, keys.resolve(
        "bench.pub")), database).build();
    installer.install(installer.find(Version.parse(version(0))).orElseThrow());
    int port = freePort();
    Map<String, String> env = Map.of("APP_HOME", home.toString(), "APP_PORT",
        Integer.toString(port), "APP_UPDATE_SOURCE", source, "APP_UPDATE_KEY",
        keys.resolve("bench.pub").toString(), "JAVA", bench.javaCommand());
    List<Gap> gaps = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    try (Supervisor supervisor = Supervisor.start(home, env, dir);
        HealthPoller poller = HealthPoller.start(port, "/api/health", POLL_MILLIS)) {
      await(poller, supervisor, s -> s.healthy(version(0)), version(0) + " healthy");
      for (int k = 1; k <= UPDATES; k++) {
        publish(builder, dir, repo, keys, version(k));
        long asked = install(port, poller, supervisor, version(k - 1), version(k), failures);
        gaps.add(gap(poller.samples(), supervisor.events(), version(k - 1), version(k), asked));
        awaitIdle(port, version(k), supervisor);
      }
      writeTimeline(dir.resolve("timeline.tsv"), poller.samples(), supervisor.events());
    }
    report(gaps, dir);
    if (!failures.isEmpty()) {
      bench.results().note("downtime", failures.size() + " install(s) failed and were retried "
          + "(the old version kept serving): " + String.join("; ", failures));
    }
  }

  /**
   * Asks the application running {@code from} to install {@code to} through its admin API and
   * waits until {@code to} answers healthy; an install that fails (the old version keeps
   * serving) is noted in {@code failures}, cleared and asked again, at most three times.
   *
   * @return when the successful install was asked ({@link System#nanoTime()})
   */
  private long install(int port, HealthPoller poller, Supervisor supervisor, String from,
      String to, List<String> failures) throws Exception {
    for (int attempt = 1; ; attempt++) {
      awaitIdle(port, from, supervisor);
      long asked = System.nanoTime();
      HttpResponse<String> r = post(port, "api/admin/updates/install");
      if (r.statusCode() != 202) {
        throw new IOException("the install of " + to + " answered " + r.statusCode() + ": "
            + r.body());
      }
      Optional<String> failed = awaitUpdate(port, poller, supervisor, to, asked);
      if (failed.isEmpty()) {
        return asked;
      }
      failures.add(to + ": " + failed.get());
      log("  the install of " + to + " failed, " + from + " kept serving: " + failed.get());
      if (attempt == 3) {
        throw new IOException("the install of " + to + " failed three times; see the logs");
      }
      post(port, "api/admin/updates/clear");
    }
  }

  /**
   * Waits until {@code to} answers healthy after {@code asked}, or the admin API reports the
   * install failed: then its error message.
   */
  private Optional<String> awaitUpdate(int port, HealthPoller poller, Supervisor supervisor,
      String to, long asked) throws Exception {
    long until = System.nanoTime() + UPDATE_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      if (poller.samples().stream().anyMatch(s -> s.healthy(to) && s.sent() > asked)) {
        return Optional.empty();
      }
      if (supervisor.stopped().isPresent()) {
        throw new IOException(supervisor.stopped().get());
      }
      try {
        String body = get(port, "api/admin/updates/progress").body();
        if (body.contains("\"phase\":\"error\"") && body.contains("\"running\":false")) {
          Matcher m = MESSAGE.matcher(body);
          return Optional.of(m.find() ? m.group(1) : body);
        }
      } catch (IOException e) {
        // restarting
      }
      Thread.sleep(100);
    }
    throw new IOException("the example application did not answer healthy " + to + " within "
        + UPDATE_TIMEOUT.toSeconds() + " s");
  }

  /**
   * Writes what the poller and the supervisor saw, in milliseconds from the first answer, to
   * {@code timeline.tsv}: one line per answer that differs from the one before and per start or
   * exit, so that each gap can be read answer by answer.
   */
  private static void writeTimeline(Path file, List<Sample> samples, List<Event> events)
      throws IOException {
    long zero = samples.isEmpty() ? 0 : samples.get(0).sent();
    List<String> lines = new ArrayList<>();
    long wallZero = System.currentTimeMillis() - (System.nanoTime() - zero) / 1_000_000;
    lines.add("ms\twhat\tdetail (0 ms = " + java.time.Instant.ofEpochMilli(wallZero) + ")");
    String before = "";
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      String now = s.status() + " " + s.version();
      boolean last = i + 1 < samples.size() && !(samples.get(i + 1).status() + " "
          + samples.get(i + 1).version()).equals(now);
      if (!now.equals(before) || last) {
        lines.add(String.format(Locale.ROOT, "%.1f\tanswer\t%s (sent at %.1f)",
            (s.received() - zero) / 1e6, now, (s.sent() - zero) / 1e6));
      }
      before = now;
    }
    for (Event e : events) {
      lines.add(String.format(Locale.ROOT, "%.1f\t%s\t%s", (e.nanos() - zero) / 1e6,
          e.started() ? "start" : "exit", e.detail()));
    }
    lines.subList(1, lines.size()).sort(java.util.Comparator.comparingDouble(
        l -> Double.parseDouble(l.substring(0, l.indexOf('\t')))));
    Files.write(file, lines);
  }

  private void report(List<Gap> gaps, Path dir) {
    List<Double> total = new ArrayList<>();
    List<Double> stop = new ArrayList<>();
    List<Double> spawn = new ArrayList<>();
    List<Double> start = new ArrayList<>();
    List<Double> healthy = new ArrayList<>();
    for (Gap g : gaps) {
      total.add(g.seconds(g.lastOld(), g.firstNew()));
      stop.add(g.seconds(g.lastOld(), g.exit()));
      spawn.add(g.seconds(g.exit(), g.spawn()));
      start.add(g.seconds(g.spawn(), g.firstAnswer()));
      healthy.add(g.seconds(g.firstAnswer(), g.firstNew()));
    }
    StringBuilder each = new StringBuilder();
    for (double t : total) {
      each.append(String.format(Locale.ROOT, " %.2f", t));
    }
    log("  downtime of each update (s):" + each + "; logs and timeline.tsv in " + dir);
    Results results = bench.results();
    results.figure("downtime_median", median(total), "s", 2.0);
    results.figure("downtime_max", total.stream().mapToDouble(d -> d).max().orElse(NONE), "s",
        NONE);
    results.figure("downtime_stop", median(stop), "s", NONE);
    results.figure("downtime_spawn", median(spawn), "s", NONE);
    results.figure("downtime_start", median(start), "s", NONE);
    results.figure("downtime_first_healthy", median(healthy), "s", NONE);
  }

  /**
   * The timeline of the update from {@code from} to {@code to} asked at {@code asked}: the last
   * healthy answer of {@code from} before the first of {@code to}, and the supervisor's exit and
   * start between them.
   */
  private static Gap gap(List<Sample> samples, List<Event> events, String from, String to,
      long asked) throws IOException {
    Sample firstNew = samples.stream().filter(s -> s.sent() > asked && s.healthy(to))
        .findFirst().orElseThrow();
    Sample lastOld = null;
    for (Sample s : samples) {
      if (s.sent() < firstNew.sent() && s.healthy(from)) {
        lastOld = s;
      }
    }
    if (lastOld == null) {
      throw new IOException("no healthy answer of " + from + " before " + to);
    }
    long after = lastOld.sent();
    Event exit = events.stream().filter(e -> !e.started() && e.nanos() > after).findFirst()
        .orElseThrow(() -> new IOException("no exit of " + from + " was seen"));
    Event spawn = events.stream().filter(e -> e.started() && e.nanos() >= exit.nanos())
        .findFirst().orElseThrow(() -> new IOException("no start of " + to + " was seen"));
    Sample firstAnswer = samples.stream().filter(s -> s.sent() >= spawn.nanos()
        && s.status() != HealthPoller.NO_ANSWER).findFirst().orElse(firstNew);
    return new Gap(lastOld.received(), exit.nanos(), spawn.nanos(), firstAnswer.sent(),
        firstNew.received());
  }

  /** The k-th release: 1.0.0, 1.1.0, 1.2.0, ... */
  private static String version(int k) {
    return "1." + k + ".0";
  }

  /** Builds release {@code version} (V1 only for 1.0.0, V1 and V2 after) and publishes it. */
  private static void publish(ReleaseBuilder builder, Path dir, Path repo, Path keys,
      String version) throws IOException {
    Path archive = builder.build(dir.resolve("archives"), version,
        version.equals(version(0)) ? 1 : 2, "SELECT COUNT(*) FROM orders");
    cli("publish", "--repo", repo.toString(), "--version", version, "--key",
        keys.resolve("bench.key").toString(), "--requires-db", "sqlite,postgresql",
        "--application", "example-app", archive.toString());
  }

  /** Waits until the poller has seen an answer that {@code done} accepts. */
  private static void await(HealthPoller poller, Supervisor supervisor, Predicate<Sample> done,
      String what) throws Exception {
    long until = System.nanoTime() + UPDATE_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      if (poller.samples().stream().anyMatch(done)) {
        return;
      }
      if (supervisor.stopped().isPresent()) {
        throw new IOException(supervisor.stopped().get());
      }
      Thread.sleep(50);
    }
    throw new IOException("the example application was not " + what + " within "
        + UPDATE_TIMEOUT.toSeconds() + " s");
  }

  /**
   * Waits until the admin API reports {@code running} running and no operation in progress (the
   * new process has confirmed itself).
   */
  private void awaitIdle(int port, String running, Supervisor supervisor) throws Exception {
    long until = System.nanoTime() + UPDATE_TIMEOUT.toNanos();
    String body = "";
    while (System.nanoTime() < until) {
      try {
        body = get(port, "api/admin/updates/progress").body();
        if (body.contains("\"runningVersion\":\"" + running + "\"")
            && body.contains("\"running\":false") && !body.contains("\"phase\":\"error\"")) {
          return;
        }
      } catch (IOException e) {
        // restarting
      }
      if (supervisor.stopped().isPresent()) {
        throw new IOException(supervisor.stopped().get());
      }
      Thread.sleep(100);
    }
    throw new IOException("the update to " + running + " did not complete within "
        + UPDATE_TIMEOUT.toSeconds() + " s; last progress: " + body);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + "/" + path);
  }

  private static void cli(String... args) throws IOException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(ByteArrayOutputStream.nullOutputStream(), true,
        StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    if (code != 0) {
      throw new IOException("updater " + String.join(" ", args) + " failed with " + code + ": "
          + err.toString(StandardCharsets.UTF_8));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
