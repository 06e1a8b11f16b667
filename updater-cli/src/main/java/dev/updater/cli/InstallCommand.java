package dev.updater.cli;

import dev.updater.core.QuarantinedRelease;
import dev.updater.core.Platform;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code updater install}: installs the newest release (or the one named) through the full
 * pipeline, printing each step. Into an empty home it installs the first release.
 */
final class InstallCommand implements Command {

  @Override
  public String name() {
    return "install";
  }

  @Override
  public String summary() {
    return "install the newest release (or --version V) into a home";
  }

  @Override
  public String usage() {
    return "updater install --home DIR --source SOURCE (--trust PUBFILE... | --trust-root PUBFILE... [--root-threshold N] | --unsigned) "
        + "[--channel NAME] [--application NAME] [--version V [--downgrade]] [--shared PATHS] "
        + "[--layout LAYOUT [--target FILE]] [--after-stage CMD]... [--before-activate CMD]... [--after-activate CMD]... "
        + "[--hook-timeout SECONDS] [--json]\n"
        + "       updater install --repair --home DIR [--shared PATHS] [--after-stage CMD]... "
        + "[--json]";
  }

  @Override
  public String help() {
    return String.join("\n", Installs.SOURCE_HELP,
        "  --version V       install exactly this version instead of the newest",
        "  --downgrade       allow --version to name a release older than the installed one",
        "  --shared PATHS    comma-separated paths kept in HOME/shared and linked into every",
        "                    release, such as data,config,logs (default: none)",
        "  --repair          repair the live release in place instead: link the shared paths",
        "                    again, re-run the stage hooks and migrations, restart and confirm.",
        "                    Reads no source (--source and --trust may be left out)",
        Layouts.HELP,
        CommandHooks.HELP,
        "  --json            print one JSON object (installed, previous, latest, updateAvailable,",
        "                    phase, result, error, ...) instead of the result line; on failure too.",
        "                    The step lines then go to the error stream",
        "Prints each step as a plain line ([downloading] download 1.1.0), then the result.");
  }

  @Override
  public Set<String> valued() {
    Set<String> all = new java.util.HashSet<>(
        CheckCommand.with(Installs.SOURCE_OPTIONS, "--version", "--shared"));
    all.addAll(CommandHooks.OPTIONS);
    all.addAll(Layouts.OPTIONS);
    return Set.copyOf(all);
  }

  @Override
  public Set<String> flags() {
    return Set.of("--unsigned", "--downgrade", "--repair", "--json");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Path home = Installs.home(args);
    Optional<Version> wanted = Optional.empty();
    Optional<String> versionText = args.value("--version");
    if (versionText.isPresent()) {
      wanted = Optional.of(PublishOptions.version(versionText.get(), "--version"));
    }
    boolean downgrade = args.flag("--downgrade");
    if (downgrade && wanted.isEmpty()) {
      throw CliException.usage("--downgrade needs --version V: name the older release to install");
    }
    if (args.flag("--repair")) {
      if (wanted.isPresent()) {
        throw CliException.usage("--repair repairs the live release; it takes no --version");
      }
      return repair(args, env);
    }
    ReleaseSource source = Installs.source(args);
    Updater updater = Installs.updater(args, home, source, env);
    String channel = args.value("--channel").orElse("stable");
    try {
      env.json().ifPresent(j -> j.status(updater.status()).node().put("channel", channel)
          .put("source", source.describe()));
      Release release;
      if (wanted.isPresent()) {
        Version v = wanted.get();
        release = updater.find(v).orElseThrow(() -> CliException.failed(Exit.UNAVAILABLE,
            "version " + v + " is not published on channel " + channel + " of "
                + source.describe() + "; run 'updater check' to see what is", null));
      } else {
        Optional<Release> newer = updater.check();
        if (newer.isEmpty()) {
          // the newest is not offered when it has no build for this platform: say so by refusing
          newer = newestForAnotherPlatform(updater, args);
        }
        if (newer.isEmpty()) {
          printUpToDate(updater, home, channel, env);
          return Exit.OK;
        }
        release = newer.get();
      }
      Version target = release.version();
      env.json().ifPresent(j -> j.version("latest", Optional.of(target)).node()
          .put("updateAvailable", true));
      UpdateResult result = downgrade ? updater.downgrade(release) : updater.install(release);
      env.out().println(describe(result));
      report(env, updater, result);
      return Exit.OK;
    } catch (UpdateException e) {
      env.json().ifPresent(j -> afterFailure(j, updater));
      throw Installs.failure(e);
    }
  }

