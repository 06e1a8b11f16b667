package dev.updater.cli;

import dev.updater.core.UpdateException;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import java.util.Optional;
import java.util.Set;

/** {@code updater rollback}: back to the previous release recorded in the journal. */
final class RollbackCommand implements Command {

  @Override
  public String name() {
    return "rollback";
  }

  @Override
  public String summary() {
    return "switch back to the previous release";
  }

  @Override
  public String usage() {
    return "updater rollback --home DIR [--version V]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --home DIR   the install's home directory",
        "  --version V  switch to this kept release (under DIR/releases) instead of the previous",
        "               one: for when the previous release fails too",
        "Migrations are not undone; they are expected to be forward-compatible. The release",
        "rolled back from is quarantined: checks no longer offer it (see 'updater unquarantine').",
        "A home installed with --layout single-file gets its previous file back (what FILE.bak",
        "held); one with --layout pointer gets HOME/current.txt naming the previous release.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--home", "--version");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    UpdateResult result;
    try {
      Updater updater = StatusCommand.local(args, env);
      Optional<String> version = args.value("--version");
      result = version.isPresent()
          ? updater.rollback(PublishOptions.version(version.get(), "--version"))
          : updater.rollback();
    } catch (UpdateException e) {
      throw Installs.failure(e);
    }
    if (result instanceof UpdateResult.RolledBack r) {
      env.out().println("rolled back from " + r.from() + " to " + r.to());
      env.out().println(r.from() + " is quarantined: checks no longer offer it ('updater "
          + "unquarantine --version " + r.from() + "' offers it again)");
    } else {
      env.out().println(InstallCommand.describe(result));
    }
    return Exit.OK;
  }
}
