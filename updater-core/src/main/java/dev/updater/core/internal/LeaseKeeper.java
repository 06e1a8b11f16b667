package dev.updater.core.internal;

import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.spi.Lease;
import dev.updater.core.spi.LockStore;
import java.io.IOException;
import java.time.Duration;

/**
 * The update lock held by one operation. Renewed before every step, which both extends a long
 * update's lease and fences out a holder that was paused past its expiry: once another process has
 * taken the lock over, the renewal fails and the operation stops without touching anything more.
 * Not API.
 */
final class LeaseKeeper {
  private final LockStore store;
  private final Duration ttl;
  private Lease lease;
  private boolean lost;
  private boolean begun;

  LeaseKeeper(LockStore store, Duration ttl, Lease lease) {
    this.store = store;
    this.ttl = ttl;
    this.lease = lease;
  }

  /** Extends the lease before {@code step}, or stops the operation when the lock was lost. */
  void renewBefore(Step step) {
    try {
      var renewed = store.renew(lease, ttl);
      if (renewed.isEmpty()) {
        lost = true;
        throw new UpdateException(Reason.LOCKED, step, "the update lock (token " + lease.token()
            + ") expired and was taken over by another process; this operation stopped before "
            + step + " and changed nothing more. Check the status: the other process owns the"
            + " install now", null);
      }
      lease = renewed.get();
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, step, "cannot renew the update lock: "
          + Failures.describe(e) + "; the operation stopped before " + step, e);
    }
  }

  /** True once a renewal found the lock taken over: the install belongs to someone else. */
  boolean lost() {
    return lost;
  }

  /** Marks that the operation under this lease began: from here on it records its own outcome. */
  void begun() {
    begun = true;
  }

  /** True once the operation began; false while it was still checking its preconditions. */
  boolean hasBegun() {
    return begun;
  }

  /** The lease as last renewed. */
  Lease lease() {
    return lease;
  }
}
