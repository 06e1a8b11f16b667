package dev.updater.core.admin;

import dev.updater.core.QuarantinedRelease;
import java.util.Objects;

/**
 * A quarantined release as the admin API shows it: a release rolled back after it went live,
 * which checks and the scheduler no longer offer until it is installed by name or lifted with
 * {@link UpdateAdmin#unquarantine(String)}.
 *
 * <p>Immutable and thread-safe. A JSON body.
 *
 * @param version the quarantined version
 * @param reason why it was rolled back
 * @param at when it was quarantined (ISO-8601)
 */
public record AdminQuarantine(String version, String reason, String at) {

  public AdminQuarantine {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  /** The admin view of {@code release}. */
  public static AdminQuarantine of(QuarantinedRelease release) {
    Objects.requireNonNull(release, "release");
    return new AdminQuarantine(release.version().toString(), release.reason(),
        release.at().toString());
  }
}
