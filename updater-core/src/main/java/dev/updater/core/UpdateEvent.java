package dev.updater.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Something the updater did, delivered to every {@link UpdateListener} on the thread running the
 * operation.
 *
 * <p>Order for one install: {@link Started}, then for each step that runs {@link StepStarted},
 * any number of {@link Progress}, {@link StepCompleted}; then exactly one of {@link Completed} or
 * {@link Failed}. A failure after activation is followed by {@link RolledBack} before
 * {@link Failed}. {@link Updater#rollback()} emits {@link Started} and then {@link RolledBack} or
 * {@link Failed}.
 */
public sealed interface UpdateEvent {

  /** The operation this event belongs to. */
  Operation operation();

  /** What the updater was asked to do. */
  enum Operation { INSTALL, ROLLBACK, REPAIR, RECOVERY }

  /** An operation started; {@code to} is the version it aims at. */
  record Started(Operation operation, Optional<Version> from, Version to) implements UpdateEvent {
    public Started {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** A step began. */
  record StepStarted(Operation operation, Step step, Version target) implements UpdateEvent {
    /** The phase this step reports as: the status name an admin page shows. */
    public Phase phase() {
      return step.phase();
    }
  }

  /** Bytes done so far in a step; {@code total} is empty when unknown. */
  record Progress(Operation operation, Step step, long done, OptionalLong total)
      implements UpdateEvent {}

  /** A step ended without error. */
  record StepCompleted(Operation operation, Step step, Version target) implements UpdateEvent {}

  /** The operation finished: {@code to} is active and confirmed. */
  record Completed(Operation operation, Optional<Version> from, Version to)
      implements UpdateEvent {}

  /** The live release was switched back from {@code from} to {@code to} (or to none). */
  record RolledBack(Operation operation, Version from, Optional<Version> to, String why)
      implements UpdateEvent {}

  /** The operation failed with {@code error}; the journal and history hold the same. */
  record Failed(Operation operation, Optional<Version> from, Version to, UpdateException error)
      implements UpdateEvent {}
}
