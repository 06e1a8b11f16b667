package dev.updater.core.internal.io;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/** Tree operations that never follow symbolic links. Not API. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code root} and everything under it. A symbolic link is deleted itself; what it points
   * at is never touched. Does nothing when {@code root} does not exist.
   */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(root);
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Forces every regular file and directory under {@code root} to disk, so that a tree about to be
   * made live survives a power loss with its contents, not as empty files. Links are not followed.
   * Does nothing on file systems other than the default one. Several files are forced at once; the
   * call returns when all are on disk, and throws the first failure after trying every entry.
   */
  public static void syncRecursively(Path root) throws IOException {
    TreeSync.sync(root); // several fsync calls in flight: see TreeSync
  }

  /**
   * Forces the tree under {@code root} like {@link #syncRecursively(Path)}, except the regular
   * files whose data is on disk already: those in {@code alreadyOnDisk} (by path relative to
   * {@code root}, {@code /} between segments) that are still the file with the listed file key,
   * such as hard links to a release that was forced when it was installed. Every directory is
   * forced, which makes the links themselves durable; a file that was replaced since (another
   * file key, or none known) is forced like any other.
   *
   * @return how many files and directories were forced
   */
  public static TreeSync.Synced syncRecursively(Path root, Map<String, Object> alreadyOnDisk)
      throws IOException {
    return TreeSync.sync(root, alreadyOnDisk);
  }
}
