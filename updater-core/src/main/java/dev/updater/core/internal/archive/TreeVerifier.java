package dev.updater.core.internal.archive;

import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.io.WorkerPools;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.spi.RejectedArchiveException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The closed-world check of a staged tree against its signed manifest, before the tree is
 * published: every path on disk must be listed, every listed path must be on disk, with the
 * listed type, mode (on a POSIX file system), size, SHA-256 and link target. Nothing is followed:
 * a link is compared as a link. Not API.
 *
 * <pre>{@code
 * TreeVerifier.verify(staging, manifest, Map.of()); // hashes every file
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TreeVerifier {
  /** How many differences a refusal lists. */
  private static final int SHOWN = 5;
  /** The most threads that hash files. */
  private static final int HASH_THREADS = 4;

  private TreeVerifier() {}

  /**
   * Checks {@code root} against {@code manifest}. The files in {@code knownDigests} (path to
   * SHA-256) had their bytes verified as they were written, so they are not read again.
   *
   * @return the attributes the check read of each regular file, by its path in the manifest
   * @throws RejectedArchiveException listing the first differences when the tree does not match;
   *     the caller deletes the tree
   */
  public static Map<String, BasicFileAttributes> verify(Path root, FileManifest manifest,
      Map<String, String> knownDigests) throws IOException {
    Walk walk = new Walk(root, manifest, knownDigests);
    Files.walkFileTree(root, walk);
    List<String> problems = walk.problems;
    if (problems.isEmpty()) {
      for (String path : hashMismatches(walk.toHash, manifest)) {
        problems.add("'" + Rejections.printable(path) + "' does not have the SHA-256 the "
            + "manifest lists");
      }
    }
    for (Entry e : manifest.entries()) {
      if (!walk.seen.contains(e.path()) && problems.size() <= SHOWN) {
        problems.add("'" + Rejections.printable(e.path()) + "' is in the manifest but missing");
      }
    }
    if (!problems.isEmpty()) {
      List<String> shown = problems.subList(0, Math.min(SHOWN, problems.size()));
      throw new RejectedArchiveException("the staged tree does not match the release's signed "
          + "manifest: " + String.join("; ", shown)
          + (problems.size() > SHOWN ? "; and more" : "")
          + "; the staged tree was discarded and nothing changed. The archive and the manifest "
          + "of this release disagree: republish the release");
    }
    return walk.files;
  }

  /**
   * One walk over the staged tree, links not followed: notes each difference from the manifest
   * it can see from the metadata, each listed path it saw, and the files whose content still has
   * to be hashed (those of the right size and mode without a digest known already).
   */
  private static final class Walk extends SimpleFileVisitor<Path> {
    final List<String> problems = new ArrayList<>();
    final Set<String> seen = new HashSet<>();
    final Map<String, Path> toHash = new LinkedHashMap<>();
    final Map<String, BasicFileAttributes> files = new HashMap<>();
    private final Path root;
    private final FileManifest manifest;
    private final Map<String, String> knownDigests;
    private final boolean posix;

    Walk(Path root, FileManifest manifest, Map<String, String> knownDigests) {
      this.root = root;
      this.manifest = manifest;
      this.knownDigests = knownDigests;
      this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
        throws IOException {
      if (dir.equals(root)) {
        return FileVisitResult.CONTINUE;
      }
      String path = FileManifest.relative(root, dir);
      Entry entry = manifest.get(path).orElse(null);
      if (entry == null) {
        problems.add("'" + Rejections.printable(path) + "' is a directory the manifest does not"
            + " list");
        return FileVisitResult.SKIP_SUBTREE;
      }
      seen.add(path);
      if (entry.type() != Type.DIRECTORY) {
        problems.add(kind(path, entry, "a directory"));
      } else if (posix && mode(dir, attrs) != entry.mode()) {
        problems.add(modeDiffers(path, entry, mode(dir, attrs)));
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      String path = FileManifest.relative(root, file);
      Entry entry = manifest.get(path).orElse(null);
      if (entry == null) {
        problems.add("'" + Rejections.printable(path) + "' is on disk but not in the manifest"
            + " (an extra file)");
        return FileVisitResult.CONTINUE;
      }
      seen.add(path);
      if (attrs.isSymbolicLink()) {
        link(file, path, entry);
      } else if (!attrs.isRegularFile() || entry.type() != Type.FILE) {
        problems.add(kind(path, entry, attrs.isRegularFile() ? "a regular file" : "special"));
      } else if (attrs.size() != entry.size()) {
        problems.add("'" + Rejections.printable(path) + "' is " + attrs.size()
            + " bytes but the manifest says " + entry.size());
      } else if (posix && mode(file, attrs) != entry.mode()) {
        problems.add(modeDiffers(path, entry, mode(file, attrs)));
      } else {
        files.put(path, attrs);
        if (!entry.sha256().equals(knownDigests.get(path))) {
          toHash.put(path, file);
        }
      }
      return FileVisitResult.CONTINUE;
    }

    private void link(Path file, String path, Entry entry) throws IOException {
      if (entry.type() != Type.SYMLINK) {
        problems.add(kind(path, entry, "a symbolic link"));
      } else if (!Files.readSymbolicLink(file).toString().equals(entry.target())) {
        problems.add("'" + Rejections.printable(path) + "' links to '"
            + Rejections.printable(Files.readSymbolicLink(file).toString())
            + "' but the manifest says '" + Rejections.printable(entry.target()) + "'");
      }
    }
  }

  /**
   * The paths among {@code files} whose content does not hash to the manifest's SHA-256, hashed
   * on a few threads (extraction is single-threaded; hashing afterwards can use every core).
   */
  private static List<String> hashMismatches(Map<String, Path> files, FileManifest manifest)
      throws IOException {
    int threads = Math.min(HASH_THREADS, Runtime.getRuntime().availableProcessors());
    if (files.size() < 2 || threads < 2) {
      List<String> bad = new ArrayList<>();
      for (Map.Entry<String, Path> f : files.entrySet()) {
        if (!manifest.get(f.getKey()).orElseThrow().sha256().equals(
            FileManifest.sha256(f.getValue()))) {
          bad.add(f.getKey());
        }
      }
      return bad;
    }
    ExecutorService pool = WorkerPools.fixed("updater-tree-verify", threads);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (Map.Entry<String, Path> f : files.entrySet()) {
        String expected = manifest.get(f.getKey()).orElseThrow().sha256();
        results.add(pool.submit(() ->
            expected.equals(FileManifest.sha256(f.getValue())) ? null : f.getKey()));
      }
      List<String> bad = new ArrayList<>();
      for (Future<String> r : results) {
        String path = r.get();
        if (path != null) {
          bad.add(path);
        }
      }
      return bad;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while verifying the staged tree");
    } catch (ExecutionException e) {
      throw WorkerPools.failure(e, "hashing the staged tree");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The permission bits of {@code path}: from the walk's own {@code lstat} when the file system
   * reports POSIX attributes with it (the default one on Linux and macOS does), else read again.
   */
  private static int mode(Path path, BasicFileAttributes attrs) throws IOException {
    return attrs instanceof PosixFileAttributes posix ? FileManifest.mode(posix.permissions())
        : FileManifest.mode(path);
  }

  private static String kind(String path, Entry entry, String found) {
    return "'" + Rejections.printable(path) + "' is " + found + " but the manifest lists a "
        + entry.type().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String modeDiffers(String path, Entry entry, int mode) {
    return "'" + Rejections.printable(path) + "' has mode " + String.format("%04o", mode)
        + " but the manifest says " + String.format("%04o", entry.mode());
  }
}
