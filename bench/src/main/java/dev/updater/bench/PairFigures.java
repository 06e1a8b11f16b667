package dev.updater.bench;

import static dev.updater.bench.Measure.MB;
import static dev.updater.bench.Measure.NONE;
import static dev.updater.bench.Measure.log;
import static dev.updater.bench.Measure.median;
import static dev.updater.bench.Measure.time;
import static dev.updater.bench.Shell.q;

import dev.updater.cli.Main;
import dev.updater.core.Release;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.HttpReleaseSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Real release pairs over HTTP: Apache Tomcat 11.0.13 to 11.0.14 (the {@code
 * org.apache.tomcat:tomcat} tar.gz artifacts, copied from Maven Central by the bench's build into
 * {@code bench/target/pairs}) and a generated Spring Boot-style fat jar with one dependency bumped
 * ({@link FatJars}). For each: the bytes the server sends for the update as a fraction of the new
 * archive, the requests it answers for the update, and the time of the update against a full
 * install of the new release (medians of {@code --reps} runs after a warm-up run).
 */
final class PairFigures {
  private final Bench bench;
  private final Path pairs;

  PairFigures(Bench bench, Path pairs) {
    this.bench = bench;
    this.pairs = pairs;
  }

  void tomcat() throws Exception {
    Path first = pairs.resolve("tomcat-11.0.13.tar.gz");
    Path second = pairs.resolve("tomcat-11.0.14.tar.gz");
    if (!Files.isRegularFile(first) || !Files.isRegularFile(second)) {
      log("Tomcat pair skipped: " + first + " or " + second + " is missing (bench/run's build "
          + "copies them from Maven Central)");
      return;
    }
    log("Tomcat 11.0.13 -> 11.0.14 ...");
    Result r = pair("tomcat", "11.0.13", first, "11.0.14", second);
    Results results = bench.results();
    results.figure("tomcat_delta_bytes", r.bytes / MB, "MB", NONE);
    results.figure("tomcat_delta_requests", r.requests, "requests", NONE);
    results.ratio("tomcat_delta_bytes_vs_archive", r.bytes, Files.size(second), "B", 0.25);
    results.ratio("tomcat_delta_install_vs_full_install", r.deltaSeconds, r.fullSeconds, "s",
        NONE);
    results.figure("tomcat_publish", r.publishSeconds, "s", NONE);
  }

  void fatJar() throws Exception {
    log("Fat jar, one dependency bumped ...");
    Path dir = bench.fresh("fatjar-build");
    FatJars.Pair jars = FatJars.write(dir.resolve("jars"));
    Path first = tarGz(dir, jars.first(), "app-1.0.0.tar.gz");
    Path second = tarGz(dir, jars.second(), "app-1.1.0.tar.gz");
    log(String.format(Locale.ROOT, "  fat jar %.1f MB, bumped dependency %.2f MB",
        Files.size(jars.second()) / MB, jars.bumpedJarBytes() / MB));
    Result r = pair("fatjar", "1.0.0", first, "1.1.0", second);
    double limit = 2.0 * jars.bumpedJarBytes() + MB;
    Results results = bench.results();
    results.figure("fatjar_delta_bytes", r.bytes / MB, "MB", limit / MB);
    results.figure("fatjar_delta_requests", r.requests, "requests", NONE);
    results.ratio("fatjar_delta_bytes_vs_archive", r.bytes, Files.size(second), "B", NONE);
    results.ratio("fatjar_delta_install_vs_full_install", r.deltaSeconds, r.fullSeconds, "s",
        NONE);
    results.figure("fatjar_publish", r.publishSeconds, "s", NONE);
  }

  private record Result(double bytes, long requests, double deltaSeconds, double fullSeconds,
      double publishSeconds) {}

  /**
   * Publishes the two releases into a fresh repository under the served directory; then, after
   * one warm-up run, {@code --reps} times: installs the first into a fresh home and measures the
   * update to the second (bytes and requests the server answers, and time), and a full install
   * of the second into another fresh home. The times are medians.
   */
  private Result pair(String name, String v1, Path a1, String v2, Path a2) throws Exception {
    Path repo = bench.repos().resolve(name);
    Scratch.delete(repo);
    publish(repo, v1, a1);
    double publishSeconds = time(() -> publish(repo, v2, a2));
    URI base = bench.server().base().resolve(name + "/");
    List<Double> deltas = new ArrayList<>();
    List<Double> fulls = new ArrayList<>();
    long sent = 0;
    long requests = 0;
    for (int i = 0; i <= bench.reps(); i++) {
      Path home = bench.fresh(name + "-home");
      Updater first = updater(home, base);
      first.install(first.find(Version.parse(v1)).orElseThrow());
      Updater next = updater(home, base);
      Release release = next.find(Version.parse(v2)).orElseThrow();
      long before = bench.server().bytesSent();
      long requestsBefore = bench.server().requests();
      double delta = time(() -> next.install(release));
      sent = bench.server().bytesSent() - before;
      requests = bench.server().requests() - requestsBefore;
      Path fresh = bench.fresh(name + "-full");
      Updater full = updater(fresh, base);
      Release again = full.find(Version.parse(v2)).orElseThrow();
      double fullSeconds = time(() -> full.install(again));
      if (i > 0) { // the first run warms up
        deltas.add(delta);
        fulls.add(fullSeconds);
      }
      Scratch.delete(home);
      Scratch.delete(fresh);
    }
    log(String.format(Locale.ROOT, "  %s: update %s s (median %.2f), %d bytes in %d requests "
        + "(archive %d); full install %s s (median %.2f); publish %.2f s", name, deltas,
        median(deltas), sent, requests, Files.size(a2), fulls, median(fulls), publishSeconds));
    return new Result(sent, requests, median(deltas), median(fulls), publishSeconds);
  }

  private static Updater updater(Path home, URI repo) {
    return Updater.builder().home(home).source(HttpReleaseSource.of(repo)).build();
  }

  private static Path tarGz(Path dir, Path jar, String name) throws Exception {
    Path staged = Files.createDirectories(dir.resolve(name + ".d"));
    Files.copy(jar, staged.resolve("app.jar"));
    Path archive = dir.resolve(name);
    Shell.run(dir, "tar -C " + q(staged) + " -czf " + q(archive) + " .");
    return archive;
  }

  private static void publish(Path repo, String version, Path artifact) throws IOException {
    Files.createDirectories(repo);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true,
        StandardCharsets.UTF_8);
    int rc = Main.run(new String[] {"publish", "--repo", repo.toString(), "--version", version,
        "--application", "bench", artifact.toString()}, quiet, System.err);
    if (rc != 0) {
      throw new IOException("updater publish of " + artifact + " into " + repo + " failed: exit "
          + rc);
    }
  }
}
