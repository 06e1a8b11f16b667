package dev.updater.systemd;

/**
 * A restart that did not happen: a command exited non-zero or ran out of time, or no restarter of
 * a chain was available. The message names the command, how it ended, and its output; a chain's
 * message lists every candidate and why it was skipped or failed, with their failures suppressed.
 *
 * <pre>{@code
 * try {
 *   restarter.restart(context);
 * } catch (RestartException e) {
 *   log.error("restart failed: {}", e.getMessage());   // "pm2 restart myapp" exited 1 ...
 * }
 * }</pre>
 *
 * <p>The updater's pipeline reports it as a failed restart and reverts to the previous release.
 * Immutable once thrown; safe to share.
 */
public final class RestartException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public RestartException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public RestartException(String message, Throwable cause) {
    super(message, cause);
  }
}
