package dev.updater.testkit.crash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything under a directory, byte for byte: one line per path (type, POSIX mode where the file
 * system has them, SHA-256 of a file's bytes, target of a link), by relative path. Two snapshots
 * compare with {@code equals}, and a difference shows as the differing lines. Links inside the
 * tree are described, never followed; the directory itself is followed when it is a link (such as
 * a home's {@code current}).
 *
 * <pre>{@code
 * TreeSnapshot v2 = TreeSnapshot.of(cleanHome.resolve("current"));   // a clean install of 1.1.0
 * ... crash and recover another home ...
 * assertThat(TreeSnapshot.of(home.resolve("current"))).isEqualTo(v2);
 * }</pre>
 *
 * @param entries a line per path, by path relative to the directory ({@code /}-separated)
 */
public record TreeSnapshot(SortedMap<String, String> entries) {

  public TreeSnapshot {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(
        Objects.requireNonNull(entries, "entries")));
  }

  /**
   * Reads the tree under {@code dir}.
   *
   * @throws IOException when {@code dir} is missing or cannot be read
   */
  public static TreeSnapshot of(Path dir) throws IOException {
    Path root = dir.toRealPath();
    boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    SortedMap<String, String> entries = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.filter(p -> !p.equals(root)).forEach(p -> {
        String name = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        try {
          entries.put(name, describe(p, posix));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new TreeSnapshot(entries);
  }

  private static String describe(Path p, boolean posix) throws IOException {
    if (Files.isSymbolicLink(p)) {
      return "link -> " + Files.readSymbolicLink(p);
    }
    String mode = posix ? " " + PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) : "";
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return "dir" + mode;
    }
    return "file" + mode + " " + Files.size(p) + " " + sha256(p);
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        digest.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
