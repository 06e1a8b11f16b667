package dev.updater.core.internal;

import dev.updater.core.HistoryEntry;
import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Version;
import dev.updater.core.spi.Restarter;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot confirmation across a restart: decides what happens to a release that was restarted into
 * and awaits confirmation from its own new process. Every method runs under the update lock. Not
 * API.
 *
 * <p>The rule, checked in this order each time an updater on the install recovers:
 * <ol>
 *   <li>the deadline ({@code confirmBy}) has passed: roll back;
 *   <li>{@code starts} reached the allowed number of unconfirmed starts: roll back (a crash loop);
 *   <li>this process runs the awaited version and has not counted itself yet: count one start;
 *   <li>otherwise leave it awaiting.
 * </ol>
 * A process running the awaited version then confirms it by running the health check
 * ({@link #confirm}). Rolling back ({@link Reversal}) makes the previous release live, writes the
 * journal, history and failure record, and only then restarts (a restart may end this process),
 * so a rollback is never repeated.
 *
 * <p>Thread-safe: the set of counted starts is concurrent; the rest runs under the lock.
 */
final class Confirmation {
  private static final Logger LOG = LoggerFactory.getLogger(Confirmation.class);

  /**
   * The environment variable through which a launcher tells the process it started that it already
   * counted this start of the release awaiting confirmation until the given deadline (an ISO-8601
   * instant), so that the process does not count itself a second time.
   */
  static final String START_COUNTED_VARIABLE = "UPDATER_START_COUNTED";

  private final UpdaterConfig config;
  private final State state;
  private final Reversal reversal;
  private final Layout layout;
  /** Who decides, in rollback messages: empty for a host's own updater. */
  private final String decider;
  /** The deadline for which a launcher counted this process's start before starting it. */
  private final Optional<Instant> launcherCounted;
  /** The deadlines of the confirmations this updater already counted a start for. */
  private final Set<Instant> counted = ConcurrentHashMap.newKeySet();

  Confirmation(UpdaterConfig config, State state, Reversal reversal) {
    this(config, state, reversal, "");
  }

  Confirmation(UpdaterConfig config, State state, Reversal reversal, String decider) {
    this.config = config;
    this.state = state;
    this.reversal = reversal;
    this.layout = config.layout();
    this.decider = decider;
    this.launcherCounted = countedByLauncher();
    launcherCounted.ifPresent(counted::add);
  }

  /** The deadline a launcher counted this process's start for, from the environment. */
  private static Optional<Instant> countedByLauncher() {
    String value = System.getenv(START_COUNTED_VARIABLE);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.strip()));
    } catch (java.time.format.DateTimeParseException e) {
      LOG.warn("Ignoring {}={}: not an instant", START_COUNTED_VARIABLE, value);
      return Optional.empty();
    }
  }

  /**
   * Applies the deadline and the crash-loop count to {@code r} (which awaits confirmation across a
   * restart) and counts this start. Returns true when it rolled the release back.
   */
  boolean decide(JournalRecord r) {
    return decide(r, Counting.ONCE_PER_PROCESS);
  }

  /** How {@link #decide(JournalRecord, Counting)} counts starts of the awaited release. */
  enum Counting {
    /** Once per process that runs the awaited release: a host's own updater. */
    ONCE_PER_PROCESS,
    /** On every call: a launcher about to start the awaited release. */
    EVERY_CALL
  }

  /**
   * Like {@link #decide(JournalRecord)}, counting starts as {@code counting} says.
   */
  boolean decide(JournalRecord r, Counting counting) {
    boolean countEveryCall = counting == Counting.EVERY_CALL;
    Version to = r.to().orElseThrow();
    Instant now = config.clock().instant();
    Instant deadline = r.confirmBy().orElseThrow();
    if (!now.isBefore(deadline)) {
      rollBack(r, to + " did not confirm by its deadline " + deadline
          + " after its restart");
      return true;
    }
    // A start a launcher counted before starting this process is this one, not an earlier one.
    boolean selfIncluded = !countEveryCall && launcherCounted.equals(Optional.of(deadline))
        && config.runningVersion().equals(Optional.of(to));
    int earlierStarts = selfIncluded ? r.starts() - 1 : r.starts();
    if (earlierStarts >= config.maxUnconfirmedStarts()) {
      rollBack(r, to + " started " + earlierStarts + (earlierStarts == 1 ? " time" : " times")
          + " without confirming");
      return true;
    }
    if (countEveryCall
        || config.runningVersion().equals(Optional.of(to)) && counted.add(deadline)) {
      JournalRecord next = r.withOneMoreStart(now);
      write(next);
      LOG.info("{} started while awaiting confirmation (start {} of at most {}, deadline {})", to,
          next.starts(), config.maxUnconfirmedStarts(), deadline);
    }
    return false;
  }

  /** True when this process runs the version {@code r} awaits confirmation of. */
  boolean mayConfirm(JournalRecord r) {
    return r.awaitsConfirmationAcrossRestart() && r.to().isPresent()
        && config.runningVersion().equals(r.to());
  }

  /** What {@link #confirm} does when the health check fails. */
  enum OnFailure {
    /** Roll the release back at once. */
    ROLL_BACK,
    /** Leave it awaiting: the deadline or the crash-loop count decides. */
    KEEP_AWAITING
  }

  /**
   * Runs the health check of the release {@code r} awaits confirmation of, and completes the
   * operation when it passes. When it fails, does what {@code onFailure} says. Returns true when
   * the journal changed.
   */
  boolean confirm(JournalRecord r, OnFailure onFailure) {
    Version to = r.to().orElseThrow();
    Operation operation = r.operation().orElse(Operation.INSTALL);
    JournalRecord checking = r.atStep(Step.CONFIRM, config.clock().instant());
    write(checking);
    FaultPoints.hit("confirm-before-check");
    UpdateContext context = new UpdateContext(operation, Step.CONFIRM, r.from(), to, layout,
        layout.release(to));
    try {
      config.healthCheck().check(context);
    } catch (Exception e) {
      UpdateException failure = Failures.translate(Step.CONFIRM, to, e);
      if (onFailure == OnFailure.KEEP_AWAITING) {
        LOG.info("{} is not confirmed yet: {}", to, failure.getMessage());
        return true;
      }
      rollBack(checking, "the health check of " + to + " failed: " + Failures.describe(e));
      return true;
    }
    Instant now = config.clock().instant();
    try {
      state.failure().clear();
    } catch (IOException e) {
      LOG.warn("Could not clear the earlier failure record: {}", e.toString());
    }
    Optional<Version> previous = operation == Operation.REPAIR ? r.previous() : r.from();
    String message = operation + " to " + to + " complete: confirmed by its new process";
    // The history before the journal, as State.complete does: recovery completes the rest.
    state.history().append(new HistoryEntry(now, operation, r.from(), Optional.of(to),
        Outcome.SUCCEEDED, Optional.empty(), message));
    write(checking.complete(previous, now));
    FaultPoints.hit("confirm-after-complete");
    if (operation == Operation.INSTALL) {
      state.liftQuarantine(to);
    }
    LOG.info("{}", message);
    state.events().emit(new UpdateEvent.Completed(operation, r.from(), to));
    return true;
  }

  /**
   * Puts the release before {@code r} back ({@link Reversal}), records why, then restarts it
   * (unless this process already runs it).
   */
  private void rollBack(JournalRecord r, String why) {
    Version to = r.to().orElseThrow();
    Optional<Version> back = r.from();
    Operation operation = r.operation().orElse(Operation.INSTALL);
    String reason = decider.isEmpty() ? why : why + " (decided by " + decider + ")";
    LOG.warn("Rolling back {}: {}", to, reason);
    // Without a restarter nothing is restarted, and the outcome must not say it is.
    boolean restart = back.isPresent() && !config.runningVersion().equals(back)
        && config.restarter() != Restarter.NONE;
    Reversal.Undo undo = new Reversal.Undo(operation, to, back, reason,
        r.step().orElse(Step.RESTART),
        restart ? Reversal.Restart.AFTER_RECORDING : Reversal.Restart.NONE);
    reversal.putBack(undo, () -> {
      Instant now = config.clock().instant();
      String message = undo.outcome();
      UpdateException failure = new UpdateException(Reason.HEALTH_CHECK_FAILED, Step.CONFIRM,
          message, null);
      state.endRestored(r, new UpdateStatus.Failure(Reason.HEALTH_CHECK_FAILED,
          Optional.of(Step.CONFIRM), message, now), new HistoryEntry(now, operation, back,
          Optional.of(to), Outcome.ROLLED_BACK, Optional.of(Reason.HEALTH_CHECK_FAILED), message));
      state.events().emit(new UpdateEvent.Failed(operation, back, to, failure));
      LOG.warn("Rolled back: {}", message);
    });
  }

  private void write(JournalRecord r) {
    try {
      state.journal().write(r);
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot write the journal "
          + state.journal().file() + ": " + Failures.describe(e), e);
    }
  }
}
