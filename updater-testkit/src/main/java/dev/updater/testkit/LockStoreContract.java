package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.spi.Lease;
import dev.updater.core.spi.LockStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LockStore} must have, as a JUnit 5 test to extend: acquisition,
 * refusal while held, release, strictly increasing fencing tokens, takeover after expiry, renewal,
 * fencing of stale leases, {@code holder()}, and exactly one winner among racing threads.
 *
 * <pre>{@code
 * class JdbcLockStoreContractTest extends LockStoreContract {
 *   @Override
 *   protected LockStore createLockStore(MutableClock clock) {
 *     return JdbcLockStore.create(dataSource, clock);
 *   }
 * }
 * }</pre>
 *
 * <p>Time passes only through {@link #elapse(Duration)}, which by default moves the
 * {@link MutableClock} given to {@link #createLockStore}, so expiry is tested without waiting. A
 * store that cannot use an injected clock (one that asks its database for the time) overrides
 * {@link #elapse} to make that much time pass for it, for example by moving the stored expiry back.
 * A store shared by processes or nodes overrides {@link #anotherHandle} to return a second
 * instance on the same lock, so that refusal, fencing and races are also tested across instances.
 *
 * <p>Leases here last {@link #TTL}; every test uses a fresh store from {@link #createLockStore}.
 * Not thread-safe, like any JUnit test instance.
 */
public abstract class LockStoreContract {
  /** The lease length the tests use. */
  protected static final Duration TTL = Duration.ofMinutes(10);
  private static final int RACERS = 16;
  private static final int RACE_ROUNDS = 20;

  /** The clock given to {@link #createLockStore}; starts at {@link MutableClock#DEFAULT_START}. */
  protected final MutableClock clock = MutableClock.create();

  /** The store under test, created before each test. */
  protected LockStore store;

  /** Creates a free lock whose expiry is judged by {@code clock}. */
  protected abstract LockStore createLockStore(MutableClock clock) throws Exception;

  /**
   * Another instance on the same lock as {@code store}, as a second process or node would have.
   * Default: {@code store} itself.
   */
  protected LockStore anotherHandle(LockStore store, MutableClock clock) throws Exception {
    return store;
  }

  /** Makes {@code duration} pass for the store. Default: advances {@link #clock}. */
  protected void elapse(Duration duration) throws Exception {
    clock.advance(duration);
  }

  /** Creates the store under test; a subclass may add its own {@code @AfterEach} to close it. */
  @BeforeEach
  public final void createStore() throws Exception {
    store = createLockStore(clock);
  }

  @Test
  public void acquiresTheLockWhenItIsFree() throws Exception {
    Optional<Lease> lease = store.tryAcquire("node-a", TTL);

    assertThat(lease).hasValueSatisfying(l -> {
      assertThat(l.owner()).isEqualTo("node-a");
      assertThat(Duration.between(l.acquiredAt(), l.expiresAt())).isEqualTo(TTL);
    });
  }

  @Test
  public void refusesASecondAcquisitionWhileTheLockIsHeld() throws Exception {
    Lease a = acquire(store, "node-a");

    assertThat(other().tryAcquire("node-b", TTL)).isEmpty();
    assertThat(store.holder()).map(Lease::token).contains(a.token());
  }

  @Test
  public void doesNotTakeOverALockBeforeItExpires() throws Exception {
    acquire(store, "node-a");
    elapse(TTL.minusMinutes(1));

    assertThat(other().tryAcquire("node-b", TTL)).isEmpty();
  }

  @Test
  public void releasingTheLockLetsAnotherOwnerAcquireIt() throws Exception {
    Lease a = acquire(store, "node-a");
    store.release(a);

    assertThat(other().tryAcquire("node-b", TTL)).map(Lease::owner).contains("node-b");
  }

  @Test
  public void releasingTwiceIsHarmless() throws Exception {
    Lease a = acquire(store, "node-a");
    store.release(a);
    store.release(a);

    assertThat(store.holder()).isEmpty();
    assertThat(store.tryAcquire("node-b", TTL)).isPresent();
  }

  @Test
  public void takesOverALockThatHasExpired() throws Exception {
    acquire(store, "node-a");
    elapse(TTL.plusMinutes(1));

    Optional<Lease> b = other().tryAcquire("node-b", TTL);

    assertThat(b).map(Lease::owner).contains("node-b");
    assertThat(store.holder()).map(Lease::owner).contains("node-b");
  }

  @Test
  public void tokensStrictlyIncreaseAcrossAcquisitionsReleasesAndTakeovers() throws Exception {
    Lease first = acquire(store, "node-a");
    store.release(first);
    Lease afterRelease = acquire(other(), "node-b");
    elapse(TTL.plusMinutes(1));
    Lease afterTakeover = acquire(store, "node-c");
    store.release(afterTakeover);
    Lease sameOwnerAgain = acquire(other(), "node-c");

    assertThat(List.of(first, afterRelease, afterTakeover, sameOwnerAgain))
        .extracting(Lease::token)
        .isSortedAccordingTo(Long::compare)
        .doesNotHaveDuplicates();
  }

  @Test
  public void renewingExtendsTheLeaseAndKeepsItsToken() throws Exception {
    Lease a = acquire(store, "node-a");
    elapse(TTL.minusMinutes(2));

    Optional<Lease> renewed = store.renew(a, TTL);
    elapse(Duration.ofMinutes(5)); // past the original expiry, within the renewed one

    assertThat(renewed).hasValueSatisfying(r -> {
      assertThat(r.owner()).isEqualTo("node-a");
      assertThat(r.token()).isEqualTo(a.token());
      assertThat(r.expiresAt()).isAfter(a.expiresAt());
    });
    assertThat(other().tryAcquire("node-b", TTL)).isEmpty();
    assertThat(store.holder()).map(Lease::token).contains(a.token());
  }

  @Test
  public void renewingFailsAfterTheLockWasTakenOver() throws Exception {
    Lease a = acquire(store, "node-a");
    elapse(TTL.plusMinutes(1));
    Lease b = acquire(other(), "node-b");

    assertThat(store.renew(a, TTL)).isEmpty();
    assertThat(store.holder()).map(Lease::token).contains(b.token());
  }

  @Test
  public void renewingFailsAfterTheLeaseWasReleased() throws Exception {
    Lease a = acquire(store, "node-a");
    store.release(a);

    assertThat(store.renew(a, TTL)).isEmpty();
    assertThat(store.holder()).isEmpty();
  }

  @Test
  public void releasingAStaleLeaseDoesNotFreeTheNewHolder() throws Exception {
    Lease a = acquire(store, "node-a");
    elapse(TTL.plusMinutes(1));
    Lease b = acquire(other(), "node-b");

    store.release(a);

    assertThat(store.holder()).map(Lease::token).contains(b.token());
    assertThat(store.tryAcquire("node-c", TTL)).isEmpty();
  }

  @Test
  public void holderReflectsWhoHoldsTheLock() throws Exception {
    assertThat(store.holder()).as("before any acquisition").isEmpty();

    Lease a = acquire(store, "node-a");
    assertThat(store.holder()).as("while held").hasValueSatisfying(h -> {
      assertThat(h.owner()).isEqualTo("node-a");
      assertThat(h.token()).isEqualTo(a.token());
    });
    assertThat(other().holder()).as("seen from another handle").map(Lease::token)
        .contains(a.token());

    store.release(a);
    assertThat(store.holder()).as("after release").isEmpty();

    acquire(store, "node-b");
    elapse(TTL.plusMinutes(1));
    assertThat(store.holder()).as("after expiry").isEmpty();
  }

  @Test
  public void exactlyOneOfManyRacingThreadsWinsTheLock() throws Exception {
    List<LockStore> handles = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      handles.add(store);
    }
    race(handles);
  }

  @Test
  public void exactlyOneOfManyRacingHandlesWinsTheLock() throws Exception {
    List<LockStore> handles = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      handles.add(anotherHandle(store, clock));
    }
    race(handles);
  }

  /** Acquires for {@code owner}, failing the test when the lock is refused. */
  private static Lease acquire(LockStore on, String owner) throws Exception {
    Optional<Lease> lease = on.tryAcquire(owner, TTL);
    assertThat(lease).as("%s should get the free lock", owner).isPresent();
    return lease.get();
  }

  private LockStore other() throws Exception {
    return anotherHandle(store, clock);
  }

  /**
   * Races one thread per handle, {@link #RACE_ROUNDS} times, releasing the winner's lease between
   * rounds; fails unless every round has exactly one winner.
   */
  private void race(List<LockStore> handles) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(handles.size());
    try {
      for (int round = 1; round <= RACE_ROUNDS; round++) {
        List<Lease> winners = raceOnce(pool, handles, round);
        assertThat(winners).as("winners of round %d", round).hasSize(1);
        store.release(winners.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Lease> raceOnce(ExecutorService pool, List<LockStore> handles, int round)
      throws Exception {
    CountDownLatch ready = new CountDownLatch(handles.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Optional<Lease>>> results = new ArrayList<>();
    for (int i = 0; i < handles.size(); i++) {
      LockStore handle = handles.get(i);
      String owner = "racer-" + round + "-" + i;
      Callable<Optional<Lease>> racer = () -> {
        ready.countDown();
        go.await();
        return handle.tryAcquire(owner, TTL);
      };
      results.add(pool.submit(racer));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).as("racers ready").isTrue();
    go.countDown();
    List<Lease> winners = new ArrayList<>();
    for (Future<Optional<Lease>> result : results) {
      result.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
    }
    return winners;
  }
}
