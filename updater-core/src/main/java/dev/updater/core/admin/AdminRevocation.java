package dev.updater.core.admin;

import dev.updater.core.Revocation;
import java.util.Objects;

/**
 * The publisher's revocation of the installed release as the admin API shows it: the install runs
 * a release its publisher withdrew, and a panel should say so prominently, with the reason.
 *
 * <pre>{@code
 * {"version":"1.1.0","reason":"corrupts exports; 1.1.1 fixes it","revokedAt":"2026-03-01T12:00:00Z"}
 * }</pre>
 *
 * <p>Immutable and thread-safe. A JSON body.
 *
 * @param version the revoked version
 * @param reason why, in the publisher's words
 * @param revokedAt when it was revoked (ISO-8601)
 */
public record AdminRevocation(String version, String reason, String revokedAt) {

  public AdminRevocation {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  /** The admin view of {@code revocation}. */
  public static AdminRevocation of(Revocation revocation) {
    Objects.requireNonNull(revocation, "revocation");
    return new AdminRevocation(revocation.version().toString(), revocation.reason(),
        revocation.revokedAt().toString());
  }
}
