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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings an install back to exactly the old or exactly the new release after a process died in the
 * middle of an operation. Runs under the update lock, so the operation it finds unfinished cannot be
 * running anywhere. Not API.
 *
 * <p>The rule is conservative and never guesses "committed": an operation that journalled the start
 * of its switch is reverted to the release that was live before it; one that did not has its
 * staged files removed, and the release that was live stays live. The one exception is a release
 * that was handed to a restarter and awaits confirmation from its own new process (the journal
 * holds a deadline): {@link Confirmation} decides about it instead.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private final State state;
  private final Clock clock;
  private final Confirmation confirmation;

  Recovery(State state, Clock clock, Confirmation confirmation) {
    this.state = state;
    this.clock = clock;
    this.confirmation = confirmation;
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
    if (record.awaitsConfirmationAcrossRestart()) {
      return confirmation.decide(record); // not interrupted: handed to the restarted process
    }
    Version to = record.to().orElseThrow(() -> new UpdateException(Reason.IO_ERROR,
        "the journal records an unfinished operation without a target; repair it by hand"));
    Operation operation = record.operation().orElse(Operation.INSTALL);
    Step step = record.step().orElse(Step.CHECK);
    String what = operation + " to " + to + " was interrupted during " + step;
    LOG.warn("{}; recovering", what);
    Outcome outcome;
    String message;
    if (record.activation()) {
      try {
        state.revert(Operation.RECOVERY, to, record.from(), step, what);
      } catch (Exception e) {
        throw new UpdateException(Reason.IO_ERROR, step, what + ", and putting "
            + record.from().map(Version::toString).orElse("the install") + " back failed: "
            + Failures.describe(e) + "; fix the cause and start again", e);
      }
      outcome = Outcome.ROLLED_BACK;
      message = what + "; " + record.from().map(v -> v + " is live again")
          .orElse("no release is live again");
    } else {
      state.discardStaged(record);
      outcome = Outcome.FAILED;
      message = what + "; its staged files were removed and "
          + record.from().map(v -> v + " stayed live").orElse("no release was made live");
    }
    write(record.restored(clock.instant()), new UpdateStatus.Failure(Reason.INTERRUPTED,
        Optional.of(step), message, clock.instant()));
    state.history().append(new HistoryEntry(clock.instant(), Operation.RECOVERY, record.from(),
        Optional.of(to), outcome, Optional.of(Reason.INTERRUPTED), message));
    LOG.warn("Recovered: {}", message);
    return true;
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
