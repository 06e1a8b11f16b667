package dev.updater.core.internal;

import dev.updater.core.UpdateContext;
import dev.updater.core.command.Command;
import dev.updater.core.command.CommandResult;
import dev.updater.core.spi.Restarter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Restarts by running a command without a shell, with a timeout; {@code {version}},
 * {@code {release}} and {@code {home}} in an argument are replaced from the context. The command's
 * output goes where this process's output goes. Used by the watcher. Not API.
 */
final class CommandRestarter implements Restarter {
  private final List<String> command;
  private final Duration timeout;

  CommandRestarter(List<String> command, Duration timeout) {
    this.command = List.copyOf(command);
    this.timeout = timeout;
  }

  /** {@code command} with the placeholders of {@code context} filled in. */
  List<String> resolve(UpdateContext context) {
    List<String> resolved = new ArrayList<>(command.size());
    for (String arg : command) {
      resolved.add(arg.replace("{version}", context.to().toString())
          .replace("{release}", context.releaseDir().toString())
          .replace("{home}", context.layout().home().toString()));
    }
    return resolved;
  }

  @Override
  public void restart(UpdateContext context) throws Exception {
    List<String> resolved = resolve(context);
    CommandResult result = Command.builder(resolved).timeout(timeout).inheritOutput().build()
        .run();
    if (result.timedOut()) {
      throw new TimeoutException("'" + String.join(" ", resolved) + "' did not finish within "
          + timeout + " and was killed");
    }
    if (result.exitCode() != 0) {
      throw new IllegalStateException("'" + String.join(" ", resolved) + "' exited "
          + result.exitCode());
    }
  }

  @Override
  public String toString() {
    return String.join(" ", command);
  }
}
