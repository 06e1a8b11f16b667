package dev.updater.bench;

import static dev.updater.bench.Measure.MB;
import static dev.updater.bench.Measure.NONE;
import static dev.updater.bench.Measure.cpuSeconds;
import static dev.updater.bench.Measure.log;
import static dev.updater.bench.Measure.median;
import static dev.updater.bench.Measure.time;
import static dev.updater.bench.Shell.q;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.HttpReleaseSource;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures over HTTP: download + verify + stage of the full release against a curl, openssl
 * and tar script, and the delta install of a release that differs in one file.
 */
final class InstallFigures {
  private final Bench bench;
  private double fullInstallSeconds = NONE;

  InstallFigures(Bench bench) {
    this.bench = bench;
  }

  void fullInstall() throws Exception {
    log("Download + verify + stage of the full release (Updater.install into a fresh home) ...");
    URI repo = bench.server().base().resolve("tree/");
    Version v1 = Version.parse("1.0.0");
    Release release = updater(bench.fresh("probe-home"), repo).find(v1).orElseThrow();
    Artifact artifact = release.primaryArtifact();
    URI url = repo.resolve(artifact.location());
    List<Double> lib = new ArrayList<>();
    List<Double> script = new ArrayList<>();
    List<Double> durable = new ArrayList<>();
    List<Double> libCpu = new ArrayList<>();
    List<Double> scriptCpu = new ArrayList<>();
    for (int i = 0; i <= bench.reps(); i++) {
      double cpu = cpuSeconds();
      double l = installFresh(repo, v1);
      cpu = cpuSeconds() - cpu;
      Shell.Timing s = scriptInstall(url, artifact.sha256(), false);
      Shell.Timing d = scriptInstall(url, artifact.sha256(), true);
      if (i > 0) {
        lib.add(l);
        script.add(s.wall());
        durable.add(d.wall());
        libCpu.add(cpu);
        scriptCpu.add(s.cpu());
      }
    }
    fullInstallSeconds = median(lib);
    Results results = bench.results();
    results.ratio("full_install_vs_script", median(lib), median(script), "s", 0.9);
    results.ratio("full_install_vs_script_sync", median(lib), median(durable), "s", NONE);
    results.ratio("full_install_cpu_vs_script", median(libCpu), median(scriptCpu), "s cpu",
        NONE);
  }

  /** Installs {@code version} into a fresh home; returns the seconds {@code install} took. */
  private double installFresh(URI repo, Version version) throws Exception {
    Path home = bench.fresh("home");
    StepTimes steps = new StepTimes();
    Updater updater = Updater.builder().home(home).source(HttpReleaseSource.of(repo))
        .listener(steps).build();
    Release release = updater.find(version).orElseThrow();
    double cpu = cpuSeconds();
    double seconds = time(() -> updater.install(release));
    cpu = cpuSeconds() - cpu;
    log(String.format(Locale.ROOT, "  library install %.2f s (cpu %.2f s): %s", seconds, cpu,
        steps));
    Scratch.delete(home);
    return seconds;
  }

  private Shell.Timing scriptInstall(URI url, String sha256, boolean sync) throws Exception {
    Path dir = bench.fresh("script");
    String script = "curl -sS --fail -o a.tar.gz " + q(url)
        + " && test \"$(openssl dgst -sha256 -r a.tar.gz | cut -d' ' -f1)\" = " + q(sha256)
        + " && mkdir x && tar xzf a.tar.gz -C x" + (sync ? " && sync -f x" : "");
    Shell.Timing t = Shell.timeWithCpu(dir, script);
    log(String.format(Locale.ROOT, "  script%s %.2f s (cpu %.2f s)", sync ? " + sync" : "",
        t.wall(), t.cpu()));
    Scratch.delete(dir);
    return t;
  }

  /**
   * The delta figure: a release that differs from the live one in a single 1 MB file of the
   * 200 MB tree. Measures the bytes the server sends and the time of {@code install(1.1.0)} over a
   * live 1.0.0 ({@code --reps} runs, median), against the full install of a fresh home, and logs
   * the time of each step and the load average.
   */
  void delta() throws Exception {
    log("Delta: 1.0.0 -> 1.1.0, one 1 MB file changed ...");
    URI repo = bench.server().base().resolve("tree/");
    List<Double> seconds = new ArrayList<>();
    List<Double> bytes = new ArrayList<>();
    for (int i = 0; i < bench.reps(); i++) { // each run needs a full install of 1.0.0 first
      Path home = bench.fresh("delta-home");
      Updater first = updater(home, repo);
      first.install(first.find(Version.parse("1.0.0")).orElseThrow());
      StepTimes steps = new StepTimes();
      Updater updater = Updater.builder().home(home).source(HttpReleaseSource.of(repo))
          .listener(steps).build();
      Release next = updater.find(Version.parse("1.1.0")).orElseThrow();
      long before = bench.server().bytesSent();
      double s = time(() -> updater.install(next));
      long sent = bench.server().bytesSent() - before;
      log(String.format(Locale.ROOT, "  delta install %.3f s, %d bytes [load %s]: %s", s, sent,
          Measure.load(), steps));
      seconds.add(s);
      bytes.add((double) sent);
      Scratch.delete(home);
    }
    Results results = bench.results();
    results.figure("delta_bytes_downloaded", median(bytes) / MB, "MB", 1.1);
    results.figure("delta_install", median(seconds), "s", NONE);
    if (!Double.isNaN(fullInstallSeconds)) {
      results.ratio("delta_install_vs_full_install", median(seconds), fullInstallSeconds, "s",
          0.05);
    }
  }

  private static Updater updater(Path home, URI repo) {
    return Updater.builder().home(home).source(HttpReleaseSource.of(repo)).build();
  }
}
