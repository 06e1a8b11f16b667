package dev.updater.core;

import dev.updater.core.activate.FileLockStore;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.MutableClock;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two updaters on one home with the default {@link FileLockStore}: one operation at a time, a
 * running update is never mistaken for an abandoned one, and an expired lock is taken over.
 *
 * <p>Updater A runs on another thread and is held inside a {@code before(DOWNLOAD)} hook until the
 * test lets it go; the latches only order the threads (waits are bounded so a bug fails the test
 * instead of hanging it), nothing is timed.
 */
class ConcurrentUpdatersTest {
  private static final long WAIT_SECONDS = 30;

  @TempDir Path tmp;

  Path home;
  Layout layout;
  TestRepository repo;
  Release r110;
  final CountDownLatch aIsInside = new CountDownLatch(1);
  final CountDownLatch letAGo = new CountDownLatch(1);
  final ExecutorService thread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void installLive100() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    Updater first = builder("setup").build();
    first.install(repo.publish(v("1.0.0")));
    r110 = repo.publish(v("1.1.0"));
  }

  @AfterEach
  void stopA() throws InterruptedException {
    letAGo.countDown();
    thread.shutdown();
    assertThat(thread.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  Updater.Builder builder(String owner) {
    return Updaters.builder(home, repo.source())
        .owner(owner);
  }

  /** A builder whose updater stops inside {@code before(DOWNLOAD)} until {@link #letAGo}. */
  Updater.Builder blockingBuilder(String owner) {
    return builder(owner).before(Step.DOWNLOAD, ctx -> {
      aIsInside.countDown();
      assertThat(letAGo.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    });
  }

  Future<UpdateResult> startInstallOfA(Updater a) throws InterruptedException {
    Future<UpdateResult> result = thread.submit(() -> a.install(r110));
    assertThat(aIsInside.await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("A reached its before(DOWNLOAD) hook").isTrue();
    return result;
  }

  @Test
  void shouldRefuseASecondInstallWhileTheFirstRuns() throws Exception {
    Future<UpdateResult> a = startInstallOfA(blockingBuilder("A").build());
    Updater b = builder("B").build();

    UpdateException e = catchThrowableOfType(() -> b.install(r110), UpdateException.class);

    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.LOCKED);
    assertThat(e.reason().isConflict()).isTrue();
    assertThat(e).hasMessageContaining("held by A");
    assertThat(b.history()).last().satisfies(h -> {
      assertThat(h.outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(h.reason()).contains(Reason.LOCKED);
    });

    letAGo.countDown();

    assertThat(a.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0")));
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
    assertThat(b.status().state()).isEqualTo(UpdateStatus.State.COMPLETE);
  }

  @Test
  void shouldRefuseARollbackAndARepairWhileAnInstallRuns() throws Exception {
    startInstallOfA(blockingBuilder("A").build());
    Updater b = builder("B").build();

    assertThat(catchThrowableOfType(b::rollback, UpdateException.class).reason())
        .isEqualTo(Reason.LOCKED);
    assertThat(catchThrowableOfType(b::repair, UpdateException.class).reason())
        .isEqualTo(Reason.LOCKED);
    assertThat(b.recover()).as("a running update is not abandoned").isFalse();
  }

  @Test
  void shouldShowARunningUpdateAsInProgressWithoutRecoveringIt() throws Exception {
    Future<UpdateResult> a = startInstallOfA(blockingBuilder("A").build());
    Updater b = builder("B").build();

    UpdateStatus status = b.status();

    assertThat(status.state()).isEqualTo(UpdateStatus.State.IN_PROGRESS);
    assertThat(status.phase()).isEqualTo(Phase.DOWNLOADING);
    assertThat(status.step()).contains(Step.DOWNLOAD);
    assertThat(status.target()).contains(v("1.1.0"));
    assertThat(status.installed()).contains(v("1.0.0"));
    assertThat(status.error()).isEmpty();
    assertThat(b.history()).noneMatch(h -> h.reason().equals(Optional.of(Reason.INTERRUPTED)));

    letAGo.countDown();

    assertThat(a.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(UpdateResult.Updated.class);
  }

  @Test
  void shouldTakeOverALockWhoseHolderOutlivedItsTtl() throws Exception {
    MutableClock clock = MutableClock.at(Instant.parse("2025-01-01T00:00:00Z"));
    Duration ttl = Duration.ofMinutes(10);
    Future<UpdateResult> a = startInstallOfA(
        blockingBuilder("A").clock(clock).lockTtl(ttl).build());
    Updater b = builder("B").clock(clock).lockTtl(ttl).build();
    assertThat(catchThrowableOfType(() -> b.install(r110), UpdateException.class).reason())
        .as("within the TTL the lock holds").isEqualTo(Reason.LOCKED);

    clock.advance(ttl.plusMinutes(1));
    UpdateResult resultOfB = b.install(r110);

    assertThat(resultOfB)
        .isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0")));
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
    // B took A's update for abandoned (its lock had expired) and recovered it before installing.
    assertThat(b.history()).anySatisfy(h -> {
      assertThat(h.operation()).isEqualTo(UpdateEvent.Operation.RECOVERY);
      assertThat(h.reason()).contains(Reason.INTERRUPTED);
    });

    // A is fenced out: its lease is renewed before every step, and B's takeover makes that
    // renewal fail, so A stops at its next step without touching the install B now owns.
    HomeSnapshot afterB = HomeSnapshot.of(layout);
    letAGo.countDown();
    assertThat(a).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.LOCKED);
          assertThat(e.getMessage()).contains("taken over");
        });
    assertThat(HomeSnapshot.of(layout)).isEqualTo(afterB);
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
    assertThat(Files.isSymbolicLink(layout.current())).isTrue();
  }
}
