package dev.updater.systemd;

import dev.updater.core.spi.Restarter;

/**
 * A {@link Restarter} that can tell, without side effects, whether it can work on this machine
 * (its command is on the PATH, the service is known, the privilege is granted). {@link
 * RestartChain} asks each candidate in order and uses the first available one that succeeds.
 *
 * <pre>{@code
 * DetectableRestarter pm2 = Restarters.pm2("myapp");
 * Availability availability = pm2.availability();   // runs "pm2 describe myapp" at most
 * if (availability.isAvailable()) pm2.restart(context);
 * }</pre>
 *
 * <p>Implement it for another supervisor (runit, s6, launchd, a Windows service) and put it in a
 * chain. {@link #availability()} must not change anything (no restart, no daemon started, no
 * password prompt), must return rather than throw, and should finish within a few seconds.
 * Implementations should be thread-safe; the ones in this module are.
 */
public interface DetectableRestarter extends Restarter {

  /** Whether {@link #restart} can work now, and why; never throws. */
  Availability availability();

  /** A short name for logs and decisions, such as {@code "pm2 restart myapp"}. */
  default String description() {
    return toString();
  }
}
