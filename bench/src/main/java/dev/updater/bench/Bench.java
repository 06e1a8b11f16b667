package dev.updater.bench;

import static dev.updater.bench.Measure.MB;
import static dev.updater.bench.Measure.log;

import dev.updater.core.repository.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness behind {@code bench/run}: generates the data, serves it from a separate
 * {@link FileServer} process on 127.0.0.1, and measures each figure of the library against its
 * command-line baseline on the same files, printing {@code RATIO <name> <library/baseline>} and
 * {@code FIGURE <name> <value> <unit>} lines and then a summary table.
 *
 * <pre>{@code
 * java -cp ... dev.updater.bench.Bench --work DIR [--reps N] [--only sha256,extract,...]
 *     [--pairs DIR]
 * }</pre>
 *
 * <p>The data of an earlier run kept in {@code DIR/data} ({@code bench/run --keep}) is reused.
 *
 * <p>Each timed figure is the median of {@code --reps} runs (default 3) after one warm-up run,
 * library and baseline runs interleaved. Time spent deleting trees between runs is not counted.
 * The figures themselves are measured by {@link FileFigures}, {@link InstallFigures}, {@link
 * HostFigures}, {@link PairFigures}, the peers' {@link PeerFigures} and {@link GetdownFigures},
 * and {@link DowntimeFigures}; this class holds what they share: the options, the data, the
 * server, the results and the scratch directories.
 */
public final class Bench {
  private final Path work;
  private final Path scratch;
  private final int reps;
  private final List<String> only;
  private final Results results = new Results();
  private final String classpath = System.getProperty("java.class.path");
  private final String javaCommand = ProcessHandle.current().info().command().orElse("java");
  /** The figures that need the generated data set (some 6 GB; the others do not). */
  private static final List<String> GENERATED = List.of("sha256", "extract", "full", "delta",
      "activation", "memory", "update4j", "getdown");
  /** Every figure {@code --only} may name. */
  private static final List<String> FIGURES = List.of("sha256", "extract", "full", "delta",
      "activation", "memory", "tomcat", "fatjar", "update4j", "getdown", "downtime");
  private final Path pairs;
  private DataSet data;
  private Path repos;
  private FileServer server;
  private int homes;

  private Bench(Path work, int reps, List<String> only, Path pairs) {
    this.only = only;
    this.pairs = pairs;
    this.work = work;
    this.scratch = work.resolve("scratch");
    this.reps = reps;
  }

  /** {@code --work DIR [--reps N] [--only figure,...]}. */
  public static void main(String[] args) throws Exception {
    // The harness ships no SLF4J backend; without this SLF4J prints a "no providers" warning.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    Path work = Path.of(opts.getOrDefault("--work", "bench-work")).toAbsolutePath();
    int reps = Integer.parseInt(opts.getOrDefault("--reps", "3"));
    List<String> only = opts.containsKey("--only")
        ? List.of(opts.get("--only").split(",")) : List.of();
    for (String figure : only) {
      if (!FIGURES.contains(figure)) {
        System.err.println("bench: --only names an unknown figure '" + figure + "'; the figures"
            + " are " + String.join(", ", FIGURES));
        System.exit(2);
      }
    }
    Path pairs = Path.of(opts.getOrDefault("--pairs", "bench/target/pairs")).toAbsolutePath();
    Bench bench = new Bench(work, reps, only, pairs);
    try {
      bench.run();
    } finally {
      if (bench.server != null) {
        bench.server.close();
      }
    }
  }

  private void run() throws Exception {
    long start = System.nanoTime();
    log("SHA-256 implementation: " + Sha256.providerName() + " (" + String.join(", ",
        Sha256.timings()) + ")");
    Path dataDir = work.resolve("data");
    repos = dataDir.resolve("repos");
    if (GENERATED.stream().anyMatch(this::selected)) {
      log("Generating the data in " + work + " ...");
      data = Files.isDirectory(dataDir.resolve("repos/tree")) ? DataSet.open(dataDir)
          : DataSet.create(dataDir);
      log(String.format(Locale.ROOT, "  tree: %d files, %.0f MB, %s %.0f MB; big: %s %.0f MB",
          DataSet.TREE_FILES + 1, data.treeBytes / MB, data.treeArchive.getFileName(),
          Files.size(data.treeArchive) / MB, data.bigArchive.getFileName(),
          Files.size(data.bigArchive) / MB));
    }
    Files.createDirectories(repos);
    Files.createDirectories(scratch);
    server = FileServer.start(javaCommand, classpath, repos, work.resolve("server.log"));
    log("Serving " + repos + " at " + server.base() + " (pid " + server.pid() + ")");
    FileFigures files = new FileFigures(this);
    InstallFigures installs = new InstallFigures(this);
    HostFigures host = new HostFigures(this);
    if (selected("sha256")) {
      files.sha256();
    }
    if (selected("extract")) {
      files.extraction();
    }
    if (selected("full")) {
      installs.fullInstall();
    }
    if (selected("delta")) {
      installs.delta();
    }
    if (selected("activation")) {
      host.activation();
    }
    if (selected("memory")) {
      host.memory();
    }
    PairFigures pairFigures = new PairFigures(this, pairs);
    if (selected("tomcat")) {
      pairFigures.tomcat();
    }
    if (selected("fatjar")) {
      pairFigures.fatJar();
    }
    if (selected("update4j")) {
      new PeerFigures(this).update4j();
    }
    if (selected("getdown")) {
      new GetdownFigures(this).getdown();
    }
    if (selected("downtime")) {
      new DowntimeFigures(this).downtime();
    }
    results.printTable();
    log(String.format(Locale.ROOT, "bench finished in %.0f s", (System.nanoTime() - start) / 1e9));
  }

  /** Whether {@code figure} is to be measured: all are unless {@code --only} names some. */
  private boolean selected(String figure) {
    return only.isEmpty() || only.contains(figure);
  }

  Path work() {
    return work;
  }

  int reps() {
    return reps;
  }

  Results results() {
    return results;
  }

  DataSet data() {
    return data;
  }

  /** The directory the server serves: one repository per subdirectory. */
  Path repos() {
    return repos;
  }

  FileServer server() {
    return server;
  }

  String classpath() {
    return classpath;
  }

  String javaCommand() {
    return javaCommand;
  }

  /** A new empty directory under the scratch directory, named after {@code prefix}. */
  Path fresh(String prefix) throws IOException {
    Path dir = scratch.resolve(prefix + "-" + (++homes));
    Files.createDirectories(dir);
    return dir;
  }
}
