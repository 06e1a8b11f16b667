package dev.updater.bench;

import static dev.updater.bench.Measure.MB;
import static dev.updater.bench.Measure.NONE;
import static dev.updater.bench.Measure.log;
import static dev.updater.bench.Measure.time;

import com.threerings.getdown.tools.Differ;
import com.threerings.getdown.tools.Digester;
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
import java.util.stream.Stream;

/**
 * The library against getdown ({@code com.threerings.getdown:getdown-core} 1.8.7), on the same
 * 2,000-file release and the same local server as the update4j figures: a full install into an
 * empty directory and the update of the installed version 1 to version 2 (one 1 MB file changed).
 *
 * <p>getdown gets its own versioned deployment of the same files under
 * {@code repos/getdown/<n>/}, as its tools make one: a {@code getdown.txt} naming every file,
 * {@code digest.txt} and {@code digest2.txt} written by its {@link Digester}, and in version 2 the
 * patch from version 1 written by its {@link Differ}; {@code repos/getdown/latest.txt} announces
 * the newest version (its {@code latest} setting). {@link GetdownLauncher} runs the launcher's
 * update steps headless. Each figure is the median of {@code --reps} runs after a warm-up run,
 * getdown's and the library's interleaved; each run installs into a new directory and updates it.
 *
 * <p>What getdown does not do is printed with the figures: it renames the downloaded files into
 * the live directory one by one (no atomic switch, no rollback), and its digest files are signed
 * only when the publisher signs them with a certificate the client holds (not here, as the
 * library's benchmark repository is not signed either).
 */
final class GetdownFigures {
  private final Bench bench;

  GetdownFigures(Bench bench) {
    this.bench = bench;
  }

  /** One full install followed by the one-file update: seconds and bytes of each. */
  private record Run(double full, long fullBytes, double update, long updateBytes) {}

  void getdown() throws Exception {
    log("getdown: full install and one-file update of the 2,000-file release ...");
    DataSet data = bench.data();
    Path served = bench.repos().resolve("getdown");
    Scratch.delete(served);
    URI base = bench.server().base().resolve("getdown/");
    publish(data, served, base);
    List<Run> peer = new ArrayList<>();
    List<Run> lib = new ArrayList<>();
    // one warm-up run of each, then --reps timed runs, interleaved
    for (int i = 0; i <= Math.max(1, bench.reps()); i++) {
      Run p = peerRun(data, served, base);
      Run l = libraryRun();
      if (i > 0) {
        peer.add(p);
        lib.add(l);
      }
    }
    Run p = median(peer);
    Run l = median(lib);
    log(String.format(Locale.ROOT, "  getdown: full %.2f s, %.1f MB; update %.2f s, %.2f MB; "
        + "library: full %.2f s, %.1f MB; update %.2f s, %.2f MB", p.full(),
        p.fullBytes() / MB, p.update(), p.updateBytes() / MB, l.full(), l.fullBytes() / MB,
        l.update(), l.updateBytes() / MB));
    Results results = bench.results();
    results.ratio("full_install_vs_getdown", l.full(), p.full(), "s", NONE);
    results.ratio("full_bytes_vs_getdown", l.fullBytes(), p.fullBytes(), "B", NONE);
    results.ratio("update_time_vs_getdown", l.update(), p.update(), "s", NONE);
    results.ratio("update_bytes_vs_getdown", l.updateBytes(), p.updateBytes(), "B", 1.0);
    results.note("getdown", "renames each downloaded file into the live directory: no atomic "
        + "switch, no rollback, a crash halfway leaves a mix of versions; nothing forced to disk");
    results.note("getdown", "digest files signed only if the publisher configures a "
        + "certificate (neither side signs here); files sent uncompressed, one HEAD and one GET "
        + "each, max_concurrent_downloads = cores - 1 by default");
    results.note("getdown", "an update re-hashes every file of the installed release "
        + "(revalidate_policy after_update) and applies the patch file made by its Differ");
  }

  /** getdown's full install of version 1 into a new directory, then its update to 2. */
  private Run peerRun(DataSet data, Path served, URI base) throws Exception {
    Path peerHome = bench.fresh("getdown-home");
    Files.writeString(served.resolve("latest.txt"), "version = 1\n");
    long before = bench.server().bytesSent();
    double full = time(() -> GetdownLauncher.update(peerHome.toFile(),
        base.resolve("1/").toString()));
    long fullBytes = bench.server().bytesSent() - before;
    check(peerHome, data, false);
    Files.writeString(served.resolve("latest.txt"), "version = 2\n");
    before = bench.server().bytesSent();
    double update = time(() -> GetdownLauncher.update(peerHome.toFile(), null));
    long updateBytes = bench.server().bytesSent() - before;
    check(peerHome, data, true);
    Scratch.delete(peerHome);
    return new Run(full, fullBytes, update, updateBytes);
  }

