package dev.updater.core.internal.format;

import dev.updater.core.internal.Downloader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The per-file manifest of a release tree: every directory, regular file (size, mode, SHA-256) and
 * symbolic link (target) the primary artifact extracts to, by its path relative to the release
 * root with {@code /} between segments. The formats are in {@code docs/repository.md}; {@link
 * ManifestJson} and {@link ManifestPages} read and write them. Not API.
 *
 * <pre>{@code
 * FileManifest manifest = FileManifest.scan(extractedTree); // publisher side
 * ManifestPages.Written paged = ManifestPages.write(manifest);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class FileManifest {
  /** What an entry is. */
  public enum Type { DIRECTORY, FILE, SYMLINK }

  /**
   * One path of the tree.
   *
   * @param path relative path, {@code /}-separated, normalised (no {@code .}, {@code ..} or empty
   *     segments, no leading or trailing {@code /})
   * @param type what it is
   * @param mode permission bits of a file or directory (0 for a link)
   * @param size length in bytes of a file (0 otherwise)
   * @param sha256 lower-case hex SHA-256 of a file ({@code ""} otherwise)
   * @param target the target of a symbolic link ({@code ""} otherwise)
   * @param chunks the content-defined chunks of a file, in order, whose sizes add up to its size
   *     ({@link Chunking}); empty when it is not split (always in formats 1 and 2)
   */
  public record Entry(String path, Type type, int mode, long size, String sha256, String target,
      List<Chunking.Chunk> chunks) {
    public Entry {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(target, "target");
      chunks = List.copyOf(chunks);
    }

    /** An entry without chunks. */
    public Entry(String path, Type type, int mode, long size, String sha256, String target) {
      this(path, type, mode, size, sha256, target, List.of());
    }

    /** This file entry with {@code chunks}. */
    public Entry withChunks(List<Chunking.Chunk> chunks) {
      return new Entry(path, type, mode, size, sha256, target, chunks);
    }

    static Entry directory(String path, int mode) {
      return new Entry(path, Type.DIRECTORY, mode, 0, "", "");
    }

    static Entry file(String path, int mode, long size, String sha256) {
      return new Entry(path, Type.FILE, mode, size, sha256, "");
    }

    static Entry symlink(String path, String target) {
      return new Entry(path, Type.SYMLINK, 0, 0, "", target);
    }

    /** The path of the parent directory, {@code ""} for the release root. */
    public String parent() {
      int slash = path.lastIndexOf('/');
      return slash < 0 ? "" : path.substring(0, slash);
    }
  }

  private final Map<String, Entry> entries;

  /** A manifest of {@code entries}, which must have distinct paths; they are kept sorted. */
  public FileManifest(List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(Entry::path));
    Map<String, Entry> map = new LinkedHashMap<>();
    for (Entry e : sorted) {
      if (map.put(e.path(), e) != null) {
        throw new IllegalArgumentException("the path '" + e.path() + "' is listed twice");
      }
    }
    this.entries = Collections.unmodifiableMap(map);
  }

  /** Every entry, sorted by path (so a parent comes before its children). */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The entry at {@code path}, if any. */
  public Optional<Entry> get(String path) {
    return Optional.ofNullable(entries.get(path));
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  /**
   * The total size of the regular files: the bytes the release's tree holds once expanded, which
   * a space check needs before staging it.
   */
  public long totalBytes() {
    long total = 0;
    for (Entry e : entries.values()) {
      total += e.size();
    }
    return total;
  }

  /**
   * Describes the tree under {@code root} (not {@code root} itself), without following links, as
   * the publisher does after extracting the artifact with the stager's own rules. The file system
   * must have POSIX permissions.
   *
   * @throws IOException when a path is neither a directory, a regular file nor a symbolic link, or
   *     cannot be read
   */
  public static FileManifest scan(Path root) throws IOException {
    if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      throw new IOException("cannot describe " + root + ": its file system has no POSIX modes");
    }
    List<Entry> list = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        if (!dir.equals(root)) {
          list.add(Entry.directory(relative(root, dir), mode(dir)));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String path = relative(root, file);
        if (attrs.isSymbolicLink()) {
          list.add(Entry.symlink(path, Files.readSymbolicLink(file).toString()));
        } else if (attrs.isRegularFile()) {
          list.add(Entry.file(path, mode(file), attrs.size(), sha256(file)));
        } else {
          throw new IOException(file + " is neither a directory, a regular file nor a link");
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return new FileManifest(list);
  }

  /** The {@code /}-separated path of {@code path} relative to {@code root}. */
  public static String relative(Path root, Path path) {
    StringBuilder sb = new StringBuilder();
    for (Path segment : root.relativize(path)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(segment);
    }
    return sb.toString();
  }

  /** The permission bits of {@code path}, not following a link. */
  public static int mode(Path path) throws IOException {
    return mode(Files.getFileAttributeView(path, PosixFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS).readAttributes().permissions());
  }

  /** The permission bits {@code perms} stand for, such as {@code 0644}. */
  public static int mode(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }

  /** The lower-case hex SHA-256 of a regular file, not following a link. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest = Downloader.sha256();
    byte[] buf = new byte[256 * 1024];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        digest.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
