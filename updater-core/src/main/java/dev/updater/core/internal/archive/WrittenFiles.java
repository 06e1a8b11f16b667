package dev.updater.core.internal.archive;

import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.internal.io.WorkerPools;
import dev.updater.core.repository.Sha256;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finishes the files an extraction has written while it writes the next ones: on a few
 * background threads each file is read back and hashed (when a manifest will check the tree) and
 * forced to disk. The closed-world check then needs no second pass over the tree, and the sync
 * before publishing finds the files already on disk. Not API.
 *
 * <pre>{@code
 * try (WrittenFiles written = new WrittenFiles(WrittenFiles.Digests.COMPUTE, staging)) {
 *   stager.stage(archive, artifact, staging, written::add);
 *   Map<String, String> digests = written.await(); // path -> SHA-256 of the bytes on disk
 * }
 * }</pre>
 *
 * <p>Memory stays bounded: at most {@link #IN_FLIGHT} files wait or are worked on at once, and
 * {@link #add} blocks the extraction when they are all taken. Only the extraction thread may
 * call {@link #add} and {@link #await}; the digests are those of the bytes read back from the
 * file, so they vouch for what is on disk, exactly like a later pass would. A file added twice (a
 * stager that wrote it again) gets no digest: the closed-world check reads it once more.
 */
public final class WrittenFiles implements AutoCloseable {
  /** Whether each file is hashed as well as forced. */
  public enum Digests {
    /** Hash each file: a manifest will check the tree. */
    COMPUTE,
    /** Only force: without a manifest to check against there is no use for the hashes. */
    SKIP
  }

  /** Threads that hash and force; a force mostly waits for the device. */
  static final int THREADS = 4;
  /** Files queued or being finished at most. */
  static final int IN_FLIGHT = 64;
  private static final int BUFFER = 256 * 1024;

  private final boolean hash;
  private final boolean force;
  private final ExecutorService pool;
  private final Semaphore slots = new Semaphore(IN_FLIGHT);
  private final Map<String, String> digests = new ConcurrentHashMap<>();
  /** The names added so far and those added more than once; the adding thread's only. */
  private final Set<String> added = new HashSet<>();
  private final Set<String> repeated = new HashSet<>();
  private final AtomicReference<IOException> failure = new AtomicReference<>();
  private final ThreadLocal<ByteBuffer> buffers =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER));

  /**
   * Starts the threads.
   *
   * @param digests whether to hash each file
   * @param root the tree being written: files are forced unless it is in memory
   */
  public WrittenFiles(Digests digests, Path root) {
    this.hash = digests == Digests.COMPUTE;
    this.force = AtomicFiles.hasDisk(root.getFileSystem());
    this.pool = WorkerPools.fixed("updater-finish-file", THREADS);
  }

  /**
   * Queues the regular file {@code name} (as the manifest names it), written and closed at {@code
   * path}, to be hashed and forced.
   *
   * @throws IOException the failure of a file finished earlier (the extraction stops at once)
   * @throws InterruptedIOException when interrupted while all slots are taken
   */
  public void add(String name, Path path) throws IOException {
    rethrow();
    if (!added.add(name)) {
      repeated.add(name);
    }
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while finishing the extracted files");
    }
    pool.execute(() -> {
      try {
        finish(name, path);
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e instanceof IOException io ? io
            : new IOException("cannot finish the extracted file " + path + ": " + e, e));
      } finally {
        slots.release();
      }
    });
  }

  /**
   * Waits until every queued file is finished.
   *
   * @return the SHA-256 of each file by its name (empty when not hashing), but none for a file
   *     added more than once
   * @throws IOException the first failure
   */
  public Map<String, String> await() throws IOException {
    try {
      slots.acquire(IN_FLIGHT);
      slots.release(IN_FLIGHT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while finishing the extracted files");
    }
    rethrow();
    Map<String, String> result = new HashMap<>(digests);
    result.keySet().removeAll(repeated);
    return Map.copyOf(result);
  }

  /** Stops the threads; waits for a file being finished, so none is read after this returns. */
  @Override
  public void close() {
    WorkerPools.stopAndWait(pool);
  }

  private void finish(String name, Path path) throws IOException {
    if (failure.get() != null) {
      return; // the extraction is failing anyway
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS)) {
      if (hash) {
        MessageDigest digest = Sha256.newDigest();
        ByteBuffer buf = buffers.get();
        while (true) {
          buf.clear();
          int n = ch.read(buf);
          if (n < 0) {
            break;
          }
          digest.update(buf.array(), 0, n);
        }
        digests.put(name, HexFormat.of().formatHex(digest.digest()));
      }
      if (force) {
        ch.force(true);
      }
    }
  }

  private void rethrow() throws IOException {
    IOException e = failure.get();
    if (e != null) {
      throw e;
    }
  }
}