  private static int repair(Args args, Env env) throws CliException {
    Path home = StatusCommand.existingHome(args);
    Updater updater = Installs.updater(args, home, Sources.none(), env);
    try {
      UpdateResult result = updater.repair();
      env.out().println(describe(result));
      report(env, updater, result);
      return Exit.OK;
    } catch (UpdateException e) {
      env.json().ifPresent(j -> afterFailure(j, updater));
      throw Installs.failure(e);
    }
  }

  /** Puts the result and the state after it into the JSON report. */
  private static void report(Env env, Updater updater, UpdateResult result) {
    if (env.json().isEmpty()) {
      return;
    }
    JsonReport j = env.json().get();
    j.status(updater.status());
    j.node().put("result", kind(result));
    if (result instanceof UpdateResult.Updated u) {
      j.version("from", u.from()).version("to", Optional.of(u.to()));
      j.node().put("updateAvailable", false);
    }
  }

  /** After a failed operation: the state it left, read again (the command's error follows). */
  private static void afterFailure(JsonReport j, Updater updater) {
    try {
      j.status(updater.status());
    } catch (UpdateException ignored) {
      // the state cannot be read either; the command's error says why the operation failed
    }
  }

  private static String kind(UpdateResult result) {
    if (result instanceof UpdateResult.Updated) {
      return "installed";
    } else if (result instanceof UpdateResult.UpToDate) {
      return "up-to-date";
    } else if (result instanceof UpdateResult.RolledBack) {
      return "rolled-back";
    } else if (result instanceof UpdateResult.Repaired) {
      return "repaired";
    }
    return result.getClass().getSimpleName();
  }

  /** One line for a result. */
  static String describe(UpdateResult result) {
    if (result instanceof UpdateResult.Updated u) {
      return "installed " + u.to() + u.from().map(f -> " (was " + f + ")").orElse(" (first install)");
    } else if (result instanceof UpdateResult.UpToDate u) {
      return u.version() + " is already installed";
    } else if (result instanceof UpdateResult.RolledBack r) {
      return "rolled back from " + r.from() + " to " + r.to();
    } else if (result instanceof UpdateResult.Repaired r) {
      return "repaired " + r.version();
    }
    return result.toString();
  }

  /**
   * The channel's newest release when it is newer than the installed one and has no artifact for
   * this install's platform: installing it is refused with a message that names both platforms.
   */
  private static Optional<Release> newestForAnotherPlatform(Updater updater, Args args)
      throws CliException {
    Optional<Version> installed = updater.status().installed();
    Platform platform = args.value("--platform").map(Platform::parse).orElse(Platform.current());
    return updater.report(false).latest()
        .filter(v -> installed.map(v::isNewerThan).orElse(true))
        .flatMap(updater::find)
        .filter(r -> r.forPlatform(platform).isEmpty());
  }

  private static void printUpToDate(Updater updater, Path home, String channel, Env env) {
    Optional<Version> installed = updater.status().installed();
    env.json().ifPresent(j -> j.version("latest", installed).node()
        .put("updateAvailable", false).put("result", "up-to-date"));
    List<QuarantinedRelease> quarantined = updater.quarantined();
    env.out().println("up to date: installed " + installed.map(Version::toString).orElse("(none)")
        + ", nothing newer on channel " + channel + StatusCommand.passedOver(quarantined));
    StatusCommand.printQuarantined(env.out(), home, quarantined);
    StatusCommand.printRevoked(env.out(), home, updater.status().revoked());
  }
}
