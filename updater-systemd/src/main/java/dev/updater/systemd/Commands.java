package dev.updater.systemd;

import dev.updater.systemd.internal.CommandResult;
import dev.updater.systemd.internal.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The restarters' shared way of finding, probing and running commands, with logging. */
final class Commands {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

  private final CommandEnvironment environment;
  private final CommandRunner runner;

  Commands(CommandEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.runner = environment.runner();
  }

  CommandEnvironment environment() {
    return environment;
  }

  Optional<Path> find(String command) {
    return runner.find(command);
  }

  Optional<String> variable(String name) {
    return runner.variable(name);
  }

  /** Runs a detection command with the detection timeout; output is logged at debug. */
  CommandResult probe(Path executable, String... arguments)
      throws IOException, InterruptedException {
    CommandResult result =
        runner.run(executable, List.of(arguments), environment.detectionTimeout());
    LOG.debug("Detection: {}", result.describe());
    return result;
  }

  /**
   * Runs a restart command with the restart timeout; its output is logged, and a non-zero exit or
   * a timeout becomes a {@link RestartException} whose message carries the output.
   */
  void restart(Path executable, String... arguments)
      throws RestartException, InterruptedException {
    List<String> args = List.of(arguments);
    LOG.info("Running {} {}", executable, String.join(" ", args));
    CommandResult result;
    try {
      result = runner.run(executable, args, environment.restartTimeout());
    } catch (IOException e) {
      throw new RestartException("could not start " + executable + ": " + e.getMessage(), e);
    }
    if (!result.succeeded()) {
      LOG.warn("Restart command failed: {}", result.describe());
      throw new RestartException(result.describe());
    }
    LOG.info("Restart command succeeded: {}", result.describe());
  }

  /** Availability for a probe that could not run; restores the interrupt flag. */
  static Availability failedProbe(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return Availability.unavailable("interrupted while " + what);
    }
    return Availability.unavailable("could not run " + what + ": " + e.getMessage());
  }

  /**
   * Checks a pm2 app name or systemd unit name given by the caller: not blank, no whitespace or
   * control characters, and not starting with '-' (so it can never be read as an option).
   */
  static String checkName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty() || name.startsWith("-")
        || name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          what + " must be non-empty, without whitespace, and not start with '-': '" + name + "'");
    }
    return name;
  }
}
