package dev.updater.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A release this install rolled back, and which {@link Updater#check(boolean) check()},
 * {@link Updater#report(boolean) report()} and therefore the {@link UpdateScheduler} no longer
 * offer: without it, a release that fails after activation would be installed, migrated, restarted
 * and rolled back again at every tick. Kept in {@code .updater/quarantine.json} while the version
 * is newer than the live release.
 *
 * <p>A release is quarantined when an install rolls it back after it went live (a failed hook,
 * migration, restart or health check after the switch), when its boot confirmation rolls it back
 * (deadline, crash-loop count, failed health check), and when an operator rolls it back with
 * {@link Updater#rollback()}. An explicit {@link Updater#install} of the version lifts the
 * quarantine once it completes; {@link Updater#unquarantine(Version)} lifts it without installing.
 *
 * <pre>{@code
 * for (QuarantinedRelease q : updater.quarantined()) {
 *   panel.warn(q.version() + " is not offered again: " + q.reason() + " (since " + q.at() + ")");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param version the quarantined version
 * @param reason why it was rolled back, as the rollback recorded it
 * @param at when it was quarantined (the last time, if more than once)
 */
public record QuarantinedRelease(Version version, String reason, Instant at) {

  public QuarantinedRelease {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }
}
