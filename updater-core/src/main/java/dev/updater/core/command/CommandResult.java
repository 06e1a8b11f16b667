package dev.updater.core.command;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one run of a {@link Command} ended: its exit status, whether it was ended at its timeout,
 * the last of its output, and how long it ran.
 *
 * <pre>{@code
 * CommandResult result = Command.builder("systemctl", "--user", "restart", "myapp.service")
 *     .timeout(Duration.ofSeconds(30))
 *     .build()
 *     .run();
 * if (!result.succeeded()) {
 *   throw new IllegalStateException(result.describe());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param command the program and its arguments, as run
 * @param exitCode the exit status; {@code -1} when {@code timedOut}
 * @param timedOut whether the command outlived its timeout and was ended
 * @param output standard output and error as they were interleaved, decoded as UTF-8 and stripped
 *     of leading and trailing white space; only the last {@link Command.Builder#outputLimit} bytes
 *     when there was more (then {@code outputTruncated}); empty when the output was not captured
 * @param outputTruncated whether earlier output was dropped to keep within the limit
 * @param elapsed how long the command ran, from its start until it ended or was ended
 */
public record CommandResult(List<String> command, int exitCode, boolean timedOut, String output,
    boolean outputTruncated, Duration elapsed) {

  /** Checks that no component is null and copies {@code command}. */
  public CommandResult {
    command = List.copyOf(command);
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Whether the command finished within its timeout with exit status 0. */
  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }

  /** The program and its arguments separated by spaces, for logs and messages. */
  public String commandLine() {
    return String.join(" ", command);
  }

  /**
   * One line for a log or an exception: the command, how it ended and its output, for example
   * {@code "pm2 restart myapp" exited 1 after 120 ms: [PM2][ERROR] Process myapp not found}.
   */
  public String describe() {
    String ending = timedOut
        ? "timed out and was killed after " + elapsed.toMillis() + " ms"
        : "exited " + exitCode + " after " + elapsed.toMillis() + " ms";
    String shown = outputTruncated ? "[earlier output dropped] " + output : output;
    return "\"" + commandLine() + "\" " + ending
        + (shown.isEmpty() ? " (no output)" : ": " + shown);
  }
}
