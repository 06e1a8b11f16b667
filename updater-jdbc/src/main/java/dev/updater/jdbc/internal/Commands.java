package dev.updater.jdbc.internal;

import dev.updater.core.command.Command;
import dev.updater.core.command.CommandResult;
import dev.updater.jdbc.MigrationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a migration, dump or restore command to its end through {@link Command}: output and errors
 * merged and logged line by line, a timeout after which the command and its children are ended,
 * and a {@link MigrationException} that names the command, its exit code and its last lines. Not
 * API.
 *
 * <p>Stateless and thread-safe.
 */
public final class Commands {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);
  private static final int TAIL = 20;

  private Commands() {}

  /**
   * Runs {@code command} in {@code directory} with {@code environment} added to this process's.
   *
   * @param purpose what it does, as in "migrate to 1.2.0", for logs and errors
   * @throws MigrationException when it cannot start, exits non-zero or outlives {@code timeout}
   * @throws InterruptedIOException when this thread is interrupted (the command is killed)
   */
  public static void run(List<String> command, Path directory, Map<String, String> environment,
      Duration timeout, String purpose) throws MigrationException, InterruptedIOException {
    String shown = String.join(" ", command);
    String name = command.get(0);
    Command.Builder builder = Command.builder(command).directory(directory).timeout(timeout)
        .onOutputLine(line -> LOG.info("[{}] {}", name, line));
    environment.forEach(builder::variable);
    LOG.info("Running '{}' to {}", shown, purpose);
    CommandResult result;
    try {
      result = builder.build().run();
    } catch (IOException e) {
      throw new MigrationException("cannot start '" + shown + "' to " + purpose + " in "
          + directory + ": " + e.getMessage() + "; is " + name
          + " installed and on the PATH of this process?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException(
          "interrupted while '" + shown + "' ran; it was killed");
      interrupted.initCause(e);
      throw interrupted;
    }
    if (result.timedOut()) {
      throw new MigrationException("'" + shown + "' did not finish within " + timeout
          + " and was killed; last output:" + lastLines(result));
    }
    if (result.exitCode() != 0) {
      throw new MigrationException("'" + shown + "' failed with exit code " + result.exitCode()
          + " while trying to " + purpose + "; last output:" + lastLines(result));
    }
    LOG.info("'{}' finished", shown);
  }

  /** The last {@value #TAIL} lines of output, each on a line of its own, or " (none)". */
  private static String lastLines(CommandResult result) {
    List<String> lines = result.output().lines().toList();
    if (lines.isEmpty()) {
      return " (none)";
    }
    return "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - TAIL),
        lines.size()));
  }
}
