package dev.updater.core.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.UUID;

/**
 * Crash-safe file writes: a reader (or the next process after a crash) sees the old content or the
 * new content of a file, never a mix or a truncated file. Not API.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of a file being replaced. */
  @FunctionalInterface
  public interface Content {
    /** Writes the whole content to {@code out}; the caller closes it. */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Replaces {@code target} with {@code bytes}: writes a temporary sibling, forces it to disk,
   * renames it over the target, then forces the directory so the rename itself survives a power
   * loss.
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    replace(target, out -> out.write(bytes), true, null);
  }

  /**
   * Replaces {@code target} with what {@code content} writes, as {@link #write(Path, byte[])}
   * does, the new file getting the POSIX permissions {@code mode} where the file system has them
   * (a published repository is readable by everyone, whatever the umask).
   */
  public static void write(Path target, Content content, Set<PosixFilePermission> mode)
      throws IOException {
    replace(target, content, true, Set.copyOf(mode));
  }

  /**
   * Replaces {@code target} with {@code bytes} through a temporary sibling and a rename, like
   * {@link #write}, but forces nothing to disk: a reader never sees a half-written file, yet after
   * a power loss the file may be missing, empty or the old one. Only for caches that verify every
   * read (the kept pages of per-file manifests, checked by SHA-256), where a lost file is fetched
   * again and an {@code fsync} per file would cost more than it saves.
   */
  public static void writeUnforced(Path target, byte[] bytes) throws IOException {
    replace(target, out -> out.write(bytes), false, null);
  }

  /**
   * Replaces {@code target} like {@link #write(Path, Content, Set)} but forces nothing to disk,
   * for a writer that forces many new files together afterwards (each file, then each directory
   * once) before anything names them.
   */
  public static void writeUnforced(Path target, Content content, Set<PosixFilePermission> mode)
      throws IOException {
    replace(target, content, false, Set.copyOf(mode));
  }

  /**
   * Writes a temporary sibling, renames it over {@code target}; forces both when {@code force};
   * sets {@code mode} on the sibling first unless it is null or the file system has no modes.
   */
  private static void replace(Path target, Content content, boolean force,
      Set<PosixFilePermission> mode) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(ch);
        content.writeTo(out);
        out.flush();
        if (force) {
          ch.force(true);
        }
      }
      if (mode != null && tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, mode);
      }
      moveAtomically(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
    if (force) {
      syncDirectory(dir);
    }
  }

  /**
   * Renames {@code source} over {@code target} with one {@code rename(2)}.
   *
   * @throws AtomicMoveNotSupportedException when the two are on different file systems
   */
  public static void moveAtomically(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Whether {@code fs} keeps files on a disk that forcing reaches: every file system but the
   * in-memory ones (Jimfs), where a force has nothing to do. A file system that wraps the disk,
   * such as a fault-injecting one in tests, is forced like the disk.
   */
  public static boolean hasDisk(FileSystem fs) {
    return fs == FileSystems.getDefault() || !IN_MEMORY.contains(fs.provider().getScheme());
  }

  private static final Set<String> IN_MEMORY = Set.of("jimfs", "memory");

  /**
   * Forces a directory's entries to disk (after a create, rename or delete in it). Does nothing on
   * an in-memory file system ({@link #hasDisk}).
   */
  public static void syncDirectory(Path dir) throws IOException {
    if (!hasDisk(dir.getFileSystem())) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for reading; the rename is still atomic there.
      if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
        throw e;
      }
    }
  }
}
