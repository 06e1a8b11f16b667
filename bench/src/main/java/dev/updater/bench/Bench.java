package dev.updater.bench;

import static dev.updater.bench.Shell.q;

import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.Artifact;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.repository.Sha256;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark harness behind {@code bench/run}: generates the data, serves it from a separate
 * {@link FileServer} process on 127.0.0.1, and measures each figure of the library against its
 * command-line baseline on the same files, printing {@code RATIO <name> <library/baseline>} and
 * {@code FIGURE <name> <value> <unit>} lines and then a summary table.
 *
 * <pre>{@code
 * java -cp ... dev.updater.bench.Bench --work DIR [--reps N] [--only sha256,extract,...]
 * }</pre>
 *
 * <p>The data of an earlier run kept in {@code DIR/data} ({@code bench/run --keep}) is reused.
 *
 * <p>Each timed figure is the median of {@code --reps} runs (default 3) after one warm-up run,
 * library and baseline runs interleaved. Time spent deleting trees between runs is not counted.
 */
public final class Bench {
  private static final double MB = 1024.0 * 1024.0;
  private static final double NONE = Double.NaN;

  private final Path work;
  private final Path scratch;
  private final int reps;
  private final List<String> only;
  private final Results results = new Results();
  private final String classpath = System.getProperty("java.class.path");
  private final String javaCommand = ProcessHandle.current().info().command().orElse("java");
  private DataSet data;
  private Process server;
  private URI base;
  private int homes;
  private double fullInstallSeconds = NONE;

  private Bench(Path work, int reps, List<String> only) {
    this.only = only;
    this.work = work;
    this.scratch = work.resolve("scratch");
    this.reps = reps;
  }

