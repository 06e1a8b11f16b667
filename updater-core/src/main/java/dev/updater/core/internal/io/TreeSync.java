package dev.updater.core.internal.io;

import dev.updater.core.internal.format.FileManifest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Forces a whole tree to disk with several {@code fsync} calls in flight at once. Not API.
 *
 * <p>An {@code fsync} mostly waits for the device; one after the other, a release of 2,000 files
 * waits 2,000 times (about 10 s instead of 1 s on the virtual disk of {@code bench/run}). In
 * parallel the file system commits them together. Files are forced first, then directories; the
 * call returns only when every one is on disk, so the ordering guarantees of the caller (force the
 * tree, then rename it into place) are unchanged. Memory grows with the number of entries, never
 * with their size.
 *
 * <p>Thread-safe; each call uses its own short-lived pool of daemon threads.
 */
final class TreeSync {
  /** How many {@code fsync} calls are in flight at most. */
  static final int PARALLELISM = 16;

  /** What a sync forced. */
  record Synced(int files, int directories) {}

  private TreeSync() {}

  /**
   * Forces every regular file and directory under {@code root} (links are not followed); nothing
   * on an in-memory file system.
   *
   * @throws IOException the first failure, once every other entry has been tried; later failures
   *     are suppressed into it
   */
  static Synced sync(Path root) throws IOException {
    return sync(root, Map.of());
  }

  /**
   * Forces the tree like {@link #sync(Path)}, except the regular files in {@code alreadyOnDisk}
   * (by path relative to {@code root}, {@code /} between segments) that still have the listed
   * file key; every directory is forced.
   */
  static Synced sync(Path root, Map<String, Object> alreadyOnDisk) throws IOException {
    if (!AtomicFiles.hasDisk(root.getFileSystem())) {
      return new Synced(0, 0);
    }
    List<Path> files = new ArrayList<>();
    List<Path> directories = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && !onDisk(file, attrs)) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      private boolean onDisk(Path file, BasicFileAttributes attrs) {
        if (alreadyOnDisk.isEmpty()) {
          return false;
        }
        Object key = alreadyOnDisk.get(FileManifest.relative(root, file));
        return key != null && key.equals(attrs.fileKey());
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        directories.add(dir);
        return FileVisitResult.CONTINUE;
      }
    });
    forceAll(files, false);
    forceAll(directories, true);
    return new Synced(files.size(), directories.size());
  }

  /** Forces each of {@code paths}, several at a time; throws the first failure after all ran. */
  static void forceAll(List<Path> paths, boolean directories) throws IOException {
    if (paths.isEmpty()) {
      return;
    }
    if (paths.size() == 1) {
      force(paths.get(0), directories);
      return;
    }
    ExecutorService pool = WorkerPools.fixed("updater-fsync", Math.min(PARALLELISM, paths.size()));
    try {
      List<Future<?>> pending = new ArrayList<>(paths.size());
      for (Path p : paths) {
        pending.add(pool.submit(() -> {
          force(p, directories);
          return null;
        }));
      }
      IOException failure = null;
      for (Future<?> f : pending) {
        try {
          f.get();
        } catch (ExecutionException e) {
          IOException cause = WorkerPools.failure(e, "forcing a file to disk");
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException(
          "interrupted while forcing the staged tree to disk");
      interrupted.initCause(e);
      throw interrupted;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void force(Path path, boolean directory) throws IOException {
    if (directory) {
      AtomicFiles.syncDirectory(path);
      return;
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
