package dev.updater.cli;

import dev.updater.core.repository.RepositoryKeys;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code updater timestamp}: signs the short-lived timestamp of a channel's index with the online
 * timestamp key named by the repository's newest key list. Meant for a scheduled job, so the
 * release key can stay offline; a refused run writes nothing.
 */
final class TimestampCommand implements Command {

  @Override
  public String name() {
    return "timestamp";
  }

  @Override
  public String summary() {
    return "sign a fresh timestamp of a channel's index with the online timestamp key";
  }

  @Override
  public String usage() {
    return "updater timestamp --repo DIR --key SECFILE [--channel NAME] [--expires-in TIME] "
        + "[--json]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --repo DIR          the repository",
        "  --key SECFILE       the timestamp key's secret key (named by 'updater keys",
        "                      --timestamp-key'); decrypted with UPDATER_KEY_PASSWORD",
        "  --channel NAME      the channel (default: stable)",
        "  --expires-in TIME   how long the timestamp is valid: 1d (default), 12h, 90m. Run",
        "                      the command again well before then (installs refuse an index",
        "                      whose timestamp has expired)",
        "  --json              print one JSON object: {channel, expires, signedBy, file}",
        "Writes channels/NAME.json.timestamp.minisig; the index itself is not changed.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--repo", "--key", "--channel", "--expires-in");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--json");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Path repo = Installs.path(args.required("--repo", "DIR: the repository"), "--repo");
    String channel = args.value("--channel").orElse("stable");
    Instant now = env.clock().instant();
    Instant expires = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(args.value("--expires-in").isPresent()
        ? PublishOptions.duration(args.value("--expires-in").get()) : java.time.Duration.ofDays(1));
    List<SigningKey> keys = KeyListOptions.signers(args, "the timestamp key's secret key");
    if (keys.size() != 1) {
      throw CliException.usage("give one --key: a timestamp is signed by the one timestamp key");
    }
    Path written;
    try {
      written = RepositoryKeys.at(repo).timestamp(channel, keys.get(0), expires, now);
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot write the timestamp: " + e, e);
    } catch (IllegalArgumentException e) {
      throw CliException.refused(e.getMessage());
    }
    env.out().println("wrote " + written + " (timestamp of channel " + channel + ", expires "
        + expires + ")");
    env.json().ifPresent(j -> j.node().put("channel", channel).put("expires", expires.toString())
        .put("signedBy", keys.get(0).keyId()).put("file", written.toString()));
    return Exit.OK;
  }
}
