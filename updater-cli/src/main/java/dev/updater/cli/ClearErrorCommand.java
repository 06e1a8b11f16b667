package dev.updater.cli;

import dev.updater.core.UpdateException;
import java.util.Set;

/** {@code updater clear-error}: discard a failed status; the history keeps the failure. */
final class ClearErrorCommand implements Command {

  @Override
  public String name() {
    return "clear-error";
  }

  @Override
  public String summary() {
    return "discard a failed status (the history keeps it)";
  }

  @Override
  public String usage() {
    return "updater clear-error --home DIR";
  }

  @Override
  public String help() {
    return "  --home DIR   the install's home directory";
  }

  @Override
  public Set<String> valued() {
    return Set.of("--home");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    try {
      StatusCommand.local(args, env).clearError();
    } catch (UpdateException e) {
      throw Installs.failure(e);
    }
    env.out().println("cleared the failed status");
    return Exit.OK;
  }
}
