package dev.updater.core.internal.io;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The short-lived thread pools of one install step (fsync, hashing, fetching, finishing extracted
 * files): daemon threads, so a pool left behind never keeps the JVM alive, and one way to stop a
 * pool and to report a task's failure. Not API.
 *
 * <pre>{@code
 * ExecutorService pool = WorkerPools.fixed("updater-fsync", 16);
 * try {
 *   pool.submit(task).get();
 * } catch (ExecutionException e) {
 *   throw WorkerPools.failure(e, "forcing the tree to disk");
 * } finally {
 *   WorkerPools.stopAndWait(pool);
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class WorkerPools {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPools.class);

  private WorkerPools() {}

  /** A pool of {@code threads} daemon threads named {@code name}. */
  public static ExecutorService fixed(String name, int threads) {
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Interrupts the pool's tasks and waits until none runs any more, so that nothing still reads
   * or writes files the caller is about to delete. An interrupt while waiting does not stop the
   * wait; it is set again on return.
   */
  public static void stopAndWait(ExecutorService pool) {
    pool.shutdownNow();
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
        LOG.warn("Tasks of an install step are still running after a minute; waiting on");
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The failure of a task: its own {@link IOException}, or one saying {@code what} failed. */
  public static IOException failure(ExecutionException e, String what) {
    Throwable cause = e.getCause();
    return cause instanceof IOException io ? io
        : new IOException(what + " failed: " + cause, cause);
  }
}
