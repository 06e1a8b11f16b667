package dev.updater.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the install's history: an update, rollback, repair, recovery or refusal, kept in
 * {@code .updater/history.jsonl} and read with {@link Updater#history()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param at when the operation ended
 * @param operation what was asked
 * @param from the live version before, if any
 * @param to the version aimed at
 * @param outcome how it ended
 * @param reason the failure reason, when it did not succeed
 * @param message a human-readable summary
 */
public record HistoryEntry(
    Instant at,
    UpdateEvent.Operation operation,
    Optional<Version> from,
    Optional<Version> to,
    Outcome outcome,
    Optional<UpdateException.Reason> reason,
    String message) {

  /** How an operation ended. */
  public enum Outcome {
    /** It did what was asked. */
    SUCCEEDED,
    /** A gate refused it before anything changed. */
    REFUSED,
    /** It failed; nothing had changed or the change was undone (see the message). */
    FAILED,
    /** It failed after activation and the previous release was put back. */
    ROLLED_BACK
  }

  public HistoryEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
