package dev.updater.core.internal;

import dev.updater.core.Artifact;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import dev.updater.core.internal.archive.SafeExtractor;
import dev.updater.core.internal.archive.TreeVerifier;
import dev.updater.core.internal.archive.WrittenFiles;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.spi.Stager;
import dev.updater.core.spi.TreeLimits;
import dev.updater.core.stage.ArchiveStager;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an install turns a release into {@code releases/<version>}: the DOWNLOAD, VERIFY and STAGE
 * steps' work and the publishing rename. Speaks to the {@link Stager} port only: when the stager
 * declares exact trees ({@link Stager#exactTree()}), the release's signed per-file manifest is
 * fetched, the tree may be staged as a delta from the live release, the staged tree is checked
 * against the manifest (the closed-world check), and the manifest is kept for the next install.
 * Runs under the update lock. Not API.
 */
final class Staging {
  private static final Logger LOG = LoggerFactory.getLogger(Staging.class);
  /** How many per-file objects a delta install fetches at once. */
  private static final int DELTA_FETCH_THREADS = 4;

  /**
   * What the DOWNLOAD step produced: the release's verified manifest if it has one (and the stager
   * writes exact trees), and either a tree already staged from it ({@code delta}, with the digests
   * verified while writing and the files hard-linked from the live release) or the downloaded
   * archive.
   */
  record Prepared(Optional<ReleaseManifests.Fetched> manifest, Downloader.Fetched fetched,
      Map<String, String> digests, Map<String, Object> linkedFiles) {
    /** True when the tree is staged already and there is no archive ({@code fetched} is null). */
    boolean delta() {
      return fetched == null;
    }
  }

  private final UpdaterConfig config;
  private final Layout layout;
  private final State state;
  private final ReleaseManifests manifests;
  private final FreeSpace space;
  /** The extraction the last {@link #download} started and {@link #stage} has not awaited. */
  private Unpacking unpacking;

  Staging(UpdaterConfig config, State state) {
    this.config = config;
    this.layout = config.layout();
    this.state = state;
    this.manifests = new ReleaseManifests(layout);
    this.space = new FreeSpace(config);
  }

  /**
   * Fetches the release's manifest (when the stager writes exact trees, which manifests describe),
   * then stages the tree from the live release and per-file objects when that is possible and
   * smaller than the archive, else downloads the archive. A delta stage that fails is logged and
   * replaced by the archive download.
   */
  Prepared download(Run run, Release release, Optional<Version> from, Path staging)
      throws IOException {
    Optional<ReleaseManifests.Fetched> manifest = Optional.empty();
    Optional<DeltaStager.Result> staged = Optional.empty();
    Optional<TreeLimits> exact = config.stager().exactTree();
    if (exact.isPresent()) {
      manifest = manifests.fetch(config.source(), release, ReleaseManifests.limits(exact.get()),
          from);
      if (manifest.isPresent()) {
        staged = stageDelta(run, release, from, manifest.get(), staging);
      }
    }
    if (staged.isPresent()) {
      return new Prepared(manifest, null, staged.get().digests(), staged.get().linkedFiles());
    }
    Artifact artifact = release.primaryArtifact();
    if (manifest.isPresent()) {
      space.require(release.version(), Step.DOWNLOAD, List.of(
          new FreeSpace.Need(downloads(), artifact.size(), "to download " + artifact.name()),
          new FreeSpace.Need(staging, manifest.get().manifest().totalBytes(),
              "to unpack its files (as its signed manifest declares)")));
    }
    unpacking = unpacksWhileDownloading(artifact, manifest.isPresent())
        ? startUnpacking(artifact, staging, release.version(), manifest.get()) : null;
    Downloader.Fetched fetched;
    try {
      fetched = state.downloader().download(config.source(), artifact, (done, total) -> {
        run.progress(Step.DOWNLOAD, done, total);
        if (unpacking != null) {
          unpacking.grew(done);
        }
      }, space.watch(release.version(), Step.DOWNLOAD, downloads(), artifact.size()));
    } catch (IOException | RuntimeException e) {
      abandon();
      throw e;
    }
    if (unpacking != null) {
      unpacking.downloaded(fetched.size());
    }
    return new Prepared(manifest, fetched, Map.of(), Map.of());
  }

  /**
   * True when the archive can be unpacked while it downloads: the default stager reading a
   * {@code .tar.gz}, a signed manifest to check every staged file against, a download that starts
   * from nothing (not resumed, not found whole), and no hook between the download and the
   * staging that could expect the tree not to be started yet.
   */
  private boolean unpacksWhileDownloading(Artifact artifact, boolean manifest) {
    return manifest && config.stager() instanceof ArchiveStager
        && SafeExtractor.namesTarGz(artifact.name())
        && state.downloader().startsAfresh(artifact)
        && config.after(Step.DOWNLOAD).isEmpty() && config.before(Step.VERIFY).isEmpty()
        && config.after(Step.VERIFY).isEmpty() && config.before(Step.STAGE).isEmpty();
  }

  private Unpacking startUnpacking(Artifact artifact, Path staging, Version version,
      ReleaseManifests.Fetched manifest) throws IOException {
    SafeExtractor extractor = new SafeExtractor(config.stager().exactTree().orElseThrow());
    freshStaging(staging);
    LOG.info("Unpacking {} while it downloads; the tree is used only once the archive is verified",
        artifact.name());
    return Unpacking.start(extractor, state.downloader().partPath(artifact), artifact, staging,
        watch(artifact, true, version, staging, manifest.manifest().totalBytes()));
  }

  /**
   * Stops an extraction started by {@link #download} that {@link #stage} has not waited for,
   * waiting until it writes nothing more: for a failed install, before its staging is removed.
   */
  void abandon() {
    if (unpacking != null) {
      unpacking.close();
      unpacking = null;
    }
  }

  /**
   * The STAGE step's work: stages the verified {@code archive} through the stager unless {@code
   * prepared} is a delta, then checks the tree against the manifest when there is one.
   *
   * @return the stamps of the checked files, by path; empty without a manifest
   */
  Map<String, FileStamps.Stamp> stage(Prepared prepared, Path archive, Artifact artifact,
      Path staging, Version version) throws IOException {
    Map<String, String> digests = prepared.digests();
    if (unpacking != null) {
      Unpacking started = unpacking;
      unpacking = null;
      digests = started.await(); // the archive it read is verified now
    } else if (!prepared.delta()) {
      // Only the lock holder stages: anything already here is a leftover of an earlier run
      // whose cleanup failed after its journal was put back, so nothing else would remove it.
      freshStaging(staging);
      StagingWatch watch = watch(artifact, prepared.manifest().isPresent(), version, staging,
          prepared.manifest().map(m -> m.manifest().totalBytes()).orElse(Long.MAX_VALUE));
      digests = extract(archive, artifact, staging, prepared.manifest().isPresent()
          ? WrittenFiles.Digests.COMPUTE : WrittenFiles.Digests.SKIP, watch);
    }
    if (prepared.manifest().isEmpty()) {
      return Map.of();
    }
    // closed world: nothing extra, nothing missing, modes, sizes, hashes and links as signed
    Map<String, BasicFileAttributes> checked = TreeVerifier.verify(staging,
        prepared.manifest().get().manifest(), digests);
    Map<String, FileStamps.Stamp> stamps = new HashMap<>(checked.size() * 2);
    checked.forEach((path, attrs) -> stamps.put(path, FileStamps.Stamp.of(attrs)));
    return stamps;
  }

  private StagingWatch watch(Artifact artifact, boolean declared, Version version, Path staging,
      long declaredBytes) {
    return new StagingWatch(artifact, declared, config.maxInflationRatio(),
        space.watch(version, Step.STAGE, staging, declaredBytes));
  }

  /**
   * Stages the verified archive through the stager; the files it tells of are hashed (for the
   * manifest check) and forced to disk on other threads while the next ones are staged.
   *
   * @return the SHA-256 of each file told of, by its path; empty when not hashed
   */
  private Map<String, String> extract(Path archive, Artifact artifact, Path staging,
      WrittenFiles.Digests digests, StagingWatch watch) throws IOException {
    try (WrittenFiles written = new WrittenFiles(digests, staging)) {
      config.stager().stage(archive, artifact, staging, watch.then(written::add));
      return written.await();
    }
  }

  /** The downloads directory, where the archive is written. */
  private Path downloads() {
    return layout.state().resolve("downloads");
  }

  /**
   * Keeps the manifest of the release just published as {@code version} and the {@code stamps}
   * of its files, for the next install to compare against; forgets them when there is no
   * manifest or a hook may have changed the tree.
   */
  void remember(Version version, Prepared prepared, Map<String, FileStamps.Stamp> stamps) {
    if (prepared.manifest().isPresent() && !hooksMayWriteStagedTree()) {
      manifests.keep(version, prepared.manifest().get(), stamps);
    } else {
      manifests.forget(version); // a hook may have changed the tree: never compare against it
    }
  }

  /** Stages {@code manifest} into {@code staging} from the live release and objects, if it can. */
  private Optional<DeltaStager.Result> stageDelta(Run run, Release release,
      Optional<Version> from, ReleaseManifests.Fetched fetched, Path staging) throws IOException {
    if (from.isEmpty() || !config.source().servesObjects()) {
      return Optional.empty();
    }
    Version to = release.version();
    Path liveDir = layout.release(from.get());
    Optional<FileManifest> live = manifests.load(from.get(), config.source(), release, fetched);
    if (live.isEmpty() || !Files.isDirectory(liveDir, LinkOption.NOFOLLOW_LINKS)) {
      LOG.info("No manifest is kept for the live release {}; {} is installed from its archive",
          from.get(), to);
      return Optional.empty();
    }
    try {
      DeltaStager delta = new DeltaStager(config.source(), release, fetched.manifest(), liveDir,
          live.get(), manifests.stamps(from.get()),
          hooksMayWriteStagedTree() ? DeltaStager.Reuse.COPY : DeltaStager.Reuse.LINK,
          DELTA_FETCH_THREADS, fetched.compressed(), fetched.packs());
      if (delta.bytesToFetch() >= release.primaryArtifact().size()) {
        LOG.info("The changed files of {} hold {} bytes, no fewer than its archive; downloading "
            + "the archive", to, delta.bytesToFetch());
        return Optional.empty();
      }
      // Linked files take no new space; fetched, rebuilt and copied ones do, at their full size
      // (a file rebuilt from one fetched chunk can be large), and a hook may write into copies.
      long needed = hooksMayWriteStagedTree() ? fetched.manifest().totalBytes()
          : delta.bytesToWrite();
      space.require(to, Step.DOWNLOAD, List.of(new FreeSpace.Need(staging, needed,
          "for its changed files (as its signed manifest declares)")));
      // No journal write of its own: the record is at DOWNLOAD (written as the step began), and
      // a failed or interrupted install removes the whole staging root, this directory with it.
      freshStaging(staging);
      // the gate counted the bytes; the watch stops the writes when the disk fills meanwhile
      return Optional.of(delta.stage(staging,
          (done, total) -> run.progress(Step.DOWNLOAD, done, total),
          space.watch(to, Step.DOWNLOAD, staging, needed)));
    } catch (InterruptedIOException | UpdateException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      LOG.warn("The delta install of {} failed ({}); downloading the whole archive instead", to,
          Failures.describe(e));
      deleteQuietly(staging);
      return Optional.empty();
    }
  }

  private static void deleteQuietly(Path staging) {
    try {
      FileTrees.deleteRecursively(staging);
    } catch (IOException cleanup) {
      LOG.warn("Could not delete the delta staging directory {} yet: {}; staging deletes it "
          + "before extracting", staging, cleanup.toString());
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

  /**
   * Forces the staged tree to disk and renames it into place. Files hard-linked from the live
   * release ({@code linkedFiles}) hold data forced when that release was installed, so only
   * their directories are forced, not each of them again.
   */
  void publish(Run run, Path staging, Path releaseDir, Map<String, Object> linkedFiles) {
    // one journal write: from here the tree is the release's, and cleanup after a crash removes
    // both the whole staging root and (being published) releases/<version>, whichever holds it
    run.journal(Step.STAGE, r -> r.publishing(run.now()).withStaging(Optional.empty(),
        run.now()));
    try {
      FileTrees.syncRecursively(staging, linkedFiles);
      FaultPoints.hit("after-extract-sync");
      Files.createDirectories(layout.releases());
      if (Files.exists(releaseDir, LinkOption.NOFOLLOW_LINKS)) {
        LOG.info("Replacing the inactive copy of {} with the newly verified one", releaseDir);
        FileTrees.deleteRecursively(releaseDir);
      }
      Files.move(staging, releaseDir, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.syncDirectory(layout.releases());
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, Step.STAGE, "cannot publish the staged release as "
          + releaseDir + ": " + Failures.describe(e), e);
    }
    FaultPoints.hit("after-publish");
  }
}
