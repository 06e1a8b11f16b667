package dev.updater.bench;

import static dev.updater.bench.Shell.q;

import dev.updater.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The data the benchmark runs on, generated from a fixed seed into a work directory and published
 * into static update repositories with {@code updater publish} (unsigned indexes):
 *
 * <ul>
 *   <li>{@code repos/tree}: version 1.0.0, a tree of {@value #TREE_FILES} files of about 200 MB,
 *       half compressible text and half random bytes, as a {@code .tar.gz}; version 1.1.0, the same
 *       tree with one 1 MB file changed (for the delta figure);
 *   <li>{@code repos/big}: version 1.0.0, one file of 1 GiB of random bytes as a {@code .tar.gz}.
 * </ul>
 */
final class DataSet {
  static final int TREE_FILES = 2_000;
  static final long BIG_BYTES = 1L << 30;
  static final String CHANGED_FILE = "lib/changing-1mb.bin";
  private static final int MIN_FILE = 8 * 1024;
  private static final int MAX_FILE = 192 * 1024;
  private static final String[] WORDS = ("update release version install verify stage activate "
      + "rollback migrate restart confirm health journal archive signature channel index serial "
      + "expires artifact download checksum the a of to and in is for on with that by this from "
      + "public static final class void return new private import java util list map string int "
      + "long if else while for try catch throw exception value result config builder path file")
      .split(" ");

  final Path root;
  final Path tree;
  final Path treeArchive;
  final Path treeArchiveV2;
  final Path bigFile;
  final Path bigArchive;
  final Path repos;
  long treeBytes;

  private DataSet(Path root) {
    this.root = root;
    this.tree = root.resolve("tree");
    this.treeArchive = root.resolve("app-1.0.0.tar.gz");
    this.treeArchiveV2 = root.resolve("app-1.1.0.tar.gz");
    this.bigFile = root.resolve("big/app.bin");
    this.bigArchive = root.resolve("big-1.0.0.tar.gz");
    this.repos = root.resolve("repos");
  }

  /** The data generated earlier under {@code root} by {@link #create} (bench/run --keep). */
  static DataSet open(Path root) throws IOException {
    DataSet d = new DataSet(root);
    try (var files = Files.walk(d.tree)) {
      d.treeBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    return d;
  }

  /** Generates everything under {@code root}, which must not exist yet. */
  static DataSet create(Path root) throws IOException, InterruptedException {
    DataSet d = new DataSet(root);
    Files.createDirectories(root);
    d.writeTree(new SplittableRandom(42));
    Shell.run(root, "tar -C " + q(d.tree) + " -czf " + q(d.treeArchive) + " .");
    d.changeOneFile(new SplittableRandom(7));
    Shell.run(root, "tar -C " + q(d.tree) + " -czf " + q(d.treeArchiveV2) + " .");
    d.writeBig(new SplittableRandom(1));
    // gzip -1: the bytes are random, so a higher level only costs time
    Shell.run(root, "tar -C " + q(d.bigFile.getParent()) + " -cf - . | gzip -1 > "
        + q(d.bigArchive));
    publish(d.repos.resolve("tree"), "1.0.0", d.treeArchive);
    publish(d.repos.resolve("tree"), "1.1.0", d.treeArchiveV2);
    publish(d.repos.resolve("big"), "1.0.0", d.bigArchive);
    // the tree with the 1.0.0 content again, for the extraction check
    d.changeOneFile(new SplittableRandom(7));
    return d;
  }

  private void writeTree(SplittableRandom random) throws IOException {
    byte[] text = textPool(random, 4 << 20);
    byte[] buf = new byte[MAX_FILE];
    for (int i = 0; i < TREE_FILES - 1; i++) {
      boolean compressible = i % 2 == 0;
      String dir = (compressible ? "static/" : "lib/") + String.format("%02d", i % 40) + "/"
          + String.format("%02d", (i / 40) % 5);
      Path file = tree.resolve(dir).resolve("f" + i + (compressible ? ".txt" : ".bin"));
      Files.createDirectories(file.getParent());
      int size = MIN_FILE + random.nextInt(MAX_FILE - MIN_FILE + 1);
      try (OutputStream out = Files.newOutputStream(file)) {
        if (compressible) {
          out.write(text, random.nextInt(text.length - size), size);
        } else {
          random.nextBytes(buf);
          out.write(buf, 0, size);
        }
      }
      treeBytes += size;
    }
    Path changing = tree.resolve(CHANGED_FILE);
    byte[] mb = new byte[1 << 20];
    random.nextBytes(mb);
    Files.write(changing, mb);
    treeBytes += mb.length;
    Path bin = tree.resolve("bin/app");
    Files.createDirectories(bin.getParent());
    Files.writeString(bin, "#!/bin/sh\necho app\n");
    bin.toFile().setExecutable(true);
  }

  /** Flips the bytes of the 1 MB file (twice gives the original back). */
  void changeOneFile() throws IOException {
    changeOneFile(null);
  }

  private void changeOneFile(SplittableRandom unused) throws IOException {
    Path changing = tree.resolve(CHANGED_FILE);
    byte[] bytes = Files.readAllBytes(changing);
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    Files.write(changing, bytes);
  }

  private void writeBig(SplittableRandom random) throws IOException {
    Files.createDirectories(bigFile.getParent());
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(bigFile)) {
      for (long done = 0; done < BIG_BYTES; done += buf.length) {
        random.nextBytes(buf);
        out.write(buf);
      }
    }
  }

  private static byte[] textPool(SplittableRandom random, int size) {
    StringBuilder sb = new StringBuilder(size + 64);
    int column = 0;
    while (sb.length() < size) {
      String w = WORDS[random.nextInt(WORDS.length)];
      sb.append(w);
      column += w.length() + 1;
      if (column > 90) {
        sb.append('\n');
        column = 0;
      } else {
        sb.append(random.nextInt(8) == 0 ? ", " : " ");
      }
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
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
