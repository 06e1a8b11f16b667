package dev.updater.core.internal.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
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

  /** An action on one item that may fail with an {@link IOException}. */
  @FunctionalInterface
  public interface ItemAction<T> {
    void apply(int index, T item) throws IOException;
  }

  /**
   * Applies {@code action} to each of {@code items} (with its index) on up to {@code threads}
   * daemon threads named {@code name}, each taking one contiguous run of them (neighbours, such
   * as the files of one directory, stay on one thread); returns when all are done. The first
   * failure stops the others (they are interrupted) and is thrown once none runs any more: an
   * unchecked one as it is, any other as an {@link IOException}.
   *
   * @throws InterruptedIOException when the calling thread is interrupted
   */
  public static <T> void forEach(String name, int threads, List<T> items, ItemAction<T> action)
      throws IOException {
    int n = Math.max(1, Math.min(threads, items.size()));
    if (n == 1) {
      for (int i = 0; i < items.size(); i++) {
        action.apply(i, items.get(i));
      }
      return;
    }
    ExecutorService pool = fixed(name, n);
    CompletionService<Void> done = new ExecutorCompletionService<>(pool);
    try {
      for (int t = 0; t < n; t++) {
        int from = (int) ((long) items.size() * t / n);
        int to = (int) ((long) items.size() * (t + 1) / n);
        done.submit(() -> {
          for (int i = from; i < to; i++) {
            action.apply(i, items.get(i));
          }
          return null;
        });
      }
      for (int t = 0; t < n; t++) {
        done.take().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + name + " was running");
    } catch (ExecutionException e) {
      throw uncheckedOrFailure(e, name);
    } finally {
      stopAndWait(pool);
    }
  }

  /**
   * The failure of a task to throw: an unchecked one is thrown here as it is (such as the
   * free-space watch's {@code UpdateException}), any other returned as {@link #failure} makes it.
   */
  public static IOException uncheckedOrFailure(ExecutionException e, String what) {
    if (e.getCause() instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    return failure(e, what);
  }

  /** The failure of a task: its own {@link IOException}, or one saying {@code what} failed. */
  public static IOException failure(ExecutionException e, String what) {
    Throwable cause = e.getCause();
    return cause instanceof IOException io ? io
        : new IOException(what + " failed: " + cause, cause);
  }
}
