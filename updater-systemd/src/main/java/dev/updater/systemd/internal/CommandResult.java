package dev.updater.systemd.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one finished (or killed) command did: its exit code, whether it ran out of time, and its
 * combined standard output and error.
 *
 * <pre>{@code
 * CommandResult result = runner.run(systemctl, List.of("--user", "restart", unit), timeout);
 * if (!result.succeeded()) throw new RestartException(result.describe());
 * }</pre>
 *
 * <p>Immutable and thread-safe. Not API.
 *
 * @param command the command line as run, executable first
 * @param exitCode the exit status; meaningless when {@code timedOut}
 * @param timedOut whether the command was killed at its timeout
 * @param output stdout and stderr interleaved, trimmed, possibly truncated
 * @param elapsed how long it ran
 */
public record CommandResult(
    List<String> command, int exitCode, boolean timedOut, String output, Duration elapsed) {

  public CommandResult {
    command = List.copyOf(command);
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Whether the command finished in time with status 0. */
  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }

  /** The command line, space-separated, for logs and messages. */
  public String commandLine() {
    return String.join(" ", command);
  }

  /**
   * One line for a log or an exception: the command, how it ended, and its output, for example
   * {@code "pm2 restart myapp" exited 1 after 120 ms: [PM2][ERROR] Process myapp not found}.
   */
  public String describe() {
    String ending = timedOut
        ? "timed out and was killed after " + elapsed.toMillis() + " ms"
        : "exited " + exitCode + " after " + elapsed.toMillis() + " ms";
    return "\"" + commandLine() + "\" " + ending
        + (output.isEmpty() ? " (no output)" : ": " + output);
  }
}
