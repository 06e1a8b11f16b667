package dev.updater.core.admin;

import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import java.util.Objects;

/**
 * A failure as the admin API shows it: the machine-readable reason, the failing step and phase,
 * what went wrong and what to do, and when.
 *
 * <p>Immutable and thread-safe. A JSON body: absent values are {@code null}.
 *
 * @param reason the {@link UpdateException.Reason} name, such as {@code HEALTH_CHECK_FAILED}
 * @param step the failing step's name, such as {@code CONFIRM}, or null before any step
 * @param phase the phase's status name, such as {@code restarting}
 * @param message what went wrong and what to do
 * @param at when it failed (ISO-8601), or null when not recorded
 */
public record AdminError(String reason, String step, String phase, String message, String at) {

  public AdminError {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
  }

  /** The error of a recorded failure. */
  public static AdminError of(UpdateStatus.Failure failure) {
    Objects.requireNonNull(failure, "failure");
    return new AdminError(failure.reason().name(), failure.step().map(Enum::name).orElse(null),
        failure.step().map(s -> s.phase().statusName()).orElse("checking"), failure.message(),
        failure.at().toString());
  }

  /** The error of an exception that was not recorded with a time. */
  public static AdminError of(UpdateException e) {
    Objects.requireNonNull(e, "e");
    return new AdminError(e.reason().name(), e.step().map(Enum::name).orElse(null),
        e.phase().statusName(), e.getMessage(), null);
  }
}
