package dev.updater.core.internal;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an install back after a release went live and then failed: the one way an install is
 * undone, used by a failed operation ({@link Pipeline}), a failed or overdue boot confirmation
 * ({@link Confirmation}) and crash recovery ({@link Recovery}). Runs under the update lock. Not
 * API.
 *
 * <p>In order: quarantines the failed release when an install brought it and it failed (before
 * anything else, so that a put-back which fails and is retried by recovery, which never
 * quarantines, cannot skip it; an interrupted operation quarantines nothing); makes the release
 * before it live again, or none when there was none; announces {@link UpdateEvent.RolledBack};
 * restarts the release put back when the caller asks for it before the recording; lets the caller
 * record the end of the operation (journal, failure record, history); restarts the release put
 * back when asked for it after the recording (the restart may end this process, which must not
 * repeat the put-back); health-checks a release it restarted before the recording, and when
 * that release fails too (its restart or its health check), records that the install needs an
 * operator instead of trying again.
 *
 * <p>Stateless apart from its collaborators; thread-safe as far as the lock makes it.
 */
final class Reversal {
  private static final Logger LOG = LoggerFactory.getLogger(Reversal.class);

  /** When the release put back is restarted, if at all. */
  enum Restart {
    /** Not restarted: it never stopped running, or this process already runs it. */
    NONE,
    /**
     * Before the put-back is recorded: a process that dies during the restart leaves the
     * operation unfinished in the journal, so that the next start retries all of it; a restart
     * that fails leaves the install needing an operator.
     */
    BEFORE_RECORDING,
    /**
     * After the put-back is recorded, since the restart may end this process; a failed restart
     * leaves the install needing an operator and is not retried.
     */
    AFTER_RECORDING;

    /**
     * {@link #BEFORE_RECORDING} when there is a release to put back and the failed one was
     * restarted into ({@code reached} the RESTART step or later), else {@link #NONE}.
     */
    static Restart ifRestarted(Optional<Version> back, Step reached) {
      return back.isPresent() && reached.compareTo(Step.RESTART) >= 0 ? BEFORE_RECORDING : NONE;
    }
  }

  /** Whose fault the put-back is: only a release that ran and failed is quarantined. */
  enum Fault {
    /** The release failed after it went live (a hook, migration, guard, restart or check). */
    RELEASE,
    /**
     * The operation was interrupted (its thread, or its process by a crash): the release is not
     * to blame, and the next check offers it again.
     */
    INTERRUPTION;

    /** {@link #INTERRUPTION} for a failure of reason {@code INTERRUPTED}, else {@link #RELEASE}. */
    static Fault of(UpdateException e) {
      return e.reason() == Reason.INTERRUPTED ? INTERRUPTION : RELEASE;
    }
  }

  /**
   * One put-back.
   *
   * @param operation the operation the put-back is announced as (the failed one, or recovery)
   * @param failed the release that went live and failed
   * @param back the release to make live again; empty to leave no release live
   * @param why why, for the log, the event, the quarantine and the messages
   * @param reached the step the failed operation had reached
   * @param restart when the release put back is restarted
   * @param fault whose fault it is; an install's release is quarantined for {@link Fault#RELEASE}
   */
  record Undo(Operation operation, Version failed, Optional<Version> back, String why,
      Step reached, Restart restart, Fault fault) {

    /** A put-back after the release failed ({@link Fault#RELEASE}). */
    Undo(Operation operation, Version failed, Optional<Version> back, String why, Step reached,
        Restart restart) {
      this(operation, failed, back, why, reached, restart, Fault.RELEASE);
    }

    /** {@code why} and what the install is after the put-back. */
    String outcome() {
      return why + "; " + back.map(v -> v + " is live again"
          + (restart == Restart.AFTER_RECORDING ? " and is restarted" : ""))
          .orElse("no release is live again");
    }
  }

  private final UpdaterConfig config;
  private final State state;
  private final Layout layout;

  Reversal(UpdaterConfig config, State state) {
    this.config = config;
    this.state = state;
    this.layout = config.layout();
  }

