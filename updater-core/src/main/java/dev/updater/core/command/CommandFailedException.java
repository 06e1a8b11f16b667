package dev.updater.core.command;

import java.io.IOException;
import java.util.Optional;

/**
 * A {@link CommandHook}'s program failed: it exited non-zero, outlived its timeout, or could not be
 * started. The message names the command, how it ended and the tail of its output.
 *
 * <pre>{@code
 * try {
 *   hook.run(context);
 * } catch (CommandFailedException e) {
 *   e.result().ifPresent(r -> log.warn("exit {}: {}", r.exitCode(), r.output()));
 * }
 * }</pre>
 *
 * <p>Immutable after construction; safe to hand between threads.
 */
public final class CommandFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Not serialised: a deserialised exception keeps its message only. */
  private final transient CommandResult result;

  /**
   * A failure with {@code message}, the result of the run when the program ran, and the cause when
   * it could not be started.
   */
  public CommandFailedException(String message, Optional<CommandResult> result, Throwable cause) {
    super(message, cause);
    this.result = result.orElse(null);
  }

  /** How the program ended; empty when it could not be started. */
  public Optional<CommandResult> result() {
    return Optional.ofNullable(result);
  }
}
