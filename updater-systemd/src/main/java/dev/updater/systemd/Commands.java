package dev.updater.systemd;

import dev.updater.core.command.Command;
import dev.updater.core.command.CommandResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restarters' shared way of finding, probing and running commands, with logging. Commands are
 * looked up on the PATH of the {@link CommandEnvironment} and see exactly its variables; the JVM's
 * own environment is never read or changed here.
 */
final class Commands {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

  private final CommandEnvironment environment;
  private final Map<String, String> variables;

  Commands(CommandEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.variables = environment.variables();
  }

  CommandEnvironment environment() {
    return environment;
  }

  /**
   * The first executable regular file named {@code command} in a directory of the PATH, as an
   * absolute path; empty when there is none (or no PATH). An empty PATH entry, which a shell reads
   * as the working directory, is skipped. Has no side effects.
   */
  Optional<Path> find(String command) {
    for (String dir : variables.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue; // never trust the working directory here
      }
      try {
        Path candidate = Path.of(dir).resolve(command);
        if (candidate.isAbsolute() && Files.isRegularFile(candidate)
            && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        LOG.debug("Ignoring PATH entry {}: {}", dir, e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The value of a variable of the environment. */
  Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  /** Runs a detection command with the detection timeout; output is logged at debug. */
  CommandResult probe(Path executable, String... arguments)
      throws IOException, InterruptedException {
    CommandResult result = run(executable, arguments, environment.detectionTimeout());
    LOG.debug("Detection: {}", result.describe());
    return result;
  }

  /**
   * Runs a restart command with the restart timeout; its output is logged, and a non-zero exit or
   * a timeout becomes a {@link RestartException} whose message carries the output.
   */
  void restart(Path executable, String... arguments)
      throws RestartException, InterruptedException {
    LOG.info("Running {} {}", executable, String.join(" ", arguments));
    CommandResult result;
    try {
      result = run(executable, arguments, environment.restartTimeout());
    } catch (IOException e) {
      throw new RestartException("could not start " + executable + ": " + e.getMessage(), e);
    }
    if (!result.succeeded()) {
      LOG.warn("Restart command failed: {}", result.describe());
      throw new RestartException(result.describe());
    }
    LOG.info("Restart command succeeded: {}", result.describe());
  }

  private CommandResult run(Path executable, String[] arguments, Duration timeout)
      throws IOException, InterruptedException {
    List<String> commandLine = new ArrayList<>();
    commandLine.add(executable.toString());
    commandLine.addAll(List.of(arguments));
    return Command.builder(commandLine).environment(variables).timeout(timeout).build().run();
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
