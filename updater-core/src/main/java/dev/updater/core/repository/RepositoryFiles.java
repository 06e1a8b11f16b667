package dev.updater.core.repository;

import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.internal.format.ZlibObjects;
import dev.updater.core.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * How every file of a repository is written: through a temporary sibling forced to disk, renamed
 * over the target, then the directory forced, so that a web server serving the repository (or a
 * publisher that crashed) sees the old file or the new one, never half of one. Files are readable
 * by everyone (0644 where the file system has POSIX modes): a repository is public.
 *
 * <p>Stateless and thread-safe for different targets.
 */
final class RepositoryFiles {
  private RepositoryFiles() {}

  /** Readable by everyone, writable by the owner: a repository is public. */
  private static final Set<PosixFilePermission> PUBLIC_FILE =
      PosixFilePermissions.fromString("rw-r--r--");

  /** Writes the bytes of a file being created. */
  interface Body extends AtomicFiles.Content {}

  /** Replaces {@code target} with what {@code body} writes, creating its directories. */
  static void write(Path target, Body body) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    AtomicFiles.write(target, body, PUBLIC_FILE);
  }

  /** Replaces {@code target} with {@code bytes}. */
  static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /**
   * Stores the compressed object {@code sha256} ({@code objects/<aa>/<sha256>.zlib}), the
   * compressed form of the {@code size} bytes {@code body} writes, unless a good copy is there
   * (it inflates to {@code size} bytes of that SHA-256). The new file is not forced to disk: the
   * caller forces every file it wrote ({@link #force}) before anything names them.
   *
   * @return the new file, or null when a good copy was there
   */
  static Path storeCompressed(Path repo, String sha256, long size, Body body)
      throws IOException {
    Path object = resolve(repo, ObjectPaths.compressed(sha256));
    if (Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS) && inflatesTo(object, sha256,
        size)) {
      return null;
    }
    Files.createDirectories(object.toAbsolutePath().getParent());
    AtomicFiles.writeUnforced(object, out -> {
      try (OutputStream z = ZlibObjects.compressingInto(out)) {
        body.writeTo(z);
      }
    }, PUBLIC_FILE);
    return object;
  }

  /** Forces {@code files} to disk, then each of their directories once. */
  static void force(Collection<Path> files) throws IOException {
    Set<Path> dirs = new HashSet<>();
    for (Path file : files) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        channel.force(true);
      }
      dirs.add(file.toAbsolutePath().getParent());
    }
    for (Path dir : dirs) {
      AtomicFiles.syncDirectory(dir);
    }
  }

  /** True when the compressed file {@code object} inflates to {@code size} bytes of {@code sha}. */
  private static boolean inflatesTo(Path object, String sha256, long size) {
    MessageDigest digest = Sha256.newDigest();
    long total = 0;
    byte[] buffer = new byte[Sha256.FILE_BUFFER];
    try (InputStream in = ZlibObjects.inflating(Files.newInputStream(object,
        LinkOption.NOFOLLOW_LINKS))) {
      for (int n; total <= size && (n = in.read(buffer)) != -1; total += n) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      return false; // not a good copy: written again
    }
    return total == size && HexFormat.of().formatHex(digest.digest()).equals(sha256);
  }

  /** The {@code size} bytes of {@code file} from {@code offset}, not following a link. */
  static Body rangeOf(Path file, long offset, long size) {
    return out -> {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
          LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, Sha256.FILE_BUFFER));
        long position = offset;
        long end = offset + size;
        while (position < end) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
          int n = channel.read(buffer, position);
          if (n < 0) {
            throw new IOException(file + " ended before byte " + end);
          }
          out.write(buffer.array(), 0, n);
          position += n;
        }
      }
    };
  }

  /** The bytes of the regular file {@code file}, not following a link. */
  static Body copyOf(Path file) {
    return out -> {
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        in.transferTo(out);
      }
    };
  }

  /** Resolves a {@code /}-separated relative path segment by segment. */
  static Path resolve(Path root, String path) {
    Path p = root;
    for (String segment : path.split("/")) {
      p = p.resolve(segment);
    }
    return p;
  }
}
