package dev.updater.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the updater's state for one install, as an admin panel or {@code status} command
 * shows it. Read from the journal, so it survives restarts.
 *
 * <pre>{@code
 * UpdateStatus s = updater.status();
 * System.out.println(s.phase().statusName() + " installed=" + s.installed().orElse(null));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param state where the last operation stands
 * @param phase the status name an admin page shows, such as {@code downloading}
 * @param step the step running or failed, if any
 * @param installed the version {@code current} points at, if any
 * @param running the version of the running process, when the host told the builder
 * @param previous the release a rollback would return to, if one is recorded
 * @param target the version the last operation aimed at, if any
 * @param error the failure of the last operation, if it failed
 * @param progress bytes done in the running step, when this process runs it
 * @param updatedAt when the journal was last written, if ever
 * @param revoked the publisher's revocation of the installed release, as the last check read it
 *     from the channel's index ({@link Revocation}); empty when it is not revoked
 */
public record UpdateStatus(
    State state,
    Phase phase,
    Optional<Step> step,
    Optional<Version> installed,
    Optional<Version> running,
    Optional<Version> previous,
    Optional<Version> target,
    Optional<Failure> error,
    Optional<UpdateEvent.Progress> progress,
    Optional<Instant> updatedAt,
    Optional<Revocation> revoked) {

  /** A status of an installed release that is not revoked. */
  public UpdateStatus(State state, Phase phase, Optional<Step> step, Optional<Version> installed,
      Optional<Version> running, Optional<Version> previous, Optional<Version> target,
      Optional<Failure> error, Optional<UpdateEvent.Progress> progress,
      Optional<Instant> updatedAt) {
    this(state, phase, step, installed, running, previous, target, error, progress, updatedAt,
        Optional.empty());
  }

  /** Where the last operation stands. */
  public enum State {
    /** Nothing has run, or the last result was cleared. */
    IDLE,
    /** An operation is running (here or in another process holding the lock). */
    IN_PROGRESS,
    /** The new release is active and restarting; it has not confirmed it is healthy yet. */
    AWAITING_CONFIRMATION,
    /** The last operation finished successfully. */
    COMPLETE,
    /** The last operation failed; {@link #error()} says why. */
    FAILED,
    /**
     * A release failed and the release put back in its place failed too (its restart or its
     * health check): no release is known to work, so the updater stopped and restarts nothing
     * more on its own. {@link #error()} says what happened and what to do; a successful repair,
     * rollback or install (or {@code clearError()}) ends this state.
     */
    NEEDS_OPERATOR
  }

  /**
   * Why the last operation failed.
   *
   * @param reason the machine-readable reason
   * @param step the failing step, if a step was running
   * @param message what went wrong and what to do
   * @param at when it failed
   */
  public record Failure(UpdateException.Reason reason, Optional<Step> step, String message,
      Instant at) {
    public Failure {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(at, "at");
    }
  }

  public UpdateStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(installed, "installed");
    Objects.requireNonNull(running, "running");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(revoked, "revoked");
  }

  /** True when the installed release differs from the one this process runs. */
  public boolean restartRequired() {
    return running.isPresent() && installed.isPresent() && !running.equals(installed);
  }

  /** True when no release is known to work and a person must act ({@link State#NEEDS_OPERATOR}). */
  public boolean needsOperator() {
    return state == State.NEEDS_OPERATOR;
  }

  /** True when a rollback is possible now: a previous release is recorded and nothing runs. */
  public boolean canRollBack() {
    return previous.isPresent() && state != State.IN_PROGRESS
        && state != State.AWAITING_CONFIRMATION;
  }
}
