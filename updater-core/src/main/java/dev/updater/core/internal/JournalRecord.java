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
 * @param confirmBy while a restarted release awaits confirmation from its own new process: the
 *     time by which it must confirm, or be reverted; empty when the operation confirms in-process
 * @param starts how many processes of {@code to} started while it awaited confirmation (the
 *     crash-loop count)
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
    Optional<Instant> confirmBy,
    int starts,
    Instant updatedAt) {

  /** The schema version written into the file, for later releases of the library to read. */
  static final int SCHEMA = 1;

  static JournalRecord idle(Instant now) {
    return new JournalRecord(State.IDLE, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), false, false, Optional.empty(), Optional.empty(), 0,
        now);
  }

  /** True while an operation has begun and not ended (here or in a process that died). */
  boolean unfinished() {
    return state == State.IN_PROGRESS || state == State.AWAITING_CONFIRMATION;
  }

  JournalRecord begin(Operation op, Optional<Version> from, Version to, Instant now) {
    return new JournalRecord(State.IN_PROGRESS, Optional.of(op), Optional.of(Step.CHECK), from,
        Optional.of(to), previous, false, false, Optional.empty(), Optional.empty(), 0, now);
  }

  JournalRecord atStep(Step s, Instant now) {
    State st = s == Step.RESTART || s == Step.CONFIRM ? State.AWAITING_CONFIRMATION : state;
    return new JournalRecord(st, operation, Optional.of(s), from, to, previous, activation,
        published, staging, confirmBy, starts, now);
  }

  JournalRecord withStaging(Optional<String> dir, Instant now) {
    return new JournalRecord(state, operation, step, from, to, previous, activation, published,
        dir, confirmBy, starts, now);
  }

  /** The operation is about to rename its staged tree to {@code releases/<to>}. */
  JournalRecord publishing(Instant now) {
    return new JournalRecord(state, operation, step, from, to, previous, activation, true,
        staging, confirmBy, starts, now);
  }

  /** The switch to {@code to} may happen from now on: recovery reverts it. */
  JournalRecord activating(Instant now) {
    return new JournalRecord(state, operation, step, from, to, previous, true, published,
        staging, confirmBy, starts, now);
  }

  /**
   * The release is about to be restarted into and must confirm from its own new process by
   * {@code deadline}: awaiting confirmation at {@link Step#RESTART}, no start counted yet.
   */
  JournalRecord awaitingConfirmation(Instant deadline, Instant now) {
    return new JournalRecord(State.AWAITING_CONFIRMATION, operation, Optional.of(Step.RESTART),
        from, to, previous, activation, published, staging, Optional.of(deadline), 0, now);
  }

  /** One more process of {@code to} started while it awaited confirmation. */
  JournalRecord withOneMoreStart(Instant now) {
    return new JournalRecord(state, operation, step, from, to, previous, activation, published,
        staging, confirmBy, starts + 1, now);
  }

  /**
   * True when the release awaits confirmation from a process of its own (the restart was handed to
   * a restarter); false for an operation that confirms in-process, which recovery reverts at once.
   */
  boolean awaitsConfirmationAcrossRestart() {
    return state == State.AWAITING_CONFIRMATION && confirmBy.isPresent();
  }

  /** The operation succeeded: {@code to} is live and {@code newPrevious} is the rollback target. */
  JournalRecord complete(Optional<Version> newPrevious, Instant now) {
    return new JournalRecord(State.COMPLETE, operation, Optional.empty(), from, to, newPrevious,
        false, false, Optional.empty(), Optional.empty(), 0, now);
  }

  /**
   * What the journal says after recovery put the install back at {@code from}: no operation in
   * flight, the rollback target unchanged.
   */
  JournalRecord restored(Instant now) {
    return new JournalRecord(from.isPresent() ? State.COMPLETE : State.IDLE, Optional.empty(),
        Optional.empty(), from, from, previous, false, false, Optional.empty(), Optional.empty(), 0,
        now);
  }
}
