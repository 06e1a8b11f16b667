package dev.updater.core.internal;

import dev.updater.core.internal.archive.SafeExtractor;
import dev.updater.core.internal.archive.TreeVerifier;
import dev.updater.core.internal.archive.WrittenFiles;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.ManifestJson;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.Artifact;
import dev.updater.core.HistoryEntry;
import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.Version;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.core.spi.Restarter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileStore;
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
 * restart, confirm. Every method runs under the update lock, taken by {@link DefaultUpdater}. Not
 * API.
 */
final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  /** How many per-file objects a delta install fetches at once. */
  private static final int DELTA_FETCH_THREADS = 4;

  private final UpdaterConfig config;
  private final Layout layout;
  private final State state;
  private final Rollout rollout;
  private final ReleaseManifests manifests;

  Pipeline(UpdaterConfig config, State state) {
    this.config = config;
    this.layout = config.layout();
    this.state = state;
    this.manifests = new ReleaseManifests(layout);
    this.rollout = new Rollout(layout.state().resolve("install-id"));
  }

  /** The staged rollouts of this install. */
  Rollout rollout() {
    return rollout;
  }

  /**
   * Installs {@code release}. {@code allowDowngrade} lets an older release through, {@code
   * ignoreRollout} one whose staged rollout does not include this install.
   */
  UpdateResult install(Release release, boolean allowDowngrade, boolean ignoreRollout,
      LeaseKeeper lease) {
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
        checkGates(release, from, allowDowngrade, ignoreRollout);
        return null;
      });
      Path staging = state.stagingRoot().resolve(to + "-" + UUID.randomUUID());
      Prepared prepared = run.step(Step.DOWNLOAD, layout.home(), ctx ->
          download(run, release, from, staging));
      Path verified = run.step(Step.VERIFY, layout.home(), ctx -> prepared.delta() ? null
          : state.downloader().verify(prepared.fetched(), artifact));
      if (!prepared.delta()) {
        run.journal(Step.STAGE, r -> r.withStaging(
            Optional.of(layout.home().relativize(staging).toString()), run.now()));
      }
      run.step(Step.STAGE, staging, ctx -> {
        Map<String, String> digests = prepared.digests();
        if (!prepared.delta()) {
          // Only the lock holder stages: anything already here is a leftover of an earlier run
          // whose cleanup failed after its journal was put back, so nothing else would remove it.
          freshStaging(staging);
          digests = extract(verified, artifact, staging, prepared.manifest().isPresent());
        }
        if (prepared.manifest().isPresent()) {
          // closed world: nothing extra, nothing missing, modes, sizes, hashes and links as signed
          TreeVerifier.verify(staging, prepared.manifest().get().manifest(), digests);
        }
        config.activator().prepare(staging, to);
        return null;
      });
      publish(run, staging, releaseDir, prepared.linkedFiles());
      if (prepared.manifest().isPresent() && !hooksMayWriteStagedTree()) {
        manifests.keep(to, prepared.manifest().get());
      } else {
        manifests.forget(to); // a hook may have changed the tree: never compare against it
      }
      List<MigrationGuard.Check> checks = run.step(Step.BACKUP, releaseDir, ctx -> snapshots(run, ctx));
      activate(run, to, releaseDir);
      migrateAndRestart(run, releaseDir, checks);
      state.complete(run, from);
      state.downloader().clearQuietly();
      return new UpdateResult.Updated(from, to);
    } catch (UpdateException e) {
      throw fail(run, e);
    }
  }

  UpdateResult rollback(LeaseKeeper lease) {
    JournalRecord record = state.record();
    Version target = record.previous().orElseThrow(() -> new UpdateException(
        Reason.INVALID_STATE, "no previous release is recorded, so there is nothing to roll back to"));
    Version from = state.active().orElseThrow(() -> new UpdateException(Reason.INVALID_STATE,
        "no release is live; install one instead of rolling back"));
    Path targetDir = layout.release(target);
    if (from.equals(target)) {
      throw new UpdateException(Reason.INVALID_STATE, target + " is already the live release");
    }
    if (!Files.isDirectory(targetDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new UpdateException(Reason.INVALID_STATE, "the previous release " + target
          + " is no longer on disk at " + targetDir + "; install it again instead");
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
      state.quarantine(from, "rolled back by request", Optional.of(target));
      state.complete(run, Optional.of(from));
      return new UpdateResult.RolledBack(from, target);
    } catch (UpdateException e) {
      throw fail(run, e);
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
      List<MigrationGuard.Check> checks = run.step(Step.BACKUP, releaseDir, ctx -> snapshots(run, ctx));
      migrateAndRestart(run, releaseDir, checks);
      state.complete(run, state.record().previous());
      return new UpdateResult.Repaired(live);
    } catch (UpdateException e) {
      throw fail(run, e);
    }
  }

  /**
   * Stages the verified archive. The archive stager's files are hashed (when {@code hash}, for the
   * manifest check) and forced to disk on other threads while the next ones are extracted; any
   * other stager runs as it is.
   *
   * @return the SHA-256 of each extracted file by its path, empty when not hashed
   */
  private Map<String, String> extract(Path archive, Artifact artifact, Path staging, boolean hash)
      throws IOException {
    if (!(config.stager() instanceof ArchiveStager stager)) {
      config.stager().stage(archive, artifact, staging);
      return Map.of();
    }
    SafeExtractor extractor = new SafeExtractor(stager.maxEntries(), stager.maxTotalBytes(),
        stager.maxDepth(), stager.maxPathLength());
    try (WrittenFiles written = new WrittenFiles(hash, staging)) {
      extractor.extract(archive, artifact.name(), staging, written::add);
      return written.await();
    }
  }

  /**
   * What the DOWNLOAD step produced: the release's verified manifest if it has one, and either a
   * tree already staged from it ({@code delta}, with the digests verified while writing and the
   * files hard-linked from the live release) or the downloaded archive.
   */
  private record Prepared(Optional<ReleaseManifests.Fetched> manifest,
      Downloader.Fetched fetched, Map<String, String> digests, Map<String, Object> linkedFiles,
      boolean delta) {}

  /**
   * Fetches the release's manifest (when the stager is the archive stager, whose trees manifests
   * describe), then stages the tree from the live release and per-file objects when that is
   * possible and smaller than the archive, else downloads the archive. A delta stage that fails is
   * logged and replaced by the archive download.
   */
  private Prepared download(Run run, Release release, Optional<Version> from, Path staging)
      throws IOException {
    Artifact artifact = release.primaryArtifact();
    Optional<ReleaseManifests.Fetched> manifest = Optional.empty();
    Optional<DeltaStager.Result> staged = Optional.empty();
    if (config.stager() instanceof ArchiveStager archiveStager) {
      ManifestJson.Limits limits = ReleaseManifests.limits(archiveStager);
      manifest = manifests.fetch(config.source(), release, limits);
      if (manifest.isPresent()) {
        staged = stageDelta(run, release, from, manifest.get(), staging);
      }
    }
    if (staged.isPresent()) {
      return new Prepared(manifest, null, staged.get().digests(), staged.get().linkedFiles(),
          true);
    }
    Downloader.Fetched fetched = state.downloader().download(config.source(), artifact,
        (done, total) -> run.progress(Step.DOWNLOAD, done, total));
    return new Prepared(manifest, fetched, Map.of(), Map.of(), false);
  }

  /** Stages {@code manifest} into {@code staging} from the live release and objects, if it can. */
  private Optional<DeltaStager.Result> stageDelta(Run run, Release release,
      Optional<Version> from, ReleaseManifests.Fetched fetched, Path staging) throws IOException {
    FileManifest manifest = fetched.manifest();
    Version to = release.version();
    if (from.isEmpty() || !config.source().servesObjects()) {
      return Optional.empty();
    }
    Path liveDir = layout.release(from.get());
    Optional<FileManifest> live = manifests.load(from.get(), config.source(), release, fetched);
    if (live.isEmpty() || !Files.isDirectory(liveDir, LinkOption.NOFOLLOW_LINKS)) {
      LOG.info("No manifest is kept for the live release {}; {} is installed from its archive",
          from.get(), to);
      return Optional.empty();
    }
    try {
      DeltaStager delta = new DeltaStager(config.source(), release, manifest, liveDir,
          live.get(), hooksMayWriteStagedTree(), DELTA_FETCH_THREADS);
      if (delta.bytesToFetch() >= release.primaryArtifact().size()) {
        LOG.info("The changed files of {} hold {} bytes, no fewer than its archive; downloading "
            + "the archive", to, delta.bytesToFetch());
        return Optional.empty();
      }
      run.journal(Step.DOWNLOAD, r -> r.withStaging(
          Optional.of(layout.home().relativize(staging).toString()), run.now()));
      freshStaging(staging);
      return Optional.of(delta.stage(staging,
          (done, total) -> run.progress(Step.DOWNLOAD, done, total)));
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (e instanceof UpdateException) {
        throw e;
      }
      LOG.warn("The delta install of {} failed ({}); downloading the whole archive instead", to,
          Failures.describe(e));
      try {
        FileTrees.deleteRecursively(staging);
      } catch (IOException cleanup) {
        LOG.warn("Could not delete the delta staging directory {} yet: {}; staging deletes it "
            + "before extracting", staging, cleanup.toString());
      }
      return Optional.empty();
    }
  }

  /**
   * True when a hook runs on the new tree before it is activated: it may write into files, so
   * unchanged files are copied from the live release rather than hard-linked (a write through a
   * hard link would change the live release too).
   */
  private boolean hooksMayWriteStagedTree() {
    return !config.after(Step.STAGE).isEmpty() || !config.before(Step.BACKUP).isEmpty()
        || !config.after(Step.BACKUP).isEmpty() || !config.before(Step.ACTIVATE).isEmpty();
  }

  private static void freshStaging(Path staging) throws IOException {
    FileTrees.deleteRecursively(staging.getParent());
    Files.createDirectories(staging.getParent());
    Files.createDirectory(staging);
  }

  private void checkGates(Release release, Optional<Version> from, boolean allowDowngrade,
      boolean ignoreRollout) throws Exception {
    Version to = release.version();
    if (!release.channel().equals(config.channel())) {
      throw new UpdateException(Reason.INCOMPATIBLE, Step.CHECK, to + " was published on channel '"
          + release.channel() + "' but this install follows '" + config.channel() + "'", null);
    }
    if (from.isPresent() && to.isOlderThan(from.get()) && !allowDowngrade) {
      throw new UpdateException(Reason.DOWNGRADE_REFUSED, Step.CHECK, to
          + " is older than the live release " + from.get()
          + "; call downgrade(release) to install an older release on purpose", null);
    }
    if (!ignoreRollout && !rollout.admits(release)) {
      throw new UpdateException(Reason.INCOMPATIBLE, Step.CHECK, to + (release.rollout() == 0
          ? " is halted (its staged rollout is at 0%)"
          : " is not in the staged rollout (" + release.rollout() + "%) for this install")
          + "; wait until the publisher raises it, or call installOutsideRollout(release) to "
          + "install it on purpose", null);
    }
    checkCompatibility(release, from);
    config.activator().preflight();
    checkFreeSpace(release.primaryArtifact());
  }

  /**
   * The release's own compatibility with this install: its upgrade path, then every gate in order.
   * Changes nothing; also run by the check report.
   *
   * @throws UpdateException {@code INCOMPATIBLE} for the upgrade path; whatever a gate throws
   */
  void checkCompatibility(Release release, Optional<Version> from) throws Exception {
    Version to = release.version();
    if (from.isPresent() && !release.requirements().canUpgradeFrom(from.get())) {
      throw new UpdateException(Reason.INCOMPATIBLE, Step.CHECK, to + " can only be installed over "
          + release.requirements().upgradesFrom().orElseThrow() + " or newer, and " + from.get()
          + " is live; install an intermediate release first", null);
    }
    for (var gate : config.gates()) {
      gate.check(release, from);
    }
  }

  private void checkFreeSpace(Artifact artifact) throws IOException {
    Files.createDirectories(layout.state());
    FileStore store = Files.getFileStore(layout.state());
    long required = Math.max(config.minFreeBytes(),
        (long) Math.min(Long.MAX_VALUE, artifact.size() * config.freeSpaceFactor()));
    long usable = store.getUsableSpace();
    if (usable < required) {
      throw new UpdateException(Reason.INSUFFICIENT_SPACE, Step.CHECK, "the update of "
          + artifact.name() + " needs " + megabytes(required) + " free in " + layout.home()
          + " but only " + megabytes(usable) + " is available; free some space and try again",
          null);
    }
  }

  private static String megabytes(long bytes) {
    return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
  }

  /**
   * Forces the staged tree to disk and renames it into place. Files hard-linked from the live
   * release ({@code linkedFiles}) hold data forced when that release was installed, so only
   * their directories are forced, not each of them again.
   */
  private void publish(Run run, Path staging, Path releaseDir, Map<String, Object> linkedFiles) {
    run.journal(Step.STAGE, r -> r.withPublished(true, run.now()));
    try {
      FileTrees.syncRecursively(staging, linkedFiles);
      FaultPoints.hit("after-extract-sync");
      Files.createDirectories(layout.releases());
      if (Files.exists(releaseDir, LinkOption.NOFOLLOW_LINKS)) {
        LOG.info("Replacing the inactive copy of {} with the newly verified one", releaseDir);
        FileTrees.deleteRecursively(releaseDir);
      }
      Files.move(staging, releaseDir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.syncDirectory(layout.releases());
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, Step.STAGE, "cannot publish the staged release as "
          + releaseDir + ": " + Failures.describe(e), e);
    }
    FaultPoints.hit("after-publish");
    run.journal(Step.STAGE, r -> r.withStaging(Optional.empty(), run.now()));
  }

  private List<MigrationGuard.Check> snapshots(Run run, dev.updater.core.UpdateContext ctx)
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
    run.journal(Step.ACTIVATE, r -> r.withActivation(true, run.now()));
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
   * Puts the install back after {@code e}: reverts a switch that may have happened, or removes
   * what was staged; journals, records and announces the failure; returns what to throw.
   */
  private UpdateException fail(Run run, UpdateException e) {
    if (run.lockLost()) {
      state.announceLockLost(run, e); // the install is another process's now: touch nothing
      return e;
    }
    JournalRecord record = run.record();
    UpdateException reported = e;
    Outcome outcome = e.step().orElse(Step.CHECK) == Step.CHECK && e.reason().isConflict()
        ? Outcome.REFUSED : Outcome.FAILED;
    if (record.activation()) {
      if (run.operation == Operation.INSTALL) {
        // Before the revert: should it fail, the recovery that retries it does not quarantine.
        state.quarantine(run.to, e.getMessage(), run.from);
      }
      try {
        state.revert(run.operation, run.to, run.from, record.step().orElse(Step.ACTIVATE),
            e.getMessage());
        outcome = Outcome.ROLLED_BACK;
        reported = new UpdateException(e.reason(), e.step().orElse(null), e.getMessage() + "; "
            + run.from.map(v -> v + " is live again").orElse("no release is live again"),
            e.getCause());
      } catch (Exception revertFailure) {
        LOG.error("Could not put {} back after a failed {}; the next start retries", run.from,
            run.operation, revertFailure);
        e.addSuppressed(revertFailure);
        state.announceFailure(run, e, Outcome.FAILED, false);
        return e;
      }
    } else {
      state.discardStaged(record);
    }
    if (outcome == Outcome.ROLLED_BACK || run.operation == Operation.REPAIR) {
      restoreGuarded(run, reported);
    }
    state.announceFailure(run, reported, outcome, true);
    return reported;
  }

  /** The history entry for an operation that ended now. */
  static HistoryEntry entry(Run run, Outcome outcome, Optional<Reason> reason, String message) {
    return new HistoryEntry(run.now(), run.operation, run.from, Optional.of(run.to), outcome,
        reason, message);
  }
}
