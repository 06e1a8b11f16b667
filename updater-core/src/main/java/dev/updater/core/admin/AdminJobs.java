package dev.updater.core.admin;

import static dev.updater.core.admin.AdminAnswers.conflict;
import static dev.updater.core.admin.AdminAnswers.text;

import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations {@link UpdateAdmin} runs in the background, one at a time, on one daemon thread.
 * Thread-safe; {@link UpdateAdmin} starts and forgets jobs under its own lock, so that of two
 * concurrent requests exactly one is accepted.
 */
final class AdminJobs {
  // Logged under UpdateAdmin, the name a host configures its logging by.
  private static final Logger LOG = LoggerFactory.getLogger(UpdateAdmin.class);

  private final ExecutorService executor;
  private volatile Job job; // the last operation started here

  /** An operation running in the background. */
  static final class Job {
    final String operation;
    final Optional<Version> target;
    final Optional<Instant> journalBefore;
    volatile boolean done;
    volatile UpdateException error;

    Job(String operation, Optional<Version> target, Optional<Instant> journalBefore) {
      this.operation = operation;
      this.target = target;
      this.journalBefore = journalBefore;
    }
  }

  AdminJobs() {
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "updater-admin");
      t.setDaemon(true);
      return t;
    });
  }

  /** The last operation started here, or null when none was (or it was forgotten). */
  Job last() {
    return job;
  }

  /** Forgets the last operation, as clearing an error does. */
  void forget() {
    job = null;
  }

  boolean running() {
    Job j = job;
    return j != null && !j.done;
  }

  /** A 409 when an operation runs here. */
  Optional<AdminResponse<AdminAnswer>> refuseWhileBusy(String operation) {
    Job j = job;
    if (j != null && !j.done) {
      return Optional.of(conflict(operation, text(j.target), Reason.LOCKED, "another update or"
          + " rollback is in progress (" + j.operation + j.target.map(v -> " of " + v).orElse("")
          + "); wait for it to finish and follow it with progress()"));
    }
    return Optional.empty();
  }

  /** Starts {@code action} in the background, or a 409 when the journal says one runs anywhere. */
  AdminResponse<AdminAnswer> start(String operation, Optional<Version> target,
      UpdateStatus before, Supplier<UpdateResult> action) {
    if (before.state() == State.IN_PROGRESS || before.state() == State.AWAITING_CONFIRMATION) {
      return conflict(operation, text(before.target()), Reason.LOCKED, "another update or"
          + " rollback is in progress" + before.target().map(v -> " (to " + v + ")").orElse("")
          + "; wait for it to finish and follow it with progress()");
    }
    Job j = new Job(operation, target, before.updatedAt());
    try {
      executor.execute(() -> run(j, action));
    } catch (RejectedExecutionException e) {
      return new AdminResponse<>(AdminResponse.ERROR, new AdminAnswer(AdminAnswer.ERROR, operation,
          text(target), "the admin API was closed; the application is shutting down", null));
    }
    job = j;
    LOG.info("Admin request: {}{} started in the background", operation,
        target.map(v -> " of " + v).orElse(""));
    return new AdminResponse<>(AdminResponse.ACCEPTED, new AdminAnswer(AdminAnswer.ACCEPTED,
        operation, text(target), operation + target.map(v -> " of " + v).orElse("")
        + " started in the background; follow it with progress()", null));
  }

  private static void run(Job j, Supplier<UpdateResult> action) {
    try {
      UpdateResult result = action.get();
      LOG.info("Admin request: {} finished: {}", j.operation, result);
    } catch (UpdateException e) {
      j.error = e;
    } catch (RuntimeException e) {
      LOG.error("Admin request: {} failed unexpectedly", j.operation, e);
      j.error = new UpdateException(Reason.IO_ERROR, null, j.operation + " failed unexpectedly: "
          + e, e);
    } finally {
      j.done = true;
    }
  }

  /**
   * Stops accepting operations and waits up to {@code timeout} for a running one, unless
   * {@code restarting} says it is at its restart step. Idempotent.
   */
  void close(Duration timeout, BooleanSupplier restarting) {
    executor.shutdown();
    Job j = job;
    if (j == null || j.done || restarting.getAsBoolean()) {
      return;
    }
    try {
      if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("An update operation still runs; it finishes on its daemon thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
