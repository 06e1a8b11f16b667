package dev.updater.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so lock expiry and journal times are
 * tested without waiting. Its zone is UTC.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2025-01-01T00:00:00Z"));
 * LockStore locks = InMemoryLockStore.create(clock);
 * locks.tryAcquire("node-1", Duration.ofMinutes(5));
 * clock.advance(Duration.ofMinutes(6));   // the lease has now expired
 * }</pre>
 *
 * <p>Time may be set backwards (to test a clock that jumps). {@link #withZone} returns a view that
 * moves with this clock. Thread-safe.
 */
public final class MutableClock extends Clock {
  /** The instant {@link #create()} starts at: 2025-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock standing at {@link #DEFAULT_START}. */
  public static MutableClock create() {
    return at(DEFAULT_START);
  }

  /** A clock standing at {@code instant}. */
  public static MutableClock at(Instant instant) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(instant, "instant")),
        ZoneOffset.UTC);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view of this clock in {@code zone}: it shows the same, moving, instant. */
  @Override
  public MutableClock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone, "zone"));
  }

  /** Moves the clock to {@code instant}, forwards or backwards. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /** Moves the clock by {@code duration} (negative moves it back) and returns the new instant. */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    return now.updateAndGet(i -> i.plus(duration));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "," + zone + "]";
  }
}
