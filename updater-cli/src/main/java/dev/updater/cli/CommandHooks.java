package dev.updater.cli;

import dev.updater.core.Step;
import dev.updater.core.Updater;
import dev.updater.core.command.CommandHook;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The command hook options of {@code install}: {@code --after-stage CMD}, {@code --before-activate
 * CMD} and {@code --after-activate CMD} (each repeatable, run by {@code sh -c} in the release tree
 * of the step, in the order given) and {@code --hook-timeout SECONDS}.
 */
final class CommandHooks {
  static final Set<String> OPTIONS = Set.of("--after-stage", "--before-activate",
      "--after-activate", "--hook-timeout");
  static final String HELP = String.join("\n",
      "  --after-stage CMD     run CMD with 'sh -c' in the staged tree before it is published",
      "                        (npm ci, a build); a non-zero exit refuses the install and the",
      "                        live release stays as it was. Repeat to run several, in order",
      "  --before-activate CMD run CMD in releases/<version> just before the switch",
      "  --after-activate CMD  run CMD in the new live release just after the switch; a",
      "                        non-zero exit puts the previous release back",
      "  --hook-timeout SECONDS  how long each hook may run before it and every process it",
      "                        started are ended, failing the install (default 600)");

  private CommandHooks() {}

  /** Adds the hooks the options name to {@code builder}. */
  static void add(Args args, Updater.Builder builder) throws CliException {
    Duration timeout = timeout(args);
    add(args, "--after-stage", timeout, hook -> builder.after(Step.STAGE, hook));
    add(args, "--before-activate", timeout, hook -> builder.before(Step.ACTIVATE, hook));
    add(args, "--after-activate", timeout, hook -> builder.after(Step.ACTIVATE, hook));
  }

  private interface Adding {
    void add(CommandHook hook);
  }

  private static void add(Args args, String option, Duration timeout, Adding adding)
      throws CliException {
    for (String script : args.values(option)) {
      if (script.isBlank()) {
        throw CliException.usage(option + " needs a command to run, such as " + option
            + " 'npm ci --omit=dev'");
      }
      adding.add(CommandHook.shell(script).timeout(timeout).build());
    }
  }

  private static Duration timeout(Args args) throws CliException {
    Optional<String> text = args.value("--hook-timeout");
    if (text.isEmpty()) {
      return CommandHook.DEFAULT_TIMEOUT;
    }
    long seconds;
    try {
      seconds = Long.parseLong(text.get().trim());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1) {
      throw CliException.usage("--hook-timeout " + text.get()
          + " is not a whole number of seconds above 0, such as --hook-timeout 300");
    }
    return Duration.ofSeconds(seconds);
  }
}
