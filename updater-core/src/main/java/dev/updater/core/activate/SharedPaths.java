package dev.updater.core.activate;

import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.internal.io.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared paths of a release ({@code data}, {@code config/app.yml}): their validation, and linking
 * them from a release tree into {@code <home>/shared/}. Not API.
 */
final class SharedPaths {
  private static final Logger LOG = LoggerFactory.getLogger(SharedPaths.class);
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private SharedPaths() {}

  /**
   * Validates and normalises shared paths: each must be relative, non-empty, use {@code /} as the
   * separator and hold no {@code ..}; {@code .} segments and repeated or trailing slashes are
   * dropped. Duplicates and overlapping paths ({@code data} and {@code data/x}) are rejected.
   *
   * @return the normalised paths, in the order given
   * @throws IllegalArgumentException naming the offending path
   */
  public static List<String> normalise(String... paths) {
    Objects.requireNonNull(paths, "paths");
    Set<String> result = new LinkedHashSet<>();
    for (String raw : paths) {
      String p = normaliseOne(raw);
      if (!result.add(p)) {
        throw new IllegalArgumentException("shared path '" + raw + "' is given twice");
      }
    }
    List<String> list = new ArrayList<>(result);
    for (String a : list) {
      for (String b : list) {
        if (b.startsWith(a + "/")) {
          throw new IllegalArgumentException(
              "shared paths '" + a + "' and '" + b + "' overlap; give only '" + a + "'");
        }
      }
    }
    return List.copyOf(list);
  }

  private static String normaliseOne(String raw) {
    if (raw == null) {
      throw new IllegalArgumentException("a shared path is null");
    }
    if (raw.isBlank()) {
      throw new IllegalArgumentException("a shared path is empty");
    }
    if (raw.indexOf('\\') >= 0 || raw.indexOf('\0') >= 0 || raw.indexOf(':') >= 0) {
      throw new IllegalArgumentException("shared path '" + raw
          + "' must use '/' as separator and hold no '\\', ':' or NUL characters");
    }
    if (raw.startsWith("/")) {
      throw new IllegalArgumentException(
          "shared path '" + raw + "' must be relative to the release, not absolute");
    }
    List<String> segments = new ArrayList<>();
    for (String s : raw.split("/")) {
      if (s.equals("..")) {
        throw new IllegalArgumentException("shared path '" + raw + "' must not contain '..'");
      }
      if (!s.isEmpty() && !s.equals(".")) {
        segments.add(s);
      }
    }
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("shared path '" + raw + "' names no file or directory");
    }
    return String.join("/", segments);
  }

  /**
   * Links {@code path} of {@code tree} to {@code sharedRoot/path}, with a relative link computed as
   * seen from {@code finalTree} (where {@code tree} will live when published; may equal it).
   *
   * <p>When {@code shared/path} does not exist yet, a copy shipped in the tree seeds it (moved);
   * otherwise the shipped copy is deleted. When neither exists an empty directory is created in
   * {@code shared/}. A tree that already holds the right link is left as it is. Links planted in the
   * tree are never followed: a link at the path is deleted, never moved into {@code shared/}, and a
   * link or file where the path needs a directory is refused.
   */
  public static void link(Path tree, Path finalTree, Path sharedRoot, String path)
      throws IOException {
    Path inTree = resolve(tree, path);
    Path shared = resolve(sharedRoot, path);
    Path target = resolve(finalTree, path).getParent().relativize(shared);
    requireRealDirectories(tree, path);
    Files.createDirectories(shared.getParent());

    boolean shipped = Files.exists(inTree, NOFOLLOW);
    if (shipped && Files.isSymbolicLink(inTree)
        && Files.readSymbolicLink(inTree).equals(target)
        && Files.exists(shared, NOFOLLOW)) {
      return; // already linked: prepare is idempotent
    }
    if (shipped && Files.isSymbolicLink(inTree)) {
      LOG.warn("Replacing link {} -> {} shipped in the release with the shared path",
          inTree, Files.readSymbolicLink(inTree));
      Files.delete(inTree);
      shipped = false;
    }
    if (!Files.exists(shared, NOFOLLOW)) {
      if (shipped) {
        LOG.info("Seeding shared path {} from the copy shipped in the release", shared);
        seed(inTree, shared);
      } else {
        LOG.info("Creating empty shared directory {}", shared);
        Files.createDirectory(shared);
      }
    } else if (shipped) {
      FileTrees.deleteRecursively(inTree);
    }
    Files.createDirectories(inTree.getParent());
    Files.createSymbolicLink(inTree, target);
  }

  /** Resolves a validated shared path segment by segment (so separators suit the file system). */
  private static Path resolve(Path root, String path) {
    Path p = root;
    for (String s : path.split("/")) {
      p = p.resolve(s);
    }
    return p;
  }

  private static void requireRealDirectories(Path tree, String path) throws IOException {
    String[] segments = path.split("/");
    Path p = tree;
    for (int i = 0; i < segments.length - 1; i++) {
      p = p.resolve(segments[i]);
      if (Files.exists(p, NOFOLLOW) && !Files.isDirectory(p, NOFOLLOW)) {
        throw new IOException("the release has a link or file at " + p
            + " where shared path '" + path + "' needs a directory");
      }
    }
  }

  /** Moves {@code source} to {@code target} so that {@code target} appears complete or not at all. */
  private static void seed(Path source, Path target) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".seed-" + UUID.randomUUID());
    try {
      try {
        Files.move(source, tmp, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        copyTree(source, tmp); // shared/ lives on another file system
        FileTrees.deleteRecursively(source);
      }
      breakHardLinks(tmp);
      AtomicFiles.moveAtomically(tmp, target);
      AtomicFiles.syncDirectory(target.getParent());
    } finally {
      FileTrees.deleteRecursively(tmp);
    }
  }

  /**
   * Replaces each regular file under {@code root} that has other hard links with a copy of its
   * own. A delta install hard-links unchanged files from the live release into the staged tree;
   * what is seeded into {@code shared/} is written to by the application, and a write through a
   * shared inode would change the live (immutable) release too.
   */
  private static void breakHardLinks(Path root) throws IOException {
    if (!root.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      return;
    }
    List<Path> linked = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()
            && ((Number) Files.getAttribute(file, "unix:nlink", NOFOLLOW)).intValue() > 1) {
          linked.add(file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    for (Path file : linked) {
      Path copy = file.resolveSibling("." + file.getFileName() + ".cow-" + UUID.randomUUID());
      try {
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        AtomicFiles.moveAtomically(copy, file);
      } finally {
        Files.deleteIfExists(copy);
      }
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        Files.copy(dir, target.resolve(source.relativize(dir).toString()),
            StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, target.resolve(source.relativize(file).toString()),
            StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
