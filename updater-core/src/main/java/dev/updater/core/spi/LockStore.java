package dev.updater.core.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One update at a time: a lock with an owner, an expiry and a fencing token.
 *
 * <p>{@link #tryAcquire} never waits: it returns a {@link Lease} or, when someone else holds an
 * unexpired lock, empty. A lock whose holder is gone (expired, or a dead process where the store
 * can tell) is taken over, and every acquisition gets a token greater than any before it, so a
 * holder that was paused past its expiry can be fenced out.
 *
 * <p>Implementations must be safe for concurrent use from threads and processes (and, for a shared
 * database, from several hosts).
 *
 * <pre>{@code
 * Optional<Lease> lease = store.tryAcquire("node-1", Duration.ofHours(1));
 * }</pre>
 */
public interface LockStore {

  /** Acquires the lock for {@code owner} until {@code ttl} from now, or returns empty if held. */
  Optional<Lease> tryAcquire(String owner, Duration ttl) throws IOException;

  /**
   * Extends a held lease to {@code ttl} from now. Returns empty when the lease was lost (expired
   * and taken over, or released).
   */
  Optional<Lease> renew(Lease lease, Duration ttl) throws IOException;

  /** Releases {@code lease}; does nothing when it is no longer held by it. */
  void release(Lease lease) throws IOException;

  /** The current holder, if the lock is held and unexpired. */
  Optional<Lease> holder() throws IOException;
}
