package dev.updater.spring.boot;

import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Updater;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of the install as the updater sees it, under the name {@code updater}:
 *
 * <ul>
 *   <li>{@code UP}: this application runs the live release, also while an update runs or awaits
 *       confirmation (a confirmation's health check may call this very endpoint), and after a
 *       failed update that put the previous release back (the details show the error).
 *   <li>{@code OUT_OF_SERVICE}: another release is live than the one this process runs (an update
 *       was installed without a restarter, or rolled back under it): restart the application.
 *   <li>{@code DOWN}: an operator is needed: the install's state cannot be read, or the last
 *       operation failed on the install itself (its directories or files, {@code IO_ERROR} or
 *       {@code INVALID_LAYOUT}).
 *   <li>{@code UNKNOWN}: nothing is installed in the home yet.
 * </ul>
 *
 * <p>The details name the live, running, target and previous versions, the state and phase, and
 * the last error. Reads {@link Updater#status()}, which may complete a pending confirmation of the
 * release this process runs (see {@code docs/confirmation.md}).
 *
 * <p>Thread-safe.
 */
public class UpdaterHealthIndicator implements HealthIndicator {
  /** Failures that leave the install needing an operator's repair. */
  private static final Set<UpdateException.Reason> OPERATOR_NEEDED =
      Set.of(UpdateException.Reason.IO_ERROR, UpdateException.Reason.INVALID_LAYOUT);

  private final Updater updater;

  /** A health indicator of {@code updater}'s install. */
  public UpdaterHealthIndicator(Updater updater) {
    this.updater = Objects.requireNonNull(updater, "updater");
  }

  @Override
  public Health health() {
    UpdateStatus s;
    try {
      s = updater.status();
    } catch (UpdateException e) {
      return Health.down(e).withDetail("operatorNeeded", true).build();
    }
    Health.Builder health = Health.status(status(s))
        .withDetail("state", s.state().name())
        .withDetail("phase", s.phase().statusName())
        .withDetail("operatorNeeded", operatorNeeded(s));
    s.installed().ifPresent(v -> health.withDetail("liveVersion", v.toString()));
    s.running().ifPresent(v -> health.withDetail("runningVersion", v.toString()));
    s.target().ifPresent(v -> health.withDetail("targetVersion", v.toString()));
    s.previous().ifPresent(v -> health.withDetail("previousVersion", v.toString()));
    s.error().ifPresent(f -> health.withDetail("error", f.reason() + ": " + f.message()));
    return health.build();
  }

  private static Status status(UpdateStatus s) {
    if (operatorNeeded(s)) {
      return Status.DOWN;
    }
    if (s.installed().isEmpty()) {
      return Status.UNKNOWN;
    }
    boolean busy = s.state() == State.IN_PROGRESS || s.state() == State.AWAITING_CONFIRMATION;
    return s.restartRequired() && !busy ? Status.OUT_OF_SERVICE : Status.UP;
  }

  private static boolean operatorNeeded(UpdateStatus s) {
    return s.error().map(f -> OPERATOR_NEEDED.contains(f.reason())).orElse(false);
  }
}
