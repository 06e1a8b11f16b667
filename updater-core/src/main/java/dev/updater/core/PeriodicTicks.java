package dev.updater.core;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer of an {@link UpdateScheduler}: runs its tick on one daemon thread, the first after a
 * random delay of up to the jitter, then each one interval plus a random jitter after the previous
 * one ended, so ticks never overlap. Closing stops further ticks and waits for a running one.
 * Thread-safe.
 */
final class PeriodicTicks {
  // Logged under UpdateScheduler, the name a host configures its logging by.
  private static final Logger LOG = LoggerFactory.getLogger(UpdateScheduler.class);

  private final Duration interval;
  private final Duration jitter;
  private final Duration closeTimeout;
  private final Runnable tick;
  private final Object lifecycle = new Object();
  private ScheduledExecutorService executor; // guarded by lifecycle
  private boolean closed; // guarded by lifecycle

  PeriodicTicks(Duration interval, Duration jitter, Duration closeTimeout, Runnable tick) {
    this.interval = interval;
    this.jitter = jitter;
    this.closeTimeout = closeTimeout;
    this.tick = tick;
  }

  /**
   * Starts ticking, running {@code onStart} first; does nothing when already started.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  void start(Runnable onStart) {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("this scheduler was closed; build a new one");
      }
      if (executor == null) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "updater-scheduler");
          t.setDaemon(true);
          return t;
        });
        // close() must not wait for the next tick, only for a running one.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setRemoveOnCancelPolicy(true);
        executor = pool;
        onStart.run();
        scheduleNext(randomUpTo(jitter));
      }
    }
  }

  private void scheduleNext(Duration delay) {
    synchronized (lifecycle) {
      if (closed || executor == null) {
        return;
      }
      executor.schedule(() -> {
        try {
          tick.run();
        } catch (RuntimeException e) {
          LOG.error("An update check failed unexpectedly; the next one runs as planned", e);
        } finally {
          scheduleNext(interval.plus(randomUpTo(jitter)));
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static Duration randomUpTo(Duration max) {
    return max.isZero() ? Duration.ZERO
        : Duration.ofMillis(ThreadLocalRandom.current().nextLong(max.toMillis() + 1));
  }

  /**
   * Stops ticking: no tick starts after this returns, and a running one is waited for up to the
   * close timeout. Idempotent.
   */
  void close() {
    ScheduledExecutorService toStop;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      toStop = executor;
    }
    if (toStop == null) {
      return;
    }
    toStop.shutdown();
    try {
      if (!toStop.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("An update tick still runs after {}; it finishes on its daemon thread",
            closeTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
