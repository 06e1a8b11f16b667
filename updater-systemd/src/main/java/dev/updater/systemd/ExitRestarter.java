package dev.updater.systemd;

import dev.updater.core.UpdateContext;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Restarts" by ending the process with a non-zero exit code, so that a supervisor configured to
 * restart it on failure (systemd {@code Restart=on-failure}, Docker {@code restart: on-failure},
 * the updater's own launcher) starts it again from the new release.
 *
 * <pre>{@code
 * Restarter restarter = ExitRestarter.withCode(75);           // EX_TEMPFAIL, the default
 * // systemd: Restart=on-failure, RestartForceExitStatus=75, SuccessExitStatus=75
 * }</pre>
 *
 * <p>Always available, so it belongs last in a chain. In production {@link #restart} flushes
 * {@code System.out} and {@code System.err} and calls {@code System.exit(code)}, which runs the
 * JVM's shutdown hooks and never returns. {@link #exitingVia} replaces the exit, for a host that
 * shuts down its own way or a test that records the code; then {@code restart} returns once the
 * action does. The code is 1 to 255: 0 would tell a supervisor the app stopped on purpose, and
 * larger values are truncated by the operating system. Immutable and thread-safe.
 */
public final class ExitRestarter implements DetectableRestarter {
  /** EX_TEMPFAIL from sysexits.h: "temporary failure, try again". */
  public static final int DEFAULT_CODE = 75;
  private static final Logger LOG = LoggerFactory.getLogger(ExitRestarter.class);

  private final int code;
  private final IntConsumer exit;

  private ExitRestarter(int code, IntConsumer exit) {
    if (code < 1 || code > 255) {
      throw new IllegalArgumentException(
          "exit code must be 1..255 so a supervisor sees a failure, got " + code);
    }
    this.code = code;
    this.exit = Objects.requireNonNull(exit, "exit");
  }

  /** Ends the process with {@link #DEFAULT_CODE} (75). */
  public static ExitRestarter withDefaultCode() {
    return withCode(DEFAULT_CODE);
  }

  /** Ends the process with {@code code}, 1 to 255. */
  public static ExitRestarter withCode(int code) {
    return new ExitRestarter(code, System::exit);
  }

  /** The same restarter, ending the process through {@code exit} instead of System.exit. */
  public ExitRestarter exitingVia(IntConsumer exit) {
    return new ExitRestarter(code, exit);
  }

  /** The exit code. */
  public int code() {
    return code;
  }

  @Override
  public Availability availability() {
    return Availability.available("always: exits with code " + code + " for a supervisor");
  }

  @Override
  public void restart(UpdateContext context) {
    Objects.requireNonNull(context, "context");
    LOG.warn("Exiting with code {} so that the supervisor starts version {}", code, context.to());
    System.out.flush();
    System.err.flush();
    exit.accept(code);
  }

  @Override
  public String description() {
    return "exit " + code;
  }

  @Override
  public String toString() {
    return "ExitRestarter[" + code + "]";
  }
}
