package dev.updater.bench;

import static dev.updater.bench.Measure.MB;
import static dev.updater.bench.Measure.log;
import static dev.updater.bench.Measure.median;
import static dev.updater.bench.Measure.time;

import dev.updater.core.Release;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.HttpReleaseSource;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.update4j.Configuration;
import org.update4j.FileMetadata;

/**
 * The library against update4j, the updater a Java team most often compares it with, on the same
 * 2,000-file release and the same local server: a full install into an empty directory and the
 * update of a live 1.0.0 to 1.1.0 (one 1 MB file changed). update4j gets its own configuration of
 * the same files, served file by file from {@code repos/update4j/<version>/}, its configuration
 * served beside them as {@code <version>.xml} and read from the server before each update (as
 * its bootstrap does in a deployment, so the bytes of both tools count what each downloads for
 * the same job), and updates with {@link Configuration#update()}: it checks each local file's size and Adler-32 and downloads the
 * ones that differ, in place. It has no atomic switch between releases (files are replaced one by
 * one in the live directory), no rollback, and no signature unless the configuration is signed
 * (its files are then checked by Adler-32 and the signed configuration only); the table says so.
 */
final class PeerFigures {
  private final Bench bench;

  PeerFigures(Bench bench) {
    this.bench = bench;
  }

  void update4j() throws Exception {
    log("update4j: full install and one-file update of the 2,000-file release ...");
    DataSet data = bench.data();
    Path served = bench.repos().resolve("update4j");
    Scratch.delete(served);
    copyTree(data.tree, served.resolve("1.0.0"));
    data.changeOneFile();
    try {
      copyTree(data.tree, served.resolve("1.1.0"));
    } finally {
      data.changeOneFile();
    }
    URI base = bench.server().base().resolve("update4j/");
    List<Double> peerFull = new ArrayList<>();
    List<Double> peerDelta = new ArrayList<>();
    List<Double> peerBytes = new ArrayList<>();
    List<Double> libFull = new ArrayList<>();
    List<Double> libDelta = new ArrayList<>();
    List<Double> libBytes = new ArrayList<>();
    for (int i = 0; i <= bench.reps(); i++) { // the first run warms up
      Path peerHome = bench.fresh("update4j-home");
      // served beside the files, as a real deployment serves it: update4j reads it every update
      for (String v : List.of("1.0.0", "1.1.0")) {
        Files.writeString(served.resolve(v + ".xml"), config(served.resolve(v),
            base.resolve(v + "/"), peerHome));
      }
      double full = time(() -> update(base.resolve("1.0.0.xml"), peerHome));
      long before = bench.server().bytesSent();
      double delta = time(() -> update(base.resolve("1.1.0.xml"), peerHome));
      long bytes = bench.server().bytesSent() - before;
      Scratch.delete(peerHome);
      double[] lib = library();
      log(String.format(Locale.ROOT, "  update4j: full %.2f s, update %.2f s, %.3f MB; library: "
          + "full %.2f s, update %.2f s, %.3f MB", full, delta, bytes / MB, lib[0], lib[1],
          lib[2] / MB));
      if (i > 0) {
        peerFull.add(full);
        peerDelta.add(delta);
        peerBytes.add((double) bytes);
        libFull.add(lib[0]);
        libDelta.add(lib[1]);
        libBytes.add(lib[2]);
      }
    }
    Results results = bench.results();
    results.ratio("full_install_vs_update4j", median(libFull), median(peerFull), "s", 0.5);
    results.ratio("delta_install_vs_update4j", median(libDelta), median(peerDelta), "s", 1.0);
    results.ratio("delta_bytes_vs_update4j", median(libBytes), median(peerBytes), "B", 1.0);
  }

  /** The library's full install of 1.0.0 and update to 1.1.0: seconds, seconds, bytes sent. */
  private double[] library() throws Exception {
    URI repo = bench.server().base().resolve("tree/");
    Path home = bench.fresh("update4j-lib-home");
    Updater updater = Updater.builder().home(home).source(HttpReleaseSource.of(repo)).build();
    Release v1 = updater.find(Version.parse("1.0.0")).orElseThrow();
    double full = time(() -> updater.install(v1));
    long before = bench.server().bytesSent();
    // what the library fetches to update: the signed index (as update4j fetches its
    // configuration), then the manifest's root and pages it lacks, then the changed file
    double delta = time(() -> {
      Updater next = Updater.builder().home(home).source(HttpReleaseSource.of(repo)).build();
      next.install(next.find(Version.parse("1.1.0")).orElseThrow());
    });
    long bytes = bench.server().bytesSent() - before;
    Scratch.delete(home);
    return new double[] {full, delta, bytes};
  }

  /**
   * update4j's configuration of the files under {@code dir}, served from {@code base}, installed
   * into {@code home}.
   */
  private static String config(Path dir, URI base, Path home) throws IOException {
    List<FileMetadata.Reference> files;
    try (Stream<FileMetadata.Reference> s = FileMetadata.streamDirectory(dir)) {
      files = s.toList();
    }
    Configuration config = Configuration.builder().baseUri(base).basePath(home).files(files)
        .build();
    StringWriter out = new StringWriter();
    config.write(out);
    return out.toString();
  }

  /** Reads the configuration at {@code url} as a client would and updates {@code home} to it. */
  private static void update(URI url, Path home) throws IOException {
    Configuration config;
    try (Reader in = new InputStreamReader(url.toURL().openStream(), StandardCharsets.UTF_8)) {
      config = Configuration.read(in);
    }
    if (!config.update()) {
      throw new IOException("update4j's update into " + home + " failed");
    }
  }

  /** Copies {@code from} to {@code to} with hard links where it can (the server sees files). */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
