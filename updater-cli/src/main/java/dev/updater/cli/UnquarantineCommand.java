package dev.updater.cli;

import dev.updater.core.UpdateException;
import dev.updater.core.Version;
import java.util.Set;

/**
 * {@code updater unquarantine}: lifts the quarantine of a release this home rolled back, so that
 * checks offer it again ({@code Updater.unquarantine(Version)}). Installs nothing.
 */
final class UnquarantineCommand implements Command {

  @Override
  public String name() {
    return "unquarantine";
  }

  @Override
  public String summary() {
    return "offer a rolled-back (quarantined) release again; installs nothing";
  }

  @Override
  public String usage() {
    return "updater unquarantine --home DIR --version V";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --home DIR    the install's home directory",
        "  --version V   the quarantined release ('updater status' lists them)",
        "A release is quarantined when it is rolled back: checks and the scheduler no longer",
        "offer it. 'updater install --version V' installs it anyway and lifts the quarantine.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--home", "--version");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Version version = PublishOptions.version(args.value("--version").orElseThrow(() ->
        CliException.usage("--version V is required: name the quarantined release")), "--version");
    boolean lifted;
    try {
      lifted = StatusCommand.local(args, env).unquarantine(version);
    } catch (UpdateException e) {
      throw Installs.failure(e);
    }
    env.out().println(lifted
        ? "lifted the quarantine of " + version + ": checks offer it again"
        : version + " is not quarantined; nothing changed");
    return Exit.OK;
  }
}
