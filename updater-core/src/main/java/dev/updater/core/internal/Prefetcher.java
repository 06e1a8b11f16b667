package dev.updater.core.internal;

import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.Artifact;
import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads and verifies an artifact ahead of its install into {@code .updater/prefetch/}, where
 * the install's {@link Downloader} takes it from. One pre-download runs at a time per directory:
 * an in-process lock plus an OS file lock on {@code prefetch/.lock} for other processes. Not API.
 */
final class Prefetcher {
  private static final Logger LOG = LoggerFactory.getLogger(Prefetcher.class);
  private static final String LOCK_FILE = ".lock";
  /** In-process locks per directory: an OS file lock cannot be taken twice by one JVM. */
  private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final Downloader downloader;

  Prefetcher(Path dir) {
    this.dir = dir;
    this.downloader = new Downloader(dir);
  }

  /** The directory holding pre-downloaded copies. */
  Path dir() {
    return dir;
  }

  /** True when a verified copy of {@code artifact} is waiting. */
  boolean has(Artifact artifact) {
    return Files.isRegularFile(downloader.verifiedPath(artifact), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Downloads and verifies {@code artifact} unless a verified copy is already here, after removing
   * the copies of every other artifact. Waits for a pre-download that another thread or process
   * runs in the same directory.
   *
   * @return true when it downloaded, false when a verified copy was already here
   * @throws dev.updater.core.spi.VerificationException when the bytes do not match (deleted)
   * @throws IOException when the source or the disk fails (a partial file is kept to resume)
   */
  boolean prefetch(ReleaseSource source, Artifact artifact) throws IOException {
    ReentrantLock local = LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(),
        d -> new ReentrantLock());
    local.lock();
    try {
      Downloader.createPrivateDirectory(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
        if (has(artifact)) {
          return false;
        }
        dropOthers(artifact);
        LOG.info("Pre-downloading {} ({} bytes) from {}", artifact.name(), artifact.size(),
            source.describe());
        Downloader.Fetched fetched = downloader.download(source, artifact, (done, total) -> { });
        downloader.verify(fetched, artifact);
        LOG.info("Pre-downloaded and verified {}; it waits for the install", artifact.name());
        return true;
      }
    } finally {
      local.unlock();
    }
  }

  /** Deletes every file here but the lock and the partial or verified copy of {@code keep}. */
  private void dropOthers(Artifact keep) throws IOException {
    String verified = downloader.verifiedPath(keep).getFileName().toString();
    String part = keep.sha256() + ".part";
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (!name.equals(LOCK_FILE) && !name.equals(verified) && !name.equals(part)) {
          LOG.info("Dropping the pre-downloaded {}: a newer release is pre-downloaded", name);
          FileTrees.deleteRecursively(file);
        }
      }
    }
  }
}
