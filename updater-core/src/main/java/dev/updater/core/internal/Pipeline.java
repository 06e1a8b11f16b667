package dev.updater.core.internal;

import dev.updater.core.Artifact;
import dev.updater.core.HistoryEntry;
import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.Version;
import dev.updater.core.internal.State.Journaling;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.core.spi.Restarter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The update pipeline, top to bottom: check, download, verify, stage, backup, activate, migrate,
 * restart, confirm. The CHECK step's gates are {@link Gates}, the DOWNLOAD to STAGE steps' work is
 * {@link Staging}, and putting the install back after a failure is {@link Reversal}. Every method
 * runs under the update lock, taken by {@link DefaultUpdater}. Not API.
 */
final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final UpdaterConfig config;
  private final Layout layout;
  private final State state;
  private final Gates gates;
  private final Staging staging;
  private final Reversal reversal;

  Pipeline(UpdaterConfig config, State state, Gates gates, Reversal reversal) {
    this.config = config;
    this.layout = config.layout();
    this.state = state;
    this.gates = gates;
    this.staging = new Staging(config, state);
    this.reversal = reversal;
  }

  /** Installs {@code release}, through the gates that {@code admission} does not waive. */
  UpdateResult install(Release offered, Admission admission, LeaseKeeper lease) {
    // the artifact for this platform first; without one, the CHECK step's gates refuse it
    Release release = offered.forPlatform(config.platform()).orElse(offered);
    Optional<Version> from = state.active();
    Version to = release.version();
    if (from.isPresent() && from.get().equals(to)) {
      LOG.info("{} is already the live release; nothing to install", to);
      return new UpdateResult.UpToDate(to);
    }
    Run run = state.begin(Operation.INSTALL, from, to, lease);
    Artifact artifact = release.primaryArtifact();
    Path releaseDir = layout.release(to);
    try {
      run.step(Step.CHECK, layout.home(), ctx -> {
        gates.check(release, from, admission);
        return null;
      });
      Path dir = state.stagingRoot().resolve(to + "-" + UUID.randomUUID());
      Staging.Prepared prepared = run.step(Step.DOWNLOAD, layout.home(), ctx ->
          staging.download(run, release, from, dir));
      Path verified = run.step(Step.VERIFY, layout.home(), ctx -> prepared.delta() ? null
          : state.downloader().verify(prepared.fetched(), artifact));
      if (!prepared.delta()) {
        run.journal(Step.STAGE, r -> r.withStaging(
            Optional.of(layout.home().relativize(dir).toString()), run.now()));
      }
      Map<String, FileStamps.Stamp> stamps = run.step(Step.STAGE, dir, ctx -> {
        Map<String, FileStamps.Stamp> checked = staging.stage(prepared, verified, artifact, dir,
            to);
        config.activator().prepare(dir, to);
        return checked;
      });
      staging.publish(run, dir, releaseDir, prepared.linkedFiles());
      staging.remember(to, prepared, stamps);
      List<MigrationGuard.Check> checks = run.step(Step.BACKUP, releaseDir,
          ctx -> snapshots(run, ctx));
      activate(run, to, releaseDir);
      migrateAndRestart(run, releaseDir, checks);
      state.complete(run, from);
      state.downloader().clearQuietly();
      return new UpdateResult.Updated(from, to);
    } catch (UpdateException e) {
      staging.abandon(); // an archive unpacked while it downloaded stops writing into staging
      throw fail(run, e);
    }
  }

  /**
   * Switches to {@code named}, a kept release, or to the previous release the journal records;
   * quarantines the release switched from with {@code why}.
   */
  UpdateResult rollback(LeaseKeeper lease, Optional<Version> named, String why) {
    JournalRecord record = state.record();
    Version target = named.or(record::previous).orElseThrow(() -> new UpdateException(
        Reason.INVALID_STATE, "no previous release is recorded, so there is nothing to roll back"
        + " to; name a kept release instead" + kept()));
    Version from = state.active().orElseThrow(() -> new UpdateException(Reason.INVALID_STATE,
        "no release is live; install one instead of rolling back"));
    Path targetDir = layout.release(target);
    if (from.equals(target)) {
      throw new UpdateException(Reason.INVALID_STATE, target + " is already the live release");
    }
    if (!Files.isDirectory(targetDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new UpdateException(Reason.INVALID_STATE, "the release " + target
          + " is no longer on disk at " + targetDir + "; install it again instead" + kept());
    }
    Run run = state.begin(Operation.ROLLBACK, Optional.of(from), target, lease);
    try {
      activate(run, target, targetDir);
      run.step(Step.RESTART, targetDir, ctx -> {
        config.restarter().restart(ctx);
        return null;
      });
      run.step(Step.CONFIRM, targetDir, ctx -> {
        config.healthCheck().check(ctx);
        return null;
      });
      run.emit(new UpdateEvent.RolledBack(Operation.ROLLBACK, from, Optional.of(target),
          "rollback requested"));
      state.quarantine(from, why, Optional.of(target));
      state.complete(run, Optional.of(from));
      return new UpdateResult.RolledBack(from, target);
    } catch (UpdateException e) {
      throw fail(run, e);
    }
  }

  /** The kept releases, for a message: {@code " (kept: 1.0.0, 1.1.0)"}, or nothing. */
  private String kept() {
    try (java.util.stream.Stream<Path> dirs = Files.list(layout.releases())) {
      List<String> names = dirs.map(p -> p.getFileName().toString()).sorted().toList();
      return names.isEmpty() ? "" : " (kept: " + String.join(", ", names) + ")";
    } catch (IOException e) {
      return "";
    }
  }

  UpdateResult repair(LeaseKeeper lease) {
    Version live = state.active().orElseThrow(() -> new UpdateException(Reason.INVALID_STATE,
        "no release is live, so there is nothing to repair; install one first"));
    Path releaseDir = layout.release(live);
    Run run = state.begin(Operation.REPAIR, Optional.of(live), live, lease);
    try {
      run.step(Step.STAGE, releaseDir, ctx -> {
        config.activator().prepare(releaseDir, live);
        return null;
      });
      List<MigrationGuard.Check> checks = run.step(Step.BACKUP, releaseDir,
          ctx -> snapshots(run, ctx));
      migrateAndRestart(run, releaseDir, checks);
      state.complete(run, state.record().previous());
      return new UpdateResult.Repaired(live);
    } catch (UpdateException e) {
      throw fail(run, e);
    }
  }

  private List<MigrationGuard.Check> snapshots(Run run, UpdateContext ctx)
      throws Exception {
    List<MigrationGuard.Check> checks = new ArrayList<>();
    for (MigrationGuard guard : config.guards()) {
      checks.add(guard.snapshot(ctx));
      run.guardChecks(checks);
    }
    return checks;
  }

  /** Lets every guard put its protected state back after a failed operation. */
  private static void restoreGuarded(Run run, UpdateException cause) {
    for (MigrationGuard.Check check : run.guardChecks()) {
      try {
        check.restore();
      } catch (Exception e) {
        LOG.error("A guard could not restore its snapshot after the failed {} of {}",
            run.operation, run.to, e);
        cause.addSuppressed(e);
      }
    }
  }

  /** Journals that a switch may happen, then switches: recovery reverts from here on. */
  private void activate(Run run, Version version, Path releaseDir) {
    run.journal(Step.ACTIVATE, r -> r.activating(run.now()));
    run.step(Step.ACTIVATE, releaseDir, ctx -> {
      config.activator().activate(version);
      FaultPoints.hit("after-swap");
      return null;
    });
  }

  private void migrateAndRestart(Run run, Path releaseDir, List<MigrationGuard.Check> checks) {
    run.step(Step.MIGRATE, releaseDir, ctx -> {
      config.migrationRunner().migrate(ctx);
      for (MigrationGuard.Check check : checks) {
        check.verify();
      }
      return null;
    });
    if (config.restarter() != Restarter.NONE) {
      // The restarter may end this process: from here the new process confirms (or the deadline
      // or the crash-loop count rolls back), so recovery must not take this for an interruption.
      Instant deadline = run.now().plus(config.confirmationTimeout());
      if (config.watcher().isPresent()) {
        startWatcher(run, deadline);
      }
      run.journal(Step.RESTART, r -> r.awaitingConfirmation(deadline, run.now()));
    }
    run.step(Step.RESTART, releaseDir, ctx -> {
      config.restarter().restart(ctx);
      return null;
    });
    run.step(Step.CONFIRM, releaseDir, ctx -> {
      config.healthCheck().check(ctx);
      return null;
    });
  }

  /**
   * Starts the detached watcher before the journal hands the release over: a watcher that cannot
   * start fails the update here, while the old release can still be put back without a restart.
   */
  private void startWatcher(Run run, Instant deadline) {
    try {
      WatcherProcess.start(config, config.watcher().orElseThrow(), run.from, run.to, deadline);
    } catch (IOException e) {
      throw new UpdateException(Reason.RESTART_FAILED, Step.RESTART, "cannot start the watcher"
          + " process for " + run.to + ": " + Failures.describe(e) + "; check the java binary and"
          + " class path of Watcher, or leave the watcher out", e);
    }
    FaultPoints.hit("after-watcher-start");
  }

  /**
   * Ends the operation after {@code e}: puts back a switch that may have happened ({@link
   * Reversal}), or removes what was staged; journals, records and announces the failure; returns
   * what to throw.
   */
  private UpdateException fail(Run run, UpdateException e) {
    if (run.lockLost()) {
      state.announceLockLost(run, e); // the install is another process's now: touch nothing
      return e;
    }
    JournalRecord record = run.record();
    if (!record.activation()) {
      state.discardStaged(record);
      if (run.operation == Operation.REPAIR) {
        restoreGuarded(run, e);
      }
      boolean refused = e.step().orElse(Step.CHECK) == Step.CHECK && e.reason().isConflict();
      state.announceFailure(run, e, refused ? Outcome.REFUSED : Outcome.FAILED,
          Journaling.ENDED);
      return e;
    }
    Step reached = record.step().orElse(Step.ACTIVATE);
    Reversal.Undo undo = new Reversal.Undo(run.operation, run.to, run.from, e.getMessage(),
        reached, Reversal.Restart.ifRestarted(run.from, reached), Reversal.Fault.of(e));
    UpdateException reported = new UpdateException(e.reason(), e.step().orElse(null),
        undo.outcome(), e.getCause());
    try {
      Optional<String> operatorNeeded = reversal.putBack(undo, () -> {
        restoreGuarded(run, reported);
        state.announceFailure(run, reported, Outcome.ROLLED_BACK, Journaling.ENDED);
      });
      return operatorNeeded.map(m -> new UpdateException(e.reason(), e.step().orElse(null), m,
          e.getCause())).orElse(reported);
    } catch (UpdateException putBackFailure) {
      LOG.error("Could not put {} back after a failed {}; the next start retries", run.from,
          run.operation, putBackFailure);
      e.addSuppressed(putBackFailure);
      state.announceFailure(run, e, Outcome.FAILED, Journaling.UNFINISHED);
      return e;
    }
  }

  /** The history entry for an operation that ended now. */
  static HistoryEntry entry(Run run, Outcome outcome, Optional<Reason> reason, String message) {
    return new HistoryEntry(run.now(), run.operation, run.from, Optional.of(run.to), outcome,
        reason, message);
  }
}
