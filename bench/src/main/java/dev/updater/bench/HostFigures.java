package dev.updater.bench;

import static dev.updater.bench.Measure.MB;
import static dev.updater.bench.Measure.NONE;
import static dev.updater.bench.Measure.log;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.activate.SymlinkActivator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The figures of the host side: the activation swap of {@code current} against {@code ln} and
 * {@code mv}, and the memory of installs in child JVMs limited to 64 MB of heap.
 */
final class HostFigures {
  private final Bench bench;

  HostFigures(Bench bench) {
    this.bench = bench;
  }

  void activation() throws Exception {
    log("Activation (swap of current) ...");
    int ops = 2_000;
    Path home = bench.fresh("activation");
    Files.createDirectories(home.resolve("releases/1.0.0"));
    Files.createDirectories(home.resolve("releases/1.1.0"));
    SymlinkActivator activator = SymlinkActivator.create(Layout.of(home));
    Version a = Version.parse("1.0.0");
    Version b = Version.parse("1.1.0");
    for (int i = 0; i < 200; i++) {
      activator.activate(i % 2 == 0 ? a : b);
    }
    long start = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      activator.activate(i % 2 == 0 ? a : b);
    }
    double lib = (System.nanoTime() - start) / 1e6 / ops;
    int pairs = 250;
    Path cli = bench.fresh("activation-cli");
    Files.createDirectories(cli.resolve("releases/1.0.0"));
    Files.createDirectories(cli.resolve("releases/1.1.0"));
    String loop = "for i in $(seq 1 %d); do ln -sfn releases/1.0.0 .tmp && mv -T .tmp current; "
        + "ln -sfn releases/1.1.0 .tmp && mv -T .tmp current; done";
    Shell.run(cli, String.format(loop, 25));
    double baseline = Shell.time(cli, String.format(loop, pairs)) * 1e3 / (2 * pairs);
    double noFsync = bareSwaps(bench.fresh("activation-bare"), ops);
    Results results = bench.results();
    results.figure("activation_library_per_swap", lib, "ms", 1.0);
    results.figure("symlink_rename_without_fsync", noFsync, "ms", NONE);
    results.figure("activation_ln_mv_per_swap", baseline, "ms", NONE);
    results.ratio("activation_vs_ln_mv", lib, baseline, "ms", NONE);
  }

  /**
   * The same symlink + rename in Java without the fsync of the home directory, to show its cost:
   * milliseconds per swap.
   */
  private static double bareSwaps(Path bare, int ops) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      Path tmp = bare.resolve(".tmp");
      Files.createSymbolicLink(tmp, Path.of(i % 2 == 0 ? "releases/1.0.0" : "releases/1.1.0"));
      Files.move(tmp, bare.resolve("current"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
    return (System.nanoTime() - start) / 1e6 / ops;
  }

  void memory() throws Exception {
    log("Memory: installs in a child JVM with -Xmx64m ...");
    Map<String, Double> tree = probe("tree");
    Map<String, Double> big = probe("big");
    Results results = bench.results();
    results.figure("install_1g_xmx64m_seconds", big.get("seconds"), "s", NONE);
    results.figure("install_1g_xmx64m_heap_peak", big.get("heap_peak_bytes") / MB, "MB", 64);
    results.figure("install_1g_xmx64m_rss_peak", big.get("rss_peak_kb") / 1024, "MB", NONE);
    results.figure("install_200m_xmx64m_heap_peak", tree.get("heap_peak_bytes") / MB, "MB", 64);
    results.figure("install_200m_xmx64m_rss_peak", tree.get("rss_peak_kb") / 1024, "MB", NONE);
  }

  private Map<String, Double> probe(String repo) throws Exception {
    Path home = bench.fresh("probe-" + repo);
    Process p = new ProcessBuilder(bench.javaCommand(), "-Xmx64m",
        "-Dslf4j.internal.verbosity=ERROR", "-cp", bench.classpath(), MemoryProbe.class.getName(),
        bench.server().base().resolve(repo + "/").toString(), home.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the -Xmx64m install of " + repo + " failed:\n" + out);
    }
    Map<String, Double> values = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 3 && parts[0].equals("PROBE")) {
        values.put(parts[1], Double.parseDouble(parts[2]));
      }
    }
    Scratch.delete(home);
    return values;
  }
}