  /** {@code --work DIR [--reps N]}. */
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
    Bench bench = new Bench(work, reps, only);
    try {
      bench.run();
    } finally {
      bench.stopServer();
    }
  }

  private void run() throws Exception {
    long start = System.nanoTime();
    log("SHA-256 implementation: " + Sha256.providerName() + " (" + String.join(", ",
        Sha256.timings()) + ")");
    log("Generating the data in " + work + " ...");
    Path dataDir = work.resolve("data");
    data = Files.isDirectory(dataDir.resolve("repos")) ? DataSet.open(dataDir)
        : DataSet.create(dataDir);
    log(String.format(Locale.ROOT, "  tree: %d files, %.0f MB, %s %.0f MB; big: %s %.0f MB",
        DataSet.TREE_FILES + 1, data.treeBytes / MB, data.treeArchive.getFileName(),
        Files.size(data.treeArchive) / MB, data.bigArchive.getFileName(),
        Files.size(data.bigArchive) / MB));
    Files.createDirectories(scratch);
    startServer();
    if (only.isEmpty() || only.contains("sha256")) {
      sha256();
    }
    if (only.isEmpty() || only.contains("extract")) {
      extraction();
    }
    if (only.isEmpty() || only.contains("full")) {
      fullInstall();
    }
    if (only.isEmpty() || only.contains("delta")) {
      delta();
    }
    if (only.isEmpty() || only.contains("activation")) {
      activation();
    }
    if (only.isEmpty() || only.contains("memory")) {
      memory();
    }
    results.printTable();
    log(String.format(Locale.ROOT, "bench finished in %.0f s", (System.nanoTime() - start) / 1e9));
  }

  // ---------------------------------------------------------------------------------------------
  // SHA-256 of the 1 GiB file

  private void sha256() throws Exception {
    log("SHA-256 of the 1 GiB file ...");
    Path file = data.bigFile;
    String expected = Shell.run(work, "openssl dgst -sha256 -r " + q(file)).split(" ")[0];
    if (!Sha256.hex(file).equals(expected)) {
      throw new IllegalStateException("the library's SHA-256 differs from openssl's");
    }
    List<Double> lib = new ArrayList<>();
    List<Double> openssl = new ArrayList<>();
    List<Double> sha256sum = new ArrayList<>();
    for (int i = 0; i <= reps; i++) {
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
    results.ratio("sha256_1g_vs_openssl", median(lib), median(openssl), "s", 1.1);
    results.ratio("sha256_1g_vs_sha256sum", median(lib), median(sha256sum), "s", NONE);
    results.figure("sha256_library_throughput", size / median(lib), "MB/s", NONE);
    results.figure("sha256_openssl_throughput", size / median(openssl), "MB/s", NONE);
    results.figure("sha256_sha256sum_throughput", size / median(sha256sum), "MB/s", NONE);
  }

  // ---------------------------------------------------------------------------------------------
  // Extraction of the 200 MB tree

  private void extraction() throws Exception {
    log("Extraction of the 200 MB tree ...");
    Path archive = data.treeArchive;
    Artifact artifact = new Artifact(archive.getFileName().toString(), Files.size(archive),
        Sha256.hex(archive), archive.getFileName().toString());
    ArchiveStager stager = ArchiveStager.defaults();
    List<Double> lib = new ArrayList<>();
    List<Double> tar = new ArrayList<>();
    List<Double> libCpu = new ArrayList<>();
    List<Double> tarCpu = new ArrayList<>();
    for (int i = 0; i <= reps; i++) {
      Path a = fresh("extract-lib");
      double cpu = cpuSeconds();
      double l = time(() -> stager.stage(archive, artifact, a));
      cpu = cpuSeconds() - cpu;
      if (i == 0) {
        Shell.run(work, "diff -r " + q(data.tree) + " " + q(a)); // the same bytes as tar's
      }
      delete(a);
      Path b = fresh("extract-tar");
      Shell.Timing t = Shell.timeWithCpu(work, "tar xzf " + q(archive) + " -C " + q(b));
      delete(b);
      log(String.format(Locale.ROOT, "  library %.2f s (cpu %.2f s), tar %.2f s (cpu %.2f s)", l,
          cpu, t.wall(), t.cpu()));
      if (i > 0) {
        lib.add(l);
        tar.add(t.wall());
        libCpu.add(cpu);
        tarCpu.add(t.cpu());
      }
    }
    results.ratio("extract_vs_tar", median(lib), median(tar), "s", 1.2);
    results.ratio("extract_cpu_vs_tar", median(libCpu), median(tarCpu), "s cpu", NONE);
  }

  // ---------------------------------------------------------------------------------------------
  // Download + verify + stage of the full release

  private void fullInstall() throws Exception {
    log("Download + verify + stage of the full release (Updater.install into a fresh home) ...");
    URI repo = base.resolve("tree/");
    Version v1 = Version.parse("1.0.0");
    Release release = updater(fresh("probe-home"), repo).find(v1).orElseThrow();
    Artifact artifact = release.primaryArtifact();
    URI url = repo.resolve(artifact.location());
    List<Double> lib = new ArrayList<>();
    List<Double> script = new ArrayList<>();
    List<Double> durable = new ArrayList<>();
    List<Double> libCpu = new ArrayList<>();
    List<Double> scriptCpu = new ArrayList<>();
    for (int i = 0; i <= reps; i++) {
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
    results.ratio("full_install_vs_script", median(lib), median(script), "s", 0.9);
    results.ratio("full_install_vs_script_sync", median(lib), median(durable), "s", NONE);
    results.ratio("full_install_cpu_vs_script", median(libCpu), median(scriptCpu), "s cpu",
        NONE);
  }

  /** Installs {@code version} into a fresh home; returns the seconds {@code install} took. */
  private double installFresh(URI repo, Version version) throws Exception {
    Path home = fresh("home");
    StepTimes steps = new StepTimes();
    Updater updater = Updater.builder().home(home).source(HttpReleaseSource.of(repo))
        .listener(steps).build();
    Release release = updater.find(version).orElseThrow();
    double cpu = cpuSeconds();
    double seconds = time(() -> updater.install(release));
    cpu = cpuSeconds() - cpu;
    log(String.format(Locale.ROOT, "  library install %.2f s (cpu %.2f s): %s", seconds, cpu,
        steps));
    delete(home);
    return seconds;
  }

  private Shell.Timing scriptInstall(URI url, String sha256, boolean sync) throws Exception {
    Path dir = fresh("script");
    String script = "curl -sS --fail -o a.tar.gz " + q(url)
        + " && test \"$(openssl dgst -sha256 -r a.tar.gz | cut -d' ' -f1)\" = " + q(sha256)
        + " && mkdir x && tar xzf a.tar.gz -C x" + (sync ? " && sync -f x" : "");
    Shell.Timing t = Shell.timeWithCpu(dir, script);
    log(String.format(Locale.ROOT, "  script%s %.2f s (cpu %.2f s)", sync ? " + sync" : "",
        t.wall(), t.cpu()));
    delete(dir);
    return t;
  }

  private static Updater updater(Path home, URI repo) {
    return Updater.builder().home(home).source(HttpReleaseSource.of(repo)).build();
  }

  // ---------------------------------------------------------------------------------------------
  // The delta hook

  /**
   * The delta figure: a release that differs from the live one in a single 1 MB file of the
   * 200 MB tree. Measures the bytes the server sends and the time of {@code install(1.1.0)} over a
   * live 1.0.0, against the full install of a fresh home, and logs the time of each step.
   */
  private void delta() throws Exception {
    log("Delta: 1.0.0 -> 1.1.0, one 1 MB file changed ...");
    URI repo = base.resolve("tree/");
    List<Double> seconds = new ArrayList<>();
    List<Double> bytes = new ArrayList<>();
    for (int i = 0; i < 1; i++) { // one run: each needs a full install of 1.0.0 first
      Path home = fresh("delta-home");
      Updater first = updater(home, repo);
      first.install(first.find(Version.parse("1.0.0")).orElseThrow());
      StepTimes steps = new StepTimes();
      Updater updater = Updater.builder().home(home).source(HttpReleaseSource.of(repo))
          .listener(steps).build();
      Release next = updater.find(Version.parse("1.1.0")).orElseThrow();
      serverStats(true);
      double s = time(() -> updater.install(next));
      long sent = serverStats(false);
      log(String.format(Locale.ROOT, "  delta install %.2f s, %d bytes: %s", s, sent, steps));
      seconds.add(s);
      bytes.add((double) sent);
      delete(home);
    }
    results.figure("delta_bytes_downloaded", median(bytes) / MB, "MB", 1.1);
    results.figure("delta_install", median(seconds), "s", NONE);
    if (!Double.isNaN(fullInstallSeconds)) {
      results.ratio("delta_install_vs_full_install", median(seconds), fullInstallSeconds, "s",
          0.05);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Activation

  private void activation() throws Exception {
    log("Activation (swap of current) ...");
    int ops = 2_000;
    Path home = fresh("activation");
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
    Path cli = fresh("activation-cli");
    Files.createDirectories(cli.resolve("releases/1.0.0"));
    Files.createDirectories(cli.resolve("releases/1.1.0"));
    String loop = "for i in $(seq 1 %d); do ln -sfn releases/1.0.0 .tmp && mv -T .tmp current; "
        + "ln -sfn releases/1.1.0 .tmp && mv -T .tmp current; done";
    Shell.run(cli, String.format(loop, 25));
    double baseline = Shell.time(cli, String.format(loop, pairs)) * 1e3 / (2 * pairs);
    // the same symlink + rename in Java without the fsync of the home directory, to show its cost
    Path bare = fresh("activation-bare");
    long bareStart = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      Path tmp = bare.resolve(".tmp");
      Files.createSymbolicLink(tmp, Path.of(i % 2 == 0 ? "releases/1.0.0" : "releases/1.1.0"));
      Files.move(tmp, bare.resolve("current"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    double noFsync = (System.nanoTime() - bareStart) / 1e6 / ops;
    results.figure("activation_library_per_swap", lib, "ms", 1.0);
    results.figure("symlink_rename_without_fsync", noFsync, "ms", NONE);
    results.figure("activation_ln_mv_per_swap", baseline, "ms", NONE);
    results.ratio("activation_vs_ln_mv", lib, baseline, "ms", NONE);
  }

  // ---------------------------------------------------------------------------------------------
  // Memory: child JVMs with -Xmx64m

  private void memory() throws Exception {
    log("Memory: installs in a child JVM with -Xmx64m ...");
    Map<String, Double> tree = probe("tree");
    Map<String, Double> big = probe("big");
    results.figure("install_1g_xmx64m_seconds", big.get("seconds"), "s", NONE);
    results.figure("install_1g_xmx64m_heap_peak", big.get("heap_peak_bytes") / MB, "MB", 64);
    results.figure("install_1g_xmx64m_rss_peak", big.get("rss_peak_kb") / 1024, "MB", NONE);
    results.figure("install_200m_xmx64m_heap_peak", tree.get("heap_peak_bytes") / MB, "MB", 64);
    results.figure("install_200m_xmx64m_rss_peak", tree.get("rss_peak_kb") / 1024, "MB", NONE);
  }

  private Map<String, Double> probe(String repo) throws Exception {
    Path home = fresh("probe-" + repo);
    Process p = new ProcessBuilder(javaCommand, "-Xmx64m", "-Dslf4j.internal.verbosity=ERROR",
        "-cp", classpath, MemoryProbe.class.getName(), base.resolve(repo + "/").toString(), home.toString())
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
    delete(home);
    return values;
  }

  // ---------------------------------------------------------------------------------------------
  // Server and helpers

  private void startServer() throws Exception {
    Path portFile = work.resolve("server.port");
    Files.deleteIfExists(portFile);
    // TCP_NODELAY as web servers set it (nginx's tcp_nodelay is on by default): without it the
    // JDK's server holds a small body back until the client acknowledges the headers, and Linux
    // delays that acknowledgement by 40 ms, which a delta install's small requests would pay.
    server = new ProcessBuilder(javaCommand, "-Xmx256m", "-Dsun.net.httpserver.nodelay=true",
        "-cp", classpath, FileServer.class.getName(),
        data.repos.toString(), portFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("server.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(portFile)) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the file server did not start; see "
            + work.resolve("server.log"));
      }
      Thread.sleep(20);
    }
    base = URI.create("http://127.0.0.1:" + Files.readString(portFile).trim() + "/");
    log("Serving " + data.repos + " at " + base + " (pid " + server.pid() + ")");
  }

  private void stopServer() {
    if (server != null) {
      server.destroy();
    }
  }

  /** The bytes the server sent since the last reset; resets the counter when {@code reset}. */
  private long serverStats(boolean reset) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        base.resolve(reset ? "__reset" : "__stats")).build(), HttpResponse.BodyHandlers.ofString());
    return Long.parseLong(r.body().split(" ")[0]);
  }

  private Path fresh(String prefix) throws IOException {
    Path dir = scratch.resolve(prefix + "-" + (++homes));
    Files.createDirectories(dir);
    return dir;
  }

  private static void delete(Path dir) throws IOException {
    Scratch.delete(dir);
  }

  /** Something to time. */
  interface Work {
    void run() throws Exception;
  }

  private static double time(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void log(String message) {
    System.out.println("# " + message + (message.endsWith("...") ? " [load " + load() + "]" : ""));
  }

  /** The 1-minute load average: other work on the machine skews wall-clock ratios. */
  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  /** CPU seconds used so far by this JVM, every thread included (GC, JIT, helper threads). */
  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }
}
