package dev.updater.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A held lock: who holds it, its fencing token, and until when.
 *
 * <p>Immutable and thread-safe.
 *
 * @param owner who holds the lock (a node id, a process description)
 * @param token a number greater than that of every earlier acquisition of the same lock
 * @param acquiredAt when the lock was acquired
 * @param expiresAt when it may be taken over unless renewed
 */
public record Lease(String owner, long token, Instant acquiredAt, Instant expiresAt) {
  public Lease {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
