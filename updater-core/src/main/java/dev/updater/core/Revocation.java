package dev.updater.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A publisher's withdrawal of a release, recorded in the signed index of its channel: a revoked
 * version is never offered, an install refuses it by name, and an install that runs it learns of
 * it at its next check (an {@link UpdateScheduler} in {@link UpdateMode#AUTO} rolls back to the
 * newest kept release that is not revoked; otherwise the status, the check report and the admin
 * API show it with its reason).
 *
 * <pre>{@code
 * updater.report(true).installedRevocation().ifPresent(r ->
 *     panel.alert(r.version() + " was withdrawn by its publisher: " + r.reason()));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param version the version withdrawn
 * @param reason why, in the publisher's words (not empty)
 * @param revokedAt when the publisher revoked it
 */
public record Revocation(Version version, String reason, Instant revokedAt) {

  public Revocation {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a revocation needs a reason that users can read");
    }
  }
}
