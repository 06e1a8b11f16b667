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
 * <p>Immutable and thread-safe.
 *
 * @param version the release version
 * @param channel the channel it was published on, such as {@code stable} or {@code beta}
 * @param artifacts the files of the release, at least one
 * @param requirements what the install must have for this release to run
 * @param notes release notes, possibly empty
 * @param publishedAt when the release was published, if the repository says
 */
public record Release(
    Version version,
    String channel,
    List<Artifact> artifacts,
    Requirements requirements,
    String notes,
    Optional<Instant> publishedAt) {

  public Release {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(requirements, "requirements");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(publishedAt, "publishedAt");
    artifacts = List.copyOf(Objects.requireNonNull(artifacts, "artifacts"));
    if (artifacts.isEmpty()) {
      throw new IllegalArgumentException("release " + version + " has no artifacts");
    }
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("release " + version + ": channel must not be empty");
    }
  }

  /** A release on {@code channel} with one artifact, no requirements, no notes and no time. */
  public static Release of(Version version, String channel, Artifact artifact) {
    return new Release(version, channel, List.of(artifact), Requirements.NONE, "", Optional.empty());
  }

  /** The artifact that is staged as the release tree: the first one listed. */
  public Artifact primaryArtifact() {
    return artifacts.get(0);
  }
}
