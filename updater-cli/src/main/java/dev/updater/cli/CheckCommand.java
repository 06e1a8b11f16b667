package dev.updater.cli;

import dev.updater.core.QuarantinedRelease;
import dev.updater.core.Release;
import dev.updater.core.Revocation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code updater check}: the installed version and the newest one available. Changes nothing. */
final class CheckCommand implements Command {

  @Override
  public String name() {
    return "check";
  }

  @Override
  public String summary() {
    return "show the installed version and the newest available; changes nothing";
  }

  @Override
  public String usage() {
    return "updater check --home DIR --source SOURCE (--trust PUBFILE... | --trust-root PUBFILE... [--root-threshold N] | --unsigned) "
        + "[--channel NAME] [--application NAME] [--force] [--json]";
  }

  @Override
  public String help() {
    return String.join("\n", Installs.SOURCE_HELP,
        "  --force           read the repository now, not a cached check result",
        "  --json            print one JSON object (running, installed, latest, updateAvailable,",
        "                    phase, error, quarantined, ...) instead of lines; on failure too",
        "A release this home rolled back is quarantined: listed, but not offered.",
        "Exit code 0 whether or not an update is available.");
  }

  @Override
  public Set<String> valued() {
    return Installs.SOURCE_OPTIONS;
  }

  @Override
  public Set<String> flags() {
    return Set.of("--unsigned", "--force", "--json");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Path home = Installs.home(args);
    ReleaseSource source = Installs.source(args);
    Updater updater = Installs.updater(args, home, source, env);
    String channel = args.value("--channel").orElse("stable");
    try {
      UpdateStatus status = updater.status();
      Optional<Version> installed = status.installed();
      env.json().ifPresent(j -> j.status(status).node().put("channel", channel)
          .put("source", source.describe()));
      // Each run is a fresh process with an empty check cache, so this reads the repository
      // either way; --force says so explicitly.
      Optional<Release> newer = updater.check(args.flag("--force"));
      List<QuarantinedRelease> quarantined = updater.quarantined();
      Optional<Revocation> revoked = updater.status().revoked();
      env.json().ifPresent(j -> {
        j.version("latest", newer.map(Release::version).or(() -> installed));
        j.node().put("updateAvailable", newer.isPresent());
        j.node().put("notes", newer.map(Release::notes).orElse(null));
        j.quarantined(quarantined);
        StatusCommand.jsonRevoked(j, revoked);
      });
      StatusCommand.printRevoked(env.out(), home, revoked);
      env.out().println("installed: " + installed.map(Version::toString).orElse("(none)"));
      StatusCommand.printQuarantined(env.out(), home, quarantined);
      if (newer.isPresent()) {
        Release r = newer.get();
        env.out().println("available: " + r.version() + " on channel " + channel
            + r.publishedAt().map(t -> ", published " + t).orElse(""));
        if (!r.notes().isEmpty()) {
          env.out().println("notes:     " + r.notes());
        }
        env.out().println("Run 'updater install' with the same options to install it.");
      } else {
        env.out().println("up to date on channel " + channel + " of " + source.describe()
            + StatusCommand.passedOver(quarantined));
      }
    } catch (UpdateException e) {
      throw Installs.failure(e);
    }
    return Exit.OK;
  }

  /** The flags of {@code check} plus {@code extra}. */
  static Set<String> with(Set<String> base, String... extra) {
    Set<String> all = new HashSet<>(base);
    all.addAll(Set.of(extra));
    return Set.copyOf(all);
  }
}
