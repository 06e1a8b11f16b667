package dev.updater.systemd;

import java.util.Objects;

/**
 * Whether a {@link DetectableRestarter} can restart the host here and now, and why (or why not),
 * in words for the log: {@code "pm2 knows app myapp"}, {@code "pm2 not found on PATH"}.
 *
 * <pre>{@code
 * Availability a = restarter.availability();
 * if (!a.isAvailable()) log.info("skipping {}: {}", restarter.description(), a.reason());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param isAvailable whether the restarter can be used
 * @param reason why, in a short phrase; never blank
 */
public record Availability(boolean isAvailable, String reason) {

  public Availability {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank");
    }
  }

  /** The restarter can be used, because {@code reason}. */
  public static Availability available(String reason) {
    return new Availability(true, reason);
  }

  /** The restarter cannot be used, because {@code reason}. */
  public static Availability unavailable(String reason) {
    return new Availability(false, reason);
  }
}
