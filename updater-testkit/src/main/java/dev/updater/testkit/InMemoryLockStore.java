package dev.updater.testkit;

import dev.updater.core.spi.Lease;
import dev.updater.core.spi.LockStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LockStore} in memory, judging expiry by an injected {@link Clock}; it records the calls
 * made to it and can be told to fail at call N. It passes {@link LockStoreContract}.
 *
 * <p>Semantics: any acquisition while an unexpired lease exists is refused, whoever asks (the lock
 * is not re-entrant); an expired lease is taken over; tokens start at 1 and increase with every
 * acquisition; {@link #renew} and {@link #release} act only when the lease's token is the current
 * one, so a stale holder can neither extend nor free a lock that was taken over. A lease that has
 * expired but was not taken over can still be renewed.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.create();
 * InMemoryLockStore locks = InMemoryLockStore.create(clock)
 *     .failOnCall(1, new IOException("lock table unreachable"));
 * Updater updater = Updater.builder()...lockStore(locks).clock(clock).build();
 * assertThatThrownBy(() -> updater.install(release)).isInstanceOf(UpdateException.class);
 * assertThat(locks.calls()).startsWith("tryAcquire");
 * }</pre>
 *
 * <p>Calls to all four methods share one numbering for {@link #failOnCall}; {@link #calls()} shows
 * it. Thread-safe.
 */
public final class InMemoryLockStore implements LockStore {
  private final Clock clock;
  private final Failures<IOException> failures = Failures.create();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private Lease current; // guarded by this; null when never held or released
  private long lastToken; // guarded by this

  private InMemoryLockStore(Clock clock) {
    this.clock = clock;
  }

  /** A free lock whose expiry is judged by {@code clock}. */
  public static InMemoryLockStore create(Clock clock) {
    return new InMemoryLockStore(Objects.requireNonNull(clock, "clock"));
  }

  /** A free lock on the system clock. */
  public static InMemoryLockStore create() {
    return create(Clock.systemUTC());
  }

  @Override
  public Optional<Lease> tryAcquire(String owner, Duration ttl) throws IOException {
    Objects.requireNonNull(owner, "owner");
    requirePositive(ttl);
    call("tryAcquire");
    synchronized (this) {
      Instant now = clock.instant();
      if (current != null && now.isBefore(current.expiresAt())) {
        return Optional.empty();
      }
      current = new Lease(owner, ++lastToken, now, now.plus(ttl));
      return Optional.of(current);
    }
  }

  @Override
  public Optional<Lease> renew(Lease lease, Duration ttl) throws IOException {
    Objects.requireNonNull(lease, "lease");
    requirePositive(ttl);
    call("renew");
    synchronized (this) {
      if (!isCurrent(lease)) {
        return Optional.empty();
      }
      current = new Lease(current.owner(), current.token(), current.acquiredAt(),
          clock.instant().plus(ttl));
      return Optional.of(current);
    }
  }

  @Override
  public void release(Lease lease) throws IOException {
    Objects.requireNonNull(lease, "lease");
    call("release");
    synchronized (this) {
      if (isCurrent(lease)) {
        current = null;
      }
    }
  }

  @Override
  public Optional<Lease> holder() throws IOException {
    call("holder");
    synchronized (this) {
      return current != null && clock.instant().isBefore(current.expiresAt())
          ? Optional.of(current) : Optional.empty();
    }
  }

  /**
   * Makes call number {@code n} (from 1, counting calls to every method) throw {@code failure}.
   */
  public InMemoryLockStore failOnCall(int n, IOException failure) {
    failures.failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public InMemoryLockStore failFromCall(int n, IOException failure) {
    failures.failFromCall(n, failure);
    return this;
  }

  /**
   * The name of every method called so far, in order ({@code tryAcquire}, {@code renew},
   * {@code release}, {@code holder}), failed calls included.
   */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  private void call(String method) throws IOException {
    calls.add(method);
    failures.call();
  }

  private boolean isCurrent(Lease lease) {
    return current != null && current.token() == lease.token();
  }

  private static void requirePositive(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
  }
}
