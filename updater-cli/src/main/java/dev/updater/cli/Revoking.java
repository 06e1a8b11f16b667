package dev.updater.cli;

import dev.updater.core.ReleaseIndex;
import dev.updater.core.Revocation;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code updater publish --revoke V --reason TEXT}: records the revocation of a published version
 * in the channel's signed index, through {@link RepositoryWriter#revoke}, with the same signing
 * rules as a publish.
 */
final class Revoking {
  /** The options of {@code publish} that a revocation takes. */
  private static final List<String> ALLOWED = List.of("--repo", "--revoke", "--reason", "--key",
      "--channel", "--expires-in");

  private Revoking() {}

  static int run(Args args, Env env) throws CliException {
    refuseOptionsOfAPublish(args);
    Path repo = Installs.path(args.required("--repo", "DIR: the update repository"), "--repo");
    Version version = PublishOptions.version(args.value("--revoke").orElseThrow(), "--revoke");
    String reason = args.required("--reason", "TEXT: why the version is revoked, shown to users");
    if (reason.isBlank()) {
      throw CliException.usage("--reason must say why " + version + " is revoked");
    }
    String channel = args.value("--channel").orElse("stable");
    if (!RepositoryWriter.isChannelName(channel)) {
      throw CliException.usage("--channel '" + channel + "' is not a channel name");
    }
    Duration expiresIn = PublishOptions.duration(args.value("--expires-in").orElse(null));
    Optional<SigningKey> key = PublishOptions.key(args);
    RepositoryWriter writer = key.map(k -> RepositoryWriter.signed(repo, k))
        .orElseGet(() -> RepositoryWriter.unsigned(repo));
    Optional<ReleaseIndex> existing = PublishCommand.existingIndex(writer, channel);
    if (existing.isEmpty()) {
      throw CliException.refused("channel " + channel + " is not published in " + repo
          + ", so there is nothing to revoke");
    }
    if (existing.get().find(version).isEmpty()) {
      throw CliException.refused(version + " is not published on channel " + channel + " of "
          + repo + "; check the version");
    }
    if (writer.isSigned(channel)) {
      if (key.isEmpty()) {
        throw CliException.refused("channel " + channel + " is signed but no --key was given: "
            + "pass --key FILE to sign the revocation");
      }
      PublishCommand.checkExistingSignature(repo, channel, key.get());
    }
    Instant now = env.clock().instant();
    ReleaseIndex index;
    try {
      index = writer.revoke(channel, version, reason, now, now.plus(expiresIn));
    } catch (IllegalArgumentException e) {
      throw CliException.refused(e.getMessage());
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot write " + writer.indexFile(channel) + ": "
          + e + "; nothing was revoked", e);
    }
    Revocation r = index.revocation(version).orElseThrow();
    env.out().println("revoked " + version + " on channel " + channel + " (serial "
        + index.serial() + ", index expires " + index.expires().orElseThrow() + "): "
        + r.reason());
    if (key.isEmpty()) {
      env.err().println("warning: " + writer.indexFile(channel) + " is not signed; installs must"
          + " use --unsigned");
    }
    return Exit.OK;
  }

  private static void refuseOptionsOfAPublish(Args args) throws CliException {
    for (String option : List.of("--version", "--artifact", "--notes", "--notes-file",
        "--rollout", "--requires-db", "--upgrades-from", "--min-from", "--application")) {
      if (args.value(option).isPresent()) {
        throw CliException.usage("--revoke takes only " + String.join(", ", ALLOWED) + "; "
            + option + " belongs to a publish");
      }
    }
    if (!args.operands().isEmpty()) {
      throw CliException.usage("--revoke takes no artifact files");
    }
  }
}
