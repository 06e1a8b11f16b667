package dev.updater.core.internal;

import dev.updater.core.Artifact;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Revocation;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import java.util.List;
import java.util.Optional;

/**
 * The CHECK step of an install: channel, revocation (as the last check read the index), version
 * order, staged rollout, upgrade path, the host's release gates, the activator's preflight and
 * free space. Changes nothing. Not API.
 *
 * <p>Thread-safe: reads its configuration only.
 */
final class Gates {
  private final UpdaterConfig config;
  private final Layout layout;
  private final Rollout rollout;
  private final FreeSpace space;
  private final RevocationFile revocations;

  Gates(UpdaterConfig config, Rollout rollout, RevocationFile revocations) {
    this.config = config;
    this.layout = config.layout();
    this.rollout = rollout;
    this.space = new FreeSpace(config);
    this.revocations = revocations;
  }

  /**
   * Refuses {@code release} over the live release {@code from} unless every gate that {@code
   * admission} does not waive lets it through.
   *
   * @throws UpdateException {@code INCOMPATIBLE}, {@code DOWNGRADE_REFUSED} or {@code
   *     INSUFFICIENT_SPACE}; whatever a gate or the activator's preflight throws
   */
  void check(Release release, Optional<Version> from, Admission admission) throws Exception {
    Version to = release.version();
    if (!release.channel().equals(config.channel())) {
      throw new UpdateException(Reason.INCOMPATIBLE, Step.CHECK, to + " was published on channel '"
          + release.channel() + "' but this install follows '" + config.channel() + "'", null);
    }
    Optional<Revocation> revoked = revocations.of(Optional.of(to));
    if (revoked.isPresent()) {
      // the release object may predate the revocation: the last check of the index is the word
      throw Checker.refusal(revoked.get(), Step.CHECK);
    }
    if (from.isPresent() && to.isOlderThan(from.get()) && !admission.allowsDowngrade()) {
      throw new UpdateException(Reason.DOWNGRADE_REFUSED, Step.CHECK, to
          + " is older than the live release " + from.get()
          + "; call downgrade(release) to install an older release on purpose", null);
    }
    if (admission.checksRollout() && !rollout.admits(release)) {
      throw new UpdateException(Reason.INCOMPATIBLE, Step.CHECK, to + (release.rollout() == 0
          ? " is halted (its staged rollout is at 0%)"
          : " is not in the staged rollout (" + release.rollout() + "%) for this install")
          + "; wait until the publisher raises it, or call installOutsideRollout(release) to "
          + "install it on purpose", null);
    }
    if (release.forPlatform(config.platform()).isEmpty()) {
      throw new UpdateException(Reason.INCOMPATIBLE, Step.CHECK, to + " has no artifact for "
          + "this platform, " + config.platform() + " (it has " + release.platforms().stream()
          .map(Object::toString).collect(java.util.stream.Collectors.joining(", ")) + "); publish"
          + " one with --platform " + config.platform() + ", or set the updater's platform if "
          + "the detected one is wrong", null);
    }
    checkCompatibility(release, from);
    config.activator().preflight();
    checkFreeSpace(release);
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

  /**
   * Refuses a release that declares no expanded size (it has no per-file manifest) unless its
   * download and its files, estimated at the configured multiple of the artifact, fit with the
   * reserve. A release with a manifest is measured by it once it is fetched ({@link Staging}).
   */
  private void checkFreeSpace(Release release) {
    if (release.manifest().isPresent()) {
      return;
    }
    Artifact artifact = release.primaryArtifact();
    long estimate = (long) Math.min(Long.MAX_VALUE, artifact.size() * config.freeSpaceFactor());
    space.require(release.version(), Step.CHECK, List.of(
        new FreeSpace.Need(layout.state().resolve("downloads"), artifact.size(),
            "to download " + artifact.name()),
        new FreeSpace.Need(layout.state().resolve("staging"), estimate,
            "to unpack it (estimated at " + config.freeSpaceFactor() + " times the artifact; "
            + "the release declares no size)")));
  }
}
