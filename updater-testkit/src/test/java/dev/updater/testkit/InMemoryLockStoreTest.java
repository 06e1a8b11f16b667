package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.spi.Lease;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the fake adds to the {@link LockStoreContract}: call recording and failing at call N. */
class InMemoryLockStoreTest {
  private final MutableClock clock = MutableClock.create();

  @Test
  void recordsTheMethodsCalledInOrder() throws IOException {
    InMemoryLockStore store = InMemoryLockStore.create(clock);

    Lease lease = store.tryAcquire("node-a", Duration.ofMinutes(1)).orElseThrow();
    store.renew(lease, Duration.ofMinutes(1));
    store.holder();
    store.release(lease);

    assertThat(store.calls()).containsExactly("tryAcquire", "renew", "holder", "release");
  }

  @Test
  void failsAtTheToldCallCountingEveryMethod() throws IOException {
    IOException unreachable = new IOException("lock table unreachable");
    InMemoryLockStore store = InMemoryLockStore.create(clock).failOnCall(2, unreachable);
    Lease lease = store.tryAcquire("node-a", Duration.ofMinutes(1)).orElseThrow();

    assertThatThrownBy(() -> store.release(lease)).isSameAs(unreachable);
    assertThat(store.holder()).as("the failed release changed nothing").contains(lease);
  }

  @Test
  void aFailedAcquisitionTakesNoToken() throws IOException {
    InMemoryLockStore store = InMemoryLockStore.create(clock)
        .failOnCall(1, new IOException("flaky"));

    assertThatThrownBy(() -> store.tryAcquire("node-a", Duration.ofMinutes(1)))
        .isInstanceOf(IOException.class);
    assertThat(store.tryAcquire("node-a", Duration.ofMinutes(1)))
        .map(Lease::token).contains(1L);
  }

  @Test
  void refusesTheSameOwnerWhileItHoldsTheLock() throws IOException {
    InMemoryLockStore store = InMemoryLockStore.create(clock);
    store.tryAcquire("node-a", Duration.ofMinutes(1));

    assertThat(store.tryAcquire("node-a", Duration.ofMinutes(1))).isEmpty();
  }

  @Test
  void expiresExactlyAtTheEndOfTheLease() throws IOException {
    InMemoryLockStore store = InMemoryLockStore.create(clock);
    store.tryAcquire("node-a", Duration.ofMinutes(1));

    clock.advance(Duration.ofMinutes(1));

    assertThat(store.holder()).isEmpty();
  }

  @Test
  void refusesANonPositiveTtl() {
    InMemoryLockStore store = InMemoryLockStore.create(clock);

    assertThatThrownBy(() -> store.tryAcquire("node-a", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
  }
}
