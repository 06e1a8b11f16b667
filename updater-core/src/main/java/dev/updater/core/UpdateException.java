package dev.updater.core;

import java.util.Objects;
import java.util.Optional;

/**
 * The one exception the updater throws: a machine-readable {@link Reason}, the {@link Step} that
 * failed (when a step was running), a message that says what is wrong and what to do, and the
 * cause.
 *
 * <p>When this exception leaves {@link Updater#install}, the install is exactly as it was before the
 * call, or was put back to that state (the message says which); the journal and history record the
 * failure.
 *
 * <pre>{@code
 * try {
 *   updater.install(release);
 * } catch (UpdateException e) {
 *   int status = e.reason().isConflict() ? 409 : 500;
 *   ...
 * }
 * }</pre>
 */
public final class UpdateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an update operation did not go through. */
  public enum Reason {
    /** Another update, rollback or repair holds the lock. */
    LOCKED(true),
    /** The release cannot run on this install (database provider, upgrade path, custom gate). */
    INCOMPATIBLE(true),
    /** The release is older than the installed one and no downgrade was asked for. */
    DOWNGRADE_REFUSED(true),
    /** The operation needs state that is not there, such as a rollback without a previous release. */
    INVALID_STATE(true),
    /** Not enough free disk space to download and stage the release. */
    INSUFFICIENT_SPACE(false),
    /** The update repository could not be read, or does not list what was asked for. */
    SOURCE_UNAVAILABLE(false),
    /** The artifact or metadata failed a size, digest or signature check. */
    VERIFICATION_FAILED(false),
    /** The archive is unsafe or corrupt (traversal, links, devices, duplicates, bombs). */
    ARCHIVE_REJECTED(false),
    /** The install directory is not in a state the activator can switch safely. */
    INVALID_LAYOUT(false),
    /** A guard saw data disappear during migration; the activation was reverted. */
    DATA_LOSS(false),
    /** The migration runner failed; the activation was reverted. */
    MIGRATION_FAILED(false),
    /** The restarter could not get the new code running. */
    RESTART_FAILED(false),
    /** The new version did not pass its health check; the previous release was reactivated. */
    HEALTH_CHECK_FAILED(false),
    /** A host's hook failed. */
    HOOK_FAILED(false),
    /** An earlier update was interrupted (crash, kill) and was recovered to the last safe state. */
    INTERRUPTED(false),
    /** Reading or writing the install directory or the updater state failed. */
    IO_ERROR(false);

    private final boolean conflict;

    Reason(boolean conflict) {
      this.conflict = conflict;
    }

    /**
     * True when the request conflicts with the install's current state rather than failing while
     * running; a web host maps these to HTTP 409.
     */
    public boolean isConflict() {
      return conflict;
    }
  }

  private final Reason reason;
  private final Step step;

  /** Creates an exception for a failure outside any step. */
  public UpdateException(Reason reason, String message) {
    this(reason, null, message, null);
  }

  /**
   * Creates an exception.
   *
   * @param reason why the operation failed
   * @param step the failing step, or {@code null} when no step was running
   * @param message what is wrong and what to do
   * @param cause the underlying failure, or {@code null}
   */
  public UpdateException(Reason reason, Step step, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.step = step;
  }

  /** The machine-readable reason. */
  public Reason reason() {
    return reason;
  }

  /** The step that failed, if a step was running. */
  public Optional<Step> step() {
    return Optional.ofNullable(step);
  }

  /** The phase to report: the failing step's phase, or {@link Phase#CHECKING} before any step. */
  public Phase phase() {
    return step == null ? Phase.CHECKING : step.phase();
  }
}
