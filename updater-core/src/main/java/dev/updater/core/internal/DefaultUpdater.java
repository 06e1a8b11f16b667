package dev.updater.core.internal;

import dev.updater.core.Artifact;
import dev.updater.core.CheckReport;
import dev.updater.core.HistoryEntry;
import dev.updater.core.Layout;
import dev.updater.core.Phase;
import dev.updater.core.QuarantinedRelease;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateMode;
import dev.updater.core.UpdateResult;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.Lease;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Updater} implementation: takes the lock, recovers what a dead process left, and hands
 * the operation to the {@link Pipeline}. Not API.
 */
public final class DefaultUpdater implements Updater {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultUpdater.class);

  private final UpdaterConfig config;
  private final dev.updater.core.internal.State state;
  private final Pipeline pipeline;
  private final Recovery recovery;
  private final Checker checker;
  private final Confirmation confirmation;

  public DefaultUpdater(UpdaterConfig config) {
    this.config = config;
    this.state = new dev.updater.core.internal.State(config, new Events(config.listeners()));
    Rollout rollout = new Rollout(config.layout().state().resolve("install-id"));
    Gates gates = new Gates(config, rollout, state.revocations());
    Reversal reversal = new Reversal(config, state);
    this.pipeline = new Pipeline(config, state, gates, reversal);
    this.confirmation = new Confirmation(config, state, reversal);
    this.recovery = new Recovery(state, config.clock(), confirmation, reversal);
    this.checker = new Checker(config, state, gates, rollout,
        new TrustState(config.layout().state().resolve("trust.json")));
  }

  @Override
  public Optional<Release> check(boolean force) {
    recoverAbandoned();
    state.sendPendingResults();
    return checker.check(Checker.Read.forced(force));
  }

  @Override
  public CheckReport report(boolean force) {
    recoverAbandoned();
    state.sendPendingResults();
    return checker.report(Checker.Read.forced(force));
  }

  @Override
  public Optional<Release> find(Version version) {
    Objects.requireNonNull(version, "version");
    return checker.find(version);
  }

  @Override
  public UpdateResult install(Release release) {
    Objects.requireNonNull(release, "release");
    return locked(Operation.INSTALL, release.version(),
        lease -> pipeline.install(release, Admission.UPDATE, lease));
  }

  @Override
  public UpdateResult downgrade(Release release) {
    Objects.requireNonNull(release, "release");
    return locked(Operation.INSTALL, release.version(),
        lease -> pipeline.install(release, Admission.DOWNGRADE, lease));
  }

  @Override
  public UpdateResult installOutsideRollout(Release release) {
    Objects.requireNonNull(release, "release");
    return locked(Operation.INSTALL, release.version(),
        lease -> pipeline.install(release, Admission.OUTSIDE_ROLLOUT, lease));
  }

  @Override
  public UpdateResult rollback() {
    return locked(Operation.ROLLBACK, null,
        lease -> pipeline.rollback(lease, Optional.empty(), "rolled back by request"));
  }

  @Override
  public UpdateResult rollback(Version version) {
    Objects.requireNonNull(version, "version");
    return locked(Operation.ROLLBACK, version,
        lease -> pipeline.rollback(lease, Optional.of(version), "rolled back by request"));
  }

  @Override
  public UpdateResult repair() {
    return locked(Operation.REPAIR, null, pipeline::repair);
  }

  @Override
  public void clearError() {
    locked(Operation.RECOVERY, null, lease -> {
      try {
        state.failure().clear();
      } catch (IOException e) {
        throw new UpdateException(Reason.IO_ERROR, null, "cannot remove the failure record in "
            + config.layout().state() + ": " + Failures.describe(e), e);
      }
      LOG.info("Cleared the failed status");
      return null;
    });
  }

  @Override
  public List<QuarantinedRelease> quarantined() {
    recoverAbandoned();
    return state.quarantine().above(state.active());
  }

  @Override
  public boolean unquarantine(Version version) {
    Objects.requireNonNull(version, "version");
    return locked(Operation.RECOVERY, null, lease -> {
      try {
        boolean lifted = state.quarantine().lift(version, state.active());
        if (!lifted) {
          LOG.info("{} is not quarantined; nothing to lift", version);
        }
        return lifted;
      } catch (IOException e) {
        throw new UpdateException(Reason.IO_ERROR, null, "cannot write the quarantine file "
            + state.quarantine().file() + ": " + Failures.describe(e) + "; make "
            + config.layout().state() + " writable", e);
      }
    });
  }

  @Override
  public boolean recover() {
    Optional<Lease> lease = tryAcquire();
    if (lease.isEmpty()) {
      return false; // a live process holds the lock: its operation is running, not abandoned
    }
    try {
      return recovery.recover();
    } finally {
      release(lease.get());
    }
  }

  /**
   * Before anything is judged against the live release: recovers an operation that a dead process
   * left unfinished. Killed after its switch, an install leaves {@code current} on a release that
   * recovery puts back; a check that compared the channel with that release would call the
   * install up to date, and the next install would stop on the release it was meant to replace.
   * Does nothing when no operation is unfinished, or when a live process holds the lock (its
   * operation is running, not abandoned).
   */
  private void recoverAbandoned() {
    try {
      Optional<JournalRecord> record = state.journal().read();
      if (record.isEmpty() || !record.get().unfinished()) {
        return;
      }
    } catch (Journal.CorruptJournalException e) {
      // recover() replaces it
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot read the journal "
          + state.journal().file() + ": " + Failures.describe(e), e);
    }
    recover();
  }

  @Override
  public UpdateStatus status() {
    JournalRecord record;
    try {
      record = state.journal().read().orElse(null);
      if (record != null && record.unfinished()) {
        settle(Confirmation.OnFailure.KEEP_AWAITING);
      }
    } catch (Journal.CorruptJournalException e) {
      recover();
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot read the journal: "
          + Failures.describe(e), e);
    }
    return snapshot();
  }

  @Override
  public UpdateStatus confirm() {
    settle(Confirmation.OnFailure.ROLL_BACK);
    state.sendPendingResults();
    return snapshot();
  }

  /**
   * Under the lock (when no live process holds it): recovers, and when this process runs the
   * release awaiting confirmation, confirms it. {@link #confirm()} ({@code ROLL_BACK}) always runs
   * the check and rolls back when it fails; {@link #status()} ({@code KEEP_AWAITING}) runs it only
   * when the awaited release is also the installed one, and a failure leaves it awaiting.
   */
  private void settle(Confirmation.OnFailure onFailure) {
    boolean explicit = onFailure == Confirmation.OnFailure.ROLL_BACK;
    Optional<Lease> lease = tryAcquire();
    if (lease.isEmpty()) {
      return; // a live process holds the lock: its operation (or confirmation) is running
    }
    try {
      recovery.recover();
      JournalRecord r = state.record();
      if (confirmation.mayConfirm(r) && (explicit || state.active().equals(r.to()))) {
        confirmation.confirm(r, onFailure);
      }
    } finally {
      release(lease.get());
    }
  }

  /** The status as the journal and failure record say now, without recovering. */
  private UpdateStatus snapshot() {
    JournalRecord record = state.record();
    Optional<UpdateStatus.Failure> failure =
        record.unfinished() ? Optional.empty() : state.failure().read();
    State shown = failure.isEmpty() ? record.state()
        : state.failure().operatorNeeded() ? State.NEEDS_OPERATOR : State.FAILED;
    return new UpdateStatus(shown, phaseOf(shown, record), failure.isPresent()
        ? failure.get().step() : record.step(), state.active(), config.runningVersion(),
        record.previous(), record.to(), failure,
        record.unfinished() ? state.events().progress() : Optional.empty(),
        Optional.of(record.updatedAt()), state.revocations().of(state.active()));
  }

  private static Phase phaseOf(State shown, JournalRecord record) {
    switch (shown) {
      case IN_PROGRESS:
      case AWAITING_CONFIRMATION:
        return record.step().map(s -> s.phase()).orElse(Phase.CHECKING);
      case COMPLETE:
        return Phase.COMPLETE;
      case FAILED:
      case NEEDS_OPERATOR:
        return Phase.ERROR;
      default:
        return Phase.IDLE;
    }
  }

  @Override
  public List<HistoryEntry> history() {
    try {
      return state.history().read();
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot read the update history: "
          + Failures.describe(e), e);
    }
  }

  @Override
  public Layout layout() {
    return config.layout();
  }

  @Override
  public UpdateMode mode() {
    return config.mode();
  }

  @Override
  public void prefetch(Release release) {
    Objects.requireNonNull(release, "release");
    try {
      state.prefetcher().prefetch(config.source(), artifactFor(release));
    } catch (IOException | RuntimeException e) {
      UpdateException u = Failures.translate(Step.DOWNLOAD, release.version(), e);
      LOG.warn("Pre-download of {} failed ({}): {}", release.version(), u.reason(),
          u.getMessage());
      throw u;
    }
  }

  @Override
  public boolean isPrefetched(Release release) {
    Objects.requireNonNull(release, "release");
    return state.prefetcher().has(artifactFor(release));
  }

  /** The artifact of {@code release} an install on this platform downloads. */
  private Artifact artifactFor(Release release) {
    return release.forPlatform(config.platform()).orElse(release).primaryArtifact();
  }

  /** Runs {@code action} under the update lock, after recovering an abandoned operation. */
  private <T> T locked(Operation operation, Version target, Function<LeaseKeeper, T> action) {
    Optional<Lease> lease = tryAcquire();
    if (lease.isEmpty()) {
      String holder = holderDescription();
      UpdateException e = new UpdateException(Reason.LOCKED, null, "another update, rollback or"
          + " repair is in progress" + holder + "; wait for it to finish, or for the lock to expire"
          + " after " + config.lockTtl(), null);
      throw refused(operation, target, e);
    }
    LeaseKeeper keeper = new LeaseKeeper(config.lockStore(), config.lockTtl(), lease.get());
    try {
      recovery.recover();
      if (operation != Operation.RECOVERY) {
        refuseWhileAwaitingConfirmation();
      }
      return action.apply(keeper);
    } catch (UpdateException e) {
      if (!keeper.hasBegun()) {
        // Refused on a precondition (nothing to roll back to, no live release, a broken layout):
        // nothing changed, but the refusal belongs in the history like every other.
        throw refused(operation, target, e);
      }
      throw e;
    } finally {
      // After a takeover this is a no-op: a lock store releases only the current token.
      release(keeper.lease());
    }
  }

  /** Logs and records a refused operation; returns the exception to throw. */
  private UpdateException refused(Operation operation, Version target, UpdateException e) {
    LOG.info("{} refused: {}", operation, e.getMessage());
    state.history().append(new HistoryEntry(config.clock().instant(), operation,
        Optional.empty(), Optional.ofNullable(target), HistoryEntry.Outcome.REFUSED,
        Optional.of(e.reason()), e.getMessage()));
    return e;
  }

  /** A restarted release still awaits its confirmation: nothing else may change the install. */
  private void refuseWhileAwaitingConfirmation() {
    JournalRecord r = state.record();
    if (!r.awaitsConfirmationAcrossRestart()) {
      return;
    }
    // Thrown before the operation begins, so the caller records it as a refusal.
    throw new UpdateException(Reason.LOCKED, null, r.to().map(Version::toString)
        .orElse("the new release") + " was restarted into and awaits confirmation from its new"
        + " process until " + r.confirmBy().orElseThrow() + " (" + r.starts() + " unconfirmed"
        + " starts so far); wait until it confirms or is rolled back", null);
  }

  private Optional<Lease> tryAcquire() {
    try {
      return config.lockStore().tryAcquire(config.owner(), config.lockTtl());
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot take the update lock: "
          + Failures.describe(e), e);
    }
  }

  private String holderDescription() {
    try {
      return config.lockStore().holder()
          .map(l -> " (held by " + l.owner() + " since " + l.acquiredAt() + ", until "
              + l.expiresAt() + ")")
          .orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Releases {@code lease}. An operation interrupted on its thread still releases its lock: the
   * interrupt is set aside for the release (a file channel would refuse an interrupted thread,
   * and the lock would stay held until it expires) and set again afterwards.
   */
  private void release(Lease lease) {
    boolean interrupted = Thread.interrupted();
    try {
      config.lockStore().release(lease);
    } catch (IOException e) {
      LOG.warn("Could not release the update lock {}; it expires at {}", lease, lease.expiresAt(),
          e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
