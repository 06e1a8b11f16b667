package dev.updater.core.internal;

import dev.updater.core.Step;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Version;
import java.time.Instant;
import java.util.Optional;

/**
 * One state of the journal: the install's committed state (the rollback target) and the operation
 * in flight, with what recovery must know to put the install back (the live version before it,
 * whether the switch may have happened, whether it published a release directory). A failed
 * operation is not recorded here: the journal is put back to its bytes from before the operation,
 * and the failure goes to {@link FailureFile}. Immutable; the {@code with...} methods return
 * changed copies. Not API.
 *
 * @param state where the operation stands
 * @param operation the operation the record describes, if any ran
 * @param step the step running (or failed)
 * @param from the live version before the operation: the version recovery returns to
 * @param to the version the operation aims at
 * @param previous the release {@code rollback()} returns to, in the steady state
 * @param activation true from just before the switch until the operation ends
 * @param published true when this operation created {@code releases/<to>} and has not activated it
 * @param staging the staging directory this operation owns, relative to the home, if any
 * @param updatedAt when this record was written
 */
record JournalRecord(
    State state,
    Optional<Operation> operation,
    Optional<Step> step,
    Optional<Version> from,
    Optional<Version> to,
    Optional<Version> previous,
    boolean activation,
    boolean published,
    Optional<String> staging,
    Instant updatedAt) {

  /** The schema version written into the file, for later releases of the library to read. */
  static final int SCHEMA = 1;

  static JournalRecord idle(Instant now) {
    return new JournalRecord(State.IDLE, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), false, false, Optional.empty(), now);
  }

  /** True while an operation has begun and not ended (here or in a process that died). */
  boolean unfinished() {
    return state == State.IN_PROGRESS || state == State.AWAITING_CONFIRMATION;
  }

  JournalRecord begin(Operation op, Optional<Version> from, Version to, Instant now) {
    return new JournalRecord(State.IN_PROGRESS, Optional.of(op), Optional.of(Step.CHECK), from,
        Optional.of(to), previous, false, false, Optional.empty(), now);
  }

  JournalRecord atStep(Step s, Instant now) {
    State st = s == Step.RESTART || s == Step.CONFIRM ? State.AWAITING_CONFIRMATION : state;
    return new JournalRecord(st, operation, Optional.of(s), from, to, previous, activation,
        published, staging, now);
  }

  JournalRecord withStaging(Optional<String> dir, Instant now) {
    return new JournalRecord(state, operation, step, from, to, previous, activation, published,
        dir, now);
  }

  JournalRecord withPublished(boolean value, Instant now) {
    return new JournalRecord(state, operation, step, from, to, previous, activation, value,
        staging, now);
  }

  JournalRecord withActivation(boolean value, Instant now) {
    return new JournalRecord(state, operation, step, from, to, previous, value, published,
        staging, now);
  }

  /** The operation succeeded: {@code to} is live and {@code newPrevious} is the rollback target. */
  JournalRecord complete(Optional<Version> newPrevious, Instant now) {
    return new JournalRecord(State.COMPLETE, operation, Optional.empty(), from, to, newPrevious,
        false, false, Optional.empty(), now);
  }

  /**
   * What the journal says after recovery put the install back at {@code from}: no operation in
   * flight, the rollback target unchanged.
   */
  JournalRecord restored(Instant now) {
    return new JournalRecord(from.isPresent() ? State.COMPLETE : State.IDLE, Optional.empty(),
        Optional.empty(), from, from, previous, false, false, Optional.empty(), now);
  }
}
