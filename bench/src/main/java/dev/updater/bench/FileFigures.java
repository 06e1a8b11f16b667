package dev.updater.bench;

import static dev.updater.bench.Measure.MB;
import static dev.updater.bench.Measure.NONE;
import static dev.updater.bench.Measure.cpuSeconds;
import static dev.updater.bench.Measure.log;
import static dev.updater.bench.Measure.median;
import static dev.updater.bench.Measure.time;
import static dev.updater.bench.Shell.q;

import dev.updater.core.Artifact;
import dev.updater.core.repository.Sha256;
import dev.updater.core.stage.ArchiveStager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures on local files: SHA-256 of the 1 GiB file against openssl and sha256sum, and
 * extraction of the 200 MB tree against tar.
 */
final class FileFigures {
  private final Bench bench;

  FileFigures(Bench bench) {
    this.bench = bench;
  }

  void sha256() throws Exception {
    log("SHA-256 of the 1 GiB file ...");
    Path work = bench.work();
    Path file = bench.data().bigFile;
    String expected = Shell.run(work, "openssl dgst -sha256 -r " + q(file)).split(" ")[0];
    if (!Sha256.hex(file).equals(expected)) {
      throw new IllegalStateException("the library's SHA-256 differs from openssl's");
    }
    List<Double> lib = new ArrayList<>();
    List<Double> openssl = new ArrayList<>();
    List<Double> sha256sum = new ArrayList<>();
    for (int i = 0; i <= bench.reps(); i++) {
      double l = time(() -> Sha256.hex(file));
      double o = Shell.time(work, "openssl dgst -sha256 " + q(file) + " > /dev/null");
      // sha256sum is several times slower: timed once, after the warm-up, to keep the run short
      double s = i == 1 ? Shell.time(work, "sha256sum " + q(file) + " > /dev/null") : 0;
      if (i > 0) {
        lib.add(l);
        openssl.add(o);
        if (i == 1) {
          sha256sum.add(s);
        }
      }
    }
    double size = Files.size(file) / MB;
    Results results = bench.results();
    results.ratio("sha256_1g_vs_openssl", median(lib), median(openssl), "s", 1.1);
    results.ratio("sha256_1g_vs_sha256sum", median(lib), median(sha256sum), "s", NONE);
    results.figure("sha256_library_throughput", size / median(lib), "MB/s", NONE);
    results.figure("sha256_openssl_throughput", size / median(openssl), "MB/s", NONE);
    results.figure("sha256_sha256sum_throughput", size / median(sha256sum), "MB/s", NONE);
  }

  void extraction() throws Exception {
    log("Extraction of the 200 MB tree ...");
    Path archive = bench.data().treeArchive;
    Artifact artifact = new Artifact(archive.getFileName().toString(), Files.size(archive),
        Sha256.hex(archive), archive.getFileName().toString());
    ArchiveStager stager = ArchiveStager.defaults();
    List<Double> lib = new ArrayList<>();
    List<Double> tar = new ArrayList<>();
    List<Double> libCpu = new ArrayList<>();
    List<Double> tarCpu = new ArrayList<>();
    for (int i = 0; i <= bench.reps(); i++) {
      Path a = bench.fresh("extract-lib");
      double cpu = cpuSeconds();
      double l = time(() -> stager.stage(archive, artifact, a));
      cpu = cpuSeconds() - cpu;
      if (i == 0) {
        // the same bytes as tar's
        Shell.run(bench.work(), "diff -r " + q(bench.data().tree) + " " + q(a));
      }
      Scratch.delete(a);
      Path b = bench.fresh("extract-tar");
      Shell.Timing t = Shell.timeWithCpu(bench.work(), "tar xzf " + q(archive) + " -C " + q(b));
      Scratch.delete(b);
      log(String.format(Locale.ROOT, "  library %.2f s (cpu %.2f s), tar %.2f s (cpu %.2f s)", l,
          cpu, t.wall(), t.cpu()));
      if (i > 0) {
        lib.add(l);
        tar.add(t.wall());
        libCpu.add(cpu);
        tarCpu.add(t.cpu());
      }
    }
    bench.results().ratio("extract_vs_tar", median(lib), median(tar), "s", 1.2);
    bench.results().ratio("extract_cpu_vs_tar", median(libCpu), median(tarCpu), "s cpu", NONE);
  }
}