  /** The library's full install of 1.0.0 into a new home, then its update to 1.1.0. */
  private Run libraryRun() throws Exception {
    URI repo = bench.server().base().resolve("tree/");
    Path home = bench.fresh("getdown-lib-home");
    Updater updater = Updater.builder().home(home).source(HttpReleaseSource.of(repo)).build();
    Release v1 = updater.find(Version.parse("1.0.0")).orElseThrow();
    long before = bench.server().bytesSent();
    double full = time(() -> updater.install(v1));
    long fullBytes = bench.server().bytesSent() - before;
    Updater next = Updater.builder().home(home).source(HttpReleaseSource.of(repo)).build();
    Release v2 = next.find(Version.parse("1.1.0")).orElseThrow();
    before = bench.server().bytesSent();
    double update = time(() -> next.install(v2));
    long updateBytes = bench.server().bytesSent() - before;
    Scratch.delete(home);
    return new Run(full, fullBytes, update, updateBytes);
  }

  private static Run median(List<Run> runs) {
    return new Run(Measure.median(runs.stream().map(Run::full).toList()),
        runs.get(runs.size() - 1).fullBytes(),
        Measure.median(runs.stream().map(Run::update).toList()),
        runs.get(runs.size() - 1).updateBytes());
  }

  /**
   * Writes getdown's deployment of the tree as version 1 and, with the one file changed, as
   * version 2, each with its {@code getdown.txt} and digests, and version 2's patch from 1.
   */
  private static void publish(DataSet data, Path served, URI base) throws Exception {
    Path v1 = served.resolve("1");
    Path v2 = served.resolve("2");
    List<String> files = copy(data, v1);
    data.changeOneFile();
    try {
      copy(data, v2);
    } finally {
      data.changeOneFile();
    }
    quietly(() -> {
      for (Path dir : List.of(v1, v2)) {
        Files.writeString(dir.resolve("getdown.txt"), config(base, dir.getFileName().toString(),
            files), StandardCharsets.UTF_8);
        Digester.createDigests(dir.toFile(), null, null, null);
      }
      new Differ().createDiff(v2.toFile(), v1.toFile(), false);
    });
  }

  private static String config(URI base, String version, List<String> files) {
    StringBuilder sb = new StringBuilder()
        .append("# getdown's deployment of the bench's 2,000-file release\n")
        .append("appbase = ").append(base).append("%VERSION%/\n")
        .append("latest = ").append(base.resolve("latest.txt")).append('\n')
        .append("version = ").append(version).append('\n')
        .append("class = app.Main\n")
        .append("code = ").append(DataSet.CHANGED_FILE).append('\n');
    for (String f : files) {
      if (f.equals("bin/app")) {
        sb.append("xresource = ").append(f).append('\n');
      } else if (!f.equals(DataSet.CHANGED_FILE)) {
        sb.append("resource = ").append(f).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * Copies the tree to {@code to} (hard links, except the file that changes between the
   * versions) and returns its files' relative paths, sorted.
   */
  private static List<String> copy(DataSet data, Path to) throws IOException {
    List<Path> files;
    try (Stream<Path> paths = Files.walk(data.tree)) {
      files = paths.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path p : files) {
      String name = data.tree.relativize(p).toString();
      Path target = to.resolve(name);
      Files.createDirectories(target.getParent());
      if (name.equals(DataSet.CHANGED_FILE)) {
        Files.copy(p, target);
      } else {
        Files.createLink(target, p);
      }
    }
    return files.stream().map(p -> data.tree.relativize(p).toString()).toList();
  }

  /** Checks that getdown installed the tree of version 1, or of version 2. */
  private static void check(Path home, DataSet data, boolean changed) throws IOException {
    Path file = home.resolve(DataSet.CHANGED_FILE);
    byte[] expected = Files.readAllBytes(data.tree.resolve(DataSet.CHANGED_FILE));
    if (changed) {
      for (int i = 0; i < expected.length; i++) {
        expected[i] = (byte) ~expected[i];
      }
    }
    long count;
    try (Stream<Path> paths = Files.walk(home)) {
      count = paths.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString()
          .endsWith("v")).count();
    }
    if (!java.util.Arrays.equals(Files.readAllBytes(file), expected)
        || !Files.isExecutable(home.resolve("bin/app"))) {
      throw new IOException("getdown did not install version " + (changed ? 2 : 1) + " into "
          + home + " (" + count + " files)");
    }
  }

  /** Runs {@code work} with getdown's tools' progress lines on standard output dropped. */
  private static void quietly(Measure.Work work) throws Exception {
    PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setOut(out);
    }
  }
}
