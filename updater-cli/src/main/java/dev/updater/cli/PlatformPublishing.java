package dev.updater.cli;

import dev.updater.core.Artifact;
import dev.updater.core.Platform;
import dev.updater.core.Release;
import dev.updater.core.repository.RepositoryWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code publish --platform P}: adds the artifact of one platform to a version, keeping the
 * artifacts of the other platforms already published for it, so that a release is built up one
 * platform at a time. Re-publishing a platform with other bytes is refused unless {@code --force}.
 */
final class PlatformPublishing {
  static final String HELP = String.join("\n",
      "  --platform P          the platform the artifact is built for: <os>-<arch>, such as",
      "                        linux-x86_64, linux-aarch64, darwin-aarch64, windows-x86_64.",
      "                        Publish each platform's artifact in turn under the same version;",
      "                        an install takes the one for the platform it runs on");

  private PlatformPublishing() {}

  /** The platform {@code --platform} names, if given. */
  static Optional<Platform> platform(Args args) throws CliException {
    Optional<String> text = args.value("--platform");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Platform.parse(text.get()));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--platform: " + e.getMessage());
    }
  }

  /**
   * Copies the artifact of {@code platform} into the repository and describes the release with
   * it in place of (or beside) what is published for {@code options.version()}.
   */
  static Release release(RepositoryWriter writer, PublishOptions options, Platform platform,
      Optional<Release> published, Instant now, Env env) throws CliException {
    if (options.files().size() != 1) {
      throw CliException.usage("--platform takes one artifact, the build for that platform; "
          + "publish each platform's artifact with its own --platform");
    }
    Path file = options.files().get(0);
    Artifact added = PublishCommand.describe(writer, options, file).withPlatform(platform);
    List<Artifact> merged = new ArrayList<>();
    boolean replaced = false;
    for (Artifact old : published.map(Release::artifacts).orElse(List.of())) {
      if (old.platform().equals(Optional.of(platform))) {
        if (!old.sha256().equals(added.sha256()) && !options.force()) {
          throw CliException.refused("version " + options.version() + " is already published "
              + "for " + platform + " with other bytes (" + old.name() + "); publish a new "
              + "version, or pass --force to replace it");
        }
        merged.add(added);
        replaced = true;
      } else if (old.name().equals(added.name())) {
        throw CliException.refused("version " + options.version() + " already has an artifact "
            + "named " + old.name() + " for " + old.platform().map(Object::toString)
            .orElse("every platform") + "; give each platform's file its own name, such as "
            + "myapp-" + platform);
      } else {
        merged.add(old);
      }
    }
    if (!replaced) {
      merged.add(added);
    }
    PublishCommand.putArtifact(writer, options, file);
    int percent = options.rollout()
        .orElse(published.map(Release::rollout).orElse(Release.FULL_ROLLOUT));
    Release release = new Release(options.version(), options.channel(), merged,
        options.requirements(), options.notes(), Optional.of(now), percent);
    boolean primaryKept = published.isPresent()
        && published.get().primaryArtifact().equals(merged.get(0));
    if (primaryKept && published.get().manifest().isPresent()) {
      return release.withManifest(published.get().manifest().get());
    }
    Path primary = merged.get(0).equals(added) ? file : null;
    if (primary != null && options.manifest() && PublishCommand.isArchive(primary)) {
      return release.withManifest(ManifestPublishing.publish(writer, options.version(), primary,
          env));
    }
    return release;
  }
}
