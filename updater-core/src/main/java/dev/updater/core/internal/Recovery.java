package dev.updater.core.internal;

import dev.updater.core.HistoryEntry;
import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.Step;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Version;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings an install back to exactly the old or exactly the new release after a process died in
 * the middle of an operation. Runs under the update lock, so the operation it finds unfinished
 * cannot be running anywhere. Not API.
 *
 * <p>The rule is conservative and never guesses "committed": an operation that journalled the start
 * of its switch is put back ({@link Reversal}) to the release that was live before it; one that
 * did not has its staged files removed, and the release that was live stays live. A release that
 * was handed to a restarter and awaits confirmation from its own new process (the journal holds a
 * deadline) is left to {@link Confirmation}. Only a written record of success is taken as one: an
 * operation whose success the history records after its last journal write (the history is
 * written first, then the journal's completion) is recorded complete. Undoing an interruption
 * quarantines nothing: it is not the release's fault, and the next check offers it again (only a
 * release that failed its confirmation, rolled back by {@link Confirmation}, is quarantined).
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private final State state;
  private final Clock clock;
  private final Confirmation confirmation;
  private final Reversal reversal;

  Recovery(State state, Clock clock, Confirmation confirmation, Reversal reversal) {
    this.state = state;
    this.clock = clock;
    this.confirmation = confirmation;
    this.reversal = reversal;
  }

  /** Recovers an unfinished operation; returns true when there was one (or a damaged journal). */
  boolean recover() {
    JournalRecord record;
    try {
      record = state.journal().read().orElse(null);
    } catch (Journal.CorruptJournalException e) {
      return recoverFromCorruptJournal(e);
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot read the journal "
          + state.journal().file() + ": " + Failures.describe(e), e);
    }
    if (record == null || !record.unfinished()) {
      return false;
    }
    if (succeededBeforeTheCrash(record)) {
      completeFromHistory(record);
      return true;
    }
    if (record.awaitsConfirmationAcrossRestart()) {
      return confirmation.decide(record); // not interrupted: handed to the restarted process
    }
    Version to = record.to().orElseThrow(() -> new UpdateException(Reason.IO_ERROR,
        "the journal records an unfinished operation without a target; repair it by hand"));
    Operation operation = record.operation().orElse(Operation.INSTALL);
    Step step = record.step().orElse(Step.CHECK);
    String what = operation + " to " + to + " was interrupted during " + step;
    LOG.warn("{}; recovering", what);
    if (record.activation()) {
      Reversal.Undo undo = new Reversal.Undo(Operation.RECOVERY, to, record.from(), what, step,
          Reversal.Restart.ifRestarted(record.from(), step), Reversal.Fault.INTERRUPTION);
      reversal.putBack(undo, () -> end(record, step, Outcome.ROLLED_BACK, undo.outcome()));
    } else {
      state.discardStaged(record);
      end(record, step, Outcome.FAILED, what + "; its staged files were removed and "
          + record.from().map(v -> v + " stayed live").orElse("no release was made live"));
    }
    return true;
  }

  /**
   * True when the history's last entry (refusals aside) records the success of the operation
   * {@code r} describes, written after {@code r}: the process died between that entry and the
   * journal's completion, with every step done and the new release live.
   */
  private boolean succeededBeforeTheCrash(JournalRecord r) {
    List<HistoryEntry> history;
    try {
      history = state.history().read();
    } catch (IOException e) {
      LOG.warn("Could not read the update history: {}", e.toString());
      return false;
    }
    Optional<HistoryEntry> last = history.stream()
        .filter(e -> e.outcome() != Outcome.REFUSED).reduce((a, b) -> b);
    return last.isPresent() && last.get().outcome() == Outcome.SUCCEEDED
        && last.get().operation() == r.operation().orElse(null)
        && last.get().from().equals(r.from()) && last.get().to().equals(r.to())
        && !last.get().at().isBefore(r.updatedAt()) && state.active().equals(r.to());
  }

  /** Completes in the journal the operation {@code r} that the history records as succeeded. */
  private void completeFromHistory(JournalRecord r) {
    Operation operation = r.operation().orElseThrow();
    Version to = r.to().orElseThrow();
    Optional<Version> previous = operation == Operation.REPAIR ? r.previous() : r.from();
    try {
      state.failure().clear();
    } catch (IOException e) {
      LOG.warn("Could not clear the earlier failure record: {}", e.toString());
    }
    try {
      state.journal().write(r.complete(previous, clock.instant()));
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot write the journal "
          + state.journal().file() + ": " + Failures.describe(e) + "; make "
          + state.journal().file().getParent() + " writable", e);
    }
    if (operation == Operation.INSTALL) {
      state.liftQuarantine(to);
    }
    LOG.warn("{} to {} had succeeded when its process died before the journal recorded it; "
        + "recorded it complete", operation, to);
  }

  /** Ends the interrupted operation {@code r} in the journal and records {@code message}. */
  private void end(JournalRecord r, Step step, Outcome outcome, String message) {
    Instant now = clock.instant();
    state.endRestored(r, new UpdateStatus.Failure(Reason.INTERRUPTED, Optional.of(step), message,
        now), new HistoryEntry(now, Operation.RECOVERY, r.from(), r.to(), outcome,
        Optional.of(Reason.INTERRUPTED), message));
    LOG.warn("Recovered: {}", message);
  }

  private boolean recoverFromCorruptJournal(IOException e) {
    String message = "the journal was unreadable (" + Failures.describe(e) + "); the live release"
        + " was kept as it is, staged files were removed, and a fresh journal was written";
    LOG.error("{}", message);
    state.discardStaged(JournalRecord.idle(clock.instant()));
    Optional<Version> live = state.active();
    JournalRecord fresh = new JournalRecord(
        live.isPresent() ? UpdateStatus.State.COMPLETE : UpdateStatus.State.IDLE, Optional.empty(),
        Optional.empty(), live, live, Optional.empty(), false, false, Optional.empty(),
        Optional.empty(), 0, clock.instant());
    write(fresh, new UpdateStatus.Failure(Reason.INTERRUPTED, Optional.empty(), message,
        clock.instant()));
    state.history().append(new HistoryEntry(clock.instant(), Operation.RECOVERY, live, live,
        Outcome.FAILED, Optional.of(Reason.INTERRUPTED), message));
    return true;
  }

  private void write(JournalRecord record, UpdateStatus.Failure failure) {
    try {
      state.journal().write(record);
      state.failure().write(failure);
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot write the journal "
          + state.journal().file() + ": " + Failures.describe(e) + "; make "
          + state.journal().file().getParent() + " writable", e);
    }
  }
}
