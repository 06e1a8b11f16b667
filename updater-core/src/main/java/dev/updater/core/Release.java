package dev.updater.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The metadata of one published release: its version, channel, artifacts, requirements, notes and
 * publish time, as read from the update repository.
 *
 * <p>A release usually has one artifact, the archive that becomes {@code releases/<version>/}; see
 * {@link #primaryArtifact()}.
 *
 * <pre>{@code
 * updater.check().ifPresent(release -> {
 *   log.info("{} is available: {}", release.version(), release.notes());
 *   updater.install(release);
 * });
 * }</pre>
 *
 * <p>A release may be published to only part of the installs, a <em>staged rollout</em>: {@link
 * #rollout()} is the percentage of installs that are offered it (100, the default, means all; 0
 * means the rollout is halted). Which installs are in is decided by a stable hash of each install's
 * random id and the version; see "Staged rollout" in {@code docs/cli.md}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param version the release version
 * @param channel the channel it was published on, such as {@code stable} or {@code beta}
 * @param artifacts the files of the release, at least one
 * @param requirements what the install must have for this release to run
 * @param notes release notes, possibly empty
 * @param publishedAt when the release was published, if the repository says
 * @param rollout the percentage of installs this release is offered to, 0 (halted) to 100 (all)
 * @param manifest the per-file manifest of the primary artifact's tree (its location, size and
 *     SHA-256, covered by the index's signature), if the repository publishes one; it allows
 *     delta installs and the closed-world check of the staged tree (see {@code docs/staging.md})
 */
public record Release(
    Version version,
    String channel,
    List<Artifact> artifacts,
    Requirements requirements,
    String notes,
    Optional<Instant> publishedAt,
    int rollout,
    Optional<Artifact> manifest) {

  /** The rollout of a release offered to every install: 100 percent. */
  public static final int FULL_ROLLOUT = 100;

  public Release {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(requirements, "requirements");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(manifest, "manifest");
    artifacts = List.copyOf(Objects.requireNonNull(artifacts, "artifacts"));
    if (artifacts.isEmpty()) {
      throw new IllegalArgumentException("release " + version + " has no artifacts");
    }
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("release " + version + ": channel must not be empty");
    }
    if (rollout < 0 || rollout > FULL_ROLLOUT) {
      throw new IllegalArgumentException("release " + version + ": rollout must be a percentage "
          + "from 0 to 100, was " + rollout);
    }
  }

  /**
   * A release without a per-file manifest: the constructor of the releases that existed before
   * manifests, kept so that code written for it still compiles.
   */
  public Release(Version version, String channel, List<Artifact> artifacts,
      Requirements requirements, String notes, Optional<Instant> publishedAt, int rollout) {
    this(version, channel, artifacts, requirements, notes, publishedAt, rollout,
        Optional.empty());
  }

  /**
   * A release offered to every install ({@link #FULL_ROLLOUT}): the constructor of the releases
   * that existed before staged rollouts, kept so that code written for it still compiles.
   */
  public Release(Version version, String channel, List<Artifact> artifacts,
      Requirements requirements, String notes, Optional<Instant> publishedAt) {
    this(version, channel, artifacts, requirements, notes, publishedAt, FULL_ROLLOUT);
  }

  /** A release on {@code channel} with one artifact, no requirements, no notes and no time. */
  public static Release of(Version version, String channel, Artifact artifact) {
    return new Release(version, channel, List.of(artifact), Requirements.NONE, "", Optional.empty());
  }

  /** This release offered to {@code percent} of the installs instead (0 halts it). */
  public Release withRollout(int percent) {
    return new Release(version, channel, artifacts, requirements, notes, publishedAt, percent,
        manifest);
  }

  /**
   * This release with the per-file manifest {@code manifest}: the file listing every path of the
   * primary artifact's tree, published beside it (see {@code docs/repository.md}).
   */
  public Release withManifest(Artifact manifest) {
    return new Release(version, channel, artifacts, requirements, notes, publishedAt, rollout,
        Optional.of(Objects.requireNonNull(manifest, "manifest")));
  }

  /** The artifact that is staged as the release tree: the first one listed. */
  public Artifact primaryArtifact() {
    return artifacts.get(0);
  }

  /**
   * The platforms this release has an artifact for; empty when none of its artifacts names one
   * (the release serves every platform).
   */
  public List<Platform> platforms() {
    return artifacts.stream().flatMap(a -> a.platform().stream()).distinct().toList();
  }

  /**
   * This release as an install on {@code platform} takes it, with the artifact to install first
   * ({@link #primaryArtifact()}): the one built for {@code platform}, else the first one that
   * names no platform. A per-file manifest is kept only when it describes that artifact (it
   * describes the first one listed). Empty when the release has artifacts for other platforms
   * only.
   */
  public Optional<Release> forPlatform(Platform platform) {
    Objects.requireNonNull(platform, "platform");
    Optional<Artifact> chosen = artifacts.stream()
        .filter(a -> a.platform().equals(Optional.of(platform))).findFirst()
        .or(() -> artifacts.stream().filter(a -> a.platform().isEmpty()).findFirst());
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    if (chosen.get().equals(primaryArtifact())) {
      return Optional.of(this);
    }
    List<Artifact> ordered = new java.util.ArrayList<>(artifacts);
    ordered.remove(chosen.get());
    ordered.add(0, chosen.get());
    return Optional.of(new Release(version, channel, ordered, requirements, notes, publishedAt,
        rollout, Optional.empty()));
  }
}