  /**
   * Puts {@code undo} back; {@code recording} records the end of the operation once the release
   * is live again (and restarted, for {@link Restart#BEFORE_RECORDING}, then health-checked).
   * When the restart of the release put back fails, or its health check does, no release is
   * known to work, and the install is left needing an operator ({@link State#operatorNeeded}):
   * nothing is retried, restarted or installed on its own after that.
   *
   * @return what an operator is told, when the release put back failed too; empty when it was
   *     not restarted, or was restarted and passed its health check
   * @throws UpdateException {@code IO_ERROR} when the switch back failed (nothing was recorded:
   *     the journal still holds the operation, so the next start retries); whatever {@code
   *     recording} throws
   */
  Optional<String> putBack(Undo undo, Runnable recording) {
    if (undo.operation() == Operation.INSTALL && undo.fault() == Fault.RELEASE) {
      state.quarantine(undo.failed(), undo.why(), undo.back());
    }
    try {
      switchBack(undo);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new UpdateException(Reason.IO_ERROR, undo.reached(), undo.why() + ", and putting "
          + undo.back().map(Version::toString).orElse("the install") + " back failed: "
          + Failures.describe(e) + "; fix the cause, and the next start tries again", e);
    }
    Optional<UpdateException> backFailed = Optional.empty();
    if (undo.restart() == Restart.BEFORE_RECORDING) {
      backFailed = restartAndCheck(undo, Check.HEALTH);
    }
    recording.run();
    if (undo.restart() == Restart.AFTER_RECORDING) {
      FaultPoints.hit("rollback-before-restart");
      // This restart usually ends this process, or hands over to one that starts later: a
      // health check from here could see the failed release still answering.
      backFailed = restartAndCheck(undo, Check.NONE);
    }
    return backFailed.map(f -> state.operatorNeeded(undo.operation(), undo.failed(),
        undo.back().orElseThrow(), undo.why(), f));
  }

  /** Whether the release put back is health-checked after its restart. */
  private enum Check {
    HEALTH,
    NONE
  }

  /**
   * Restarts the release put back and runs the health check on it when {@code check} says so;
   * returns how it failed, if it did. Never throws.
   */
  private Optional<UpdateException> restartAndCheck(Undo undo, Check check) {
    Version back = undo.back().orElseThrow();
    try {
      config.restarter().restart(context(undo, Step.RESTART));
    } catch (Exception e) {
      return Optional.of(backFailure(Reason.RESTART_FAILED, Step.RESTART,
          "restarting " + back + " failed", e));
    }
    if (check == Check.NONE) {
      return Optional.empty();
    }
    try {
      config.healthCheck().check(context(undo, Step.CONFIRM));
    } catch (Exception e) {
      return Optional.of(backFailure(Reason.HEALTH_CHECK_FAILED, Step.CONFIRM,
          "the health check of " + back + " failed", e));
    }
    return Optional.empty();
  }

  private static UpdateException backFailure(Reason reason, Step step, String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    LOG.error("The release put back failed too: {}: {}", what, Failures.describe(e));
    return new UpdateException(reason, step, what + ": " + Failures.describe(e), e);
  }

  /** Makes the release before the failed one live again, or none, and announces it. */
  private void switchBack(Undo undo) throws Exception {
    if (undo.back().isPresent()) {
      config.activator().activate(undo.back().get());
    } else {
      config.activator().deactivate();
    }
    FaultPoints.hit("after-revert");
    LOG.warn("Switched back from {} to {}: {}", undo.failed(),
        undo.back().map(Version::toString).orElse("(none)"), undo.why());
    state.events().emit(new UpdateEvent.RolledBack(undo.operation(), undo.failed(), undo.back(),
        undo.why()));
  }

  private UpdateContext context(Undo undo, Step step) {
    Version back = undo.back().orElseThrow();
    return new UpdateContext(undo.operation(), step, Optional.of(undo.failed()), back, layout,
        layout.release(back));
  }
}
