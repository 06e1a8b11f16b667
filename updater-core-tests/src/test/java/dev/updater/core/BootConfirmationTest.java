package dev.updater.core;

import dev.updater.core.activate.FileLockStore;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.spi.HealthCheck;
import dev.updater.testkit.MutableClock;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confirmation rule across a restart, in one JVM on the real disk: the updater that installs
 * 1.1.0 "ends its process" in the restarter (an {@link Error} that nothing catches, after which its
 * lock is free, as a dead process's would be taken over); each later {@link Updater} on the home
 * plays a later process, with its own running version and a {@link MutableClock}.
 */
class BootConfirmationTest {
  private static final Version V100 = v("1.0.0");
  private static final Version V110 = v("1.1.0");
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private Path home;
  private Layout layout;
  private TestRepository repo;
  private final MutableClock clock = MutableClock.at(Instant.parse("2024-03-01T10:00:00Z"));
  private final List<UpdateContext> restarts = new CopyOnWriteArrayList<>();

  /** Thrown by the restarter to stand for the end of the process that installed. */
  static final class ProcessEnded extends Error {
    private static final long serialVersionUID = 1L;
  }

  @BeforeEach
  void installOldAndRestartIntoNew() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    repo.publish(V100);
    repo.publish(V110);
    Updater first = builder().build();
    first.install(first.find(V100).orElseThrow());
    Updater old = builder().runningVersion(V100).restarter(ctx -> {
      restarts.add(ctx);
      throw new ProcessEnded();
    }).build();
    assertThatThrownBy(() -> old.install(old.find(V110).orElseThrow()))
        .isInstanceOf(ProcessEnded.class);
    restarts.clear();
  }

  private Updater.Builder builder() {
    return Updaters.sharing(home, repo.source(), "data")
        .clock(clock)
        .confirmationTimeout(DEADLINE)
        .restarter(restarts::add);
  }

  /** A later process running {@code version}. */
  private Updater process(Version version) {
    return builder().runningVersion(version).build();
  }

  @Test
  void awaitsConfirmationAfterTheRestartInsteadOfRevertingAtOnce() throws IOException {
    UpdateStatus status = builder().build().status();

    assertThat(status.state()).isEqualTo(State.AWAITING_CONFIRMATION);
    assertThat(status.phase()).isEqualTo(Phase.RESTARTING);
    assertThat(status.installed()).contains(V110);
    assertLive(V110);
  }

  @Test
  void completesWhenTheNewProcessConfirms() throws IOException {
    UpdateStatus status = process(V110).confirm();

    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.installed()).contains(V110);
    assertThat(status.previous()).contains(V100);
    assertThat(status.error()).isEmpty();
    assertLive(V110);
    assertThat(layout.release(V100)).isDirectory();
    assertThat(FileLockStore.create(layout.state().resolve("lock.json")).holder()).isEmpty();
    HistoryEntry last = last();
    assertThat(last.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(last.to()).contains(V110);
    assertThat(restarts).isEmpty();
  }

  @Test
  void statusInTheNewProcessConfirmsWhenItRunsTheInstalledTarget() throws IOException {
    UpdateStatus status = process(V110).status();

    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.previous()).contains(V100);
  }

  @Test
  void rollsBackAndRestartsThePreviousReleaseWhenTheHealthCheckFailsOnConfirm()
      throws IOException {
    Updater updater = builder().runningVersion(V110)
        .healthCheck(ctx -> {
          if (ctx.to().equals(V110)) {
            throw new IllegalStateException("HTTP 500 from /api/health");
          }
        }).build();

    UpdateStatus status = updater.confirm();

    assertLive(V100);
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(status.error().orElseThrow().message()).contains("HTTP 500 from /api/health")
        .contains("1.0.0 is live again");
    assertThat(restarts).singleElement().satisfies(ctx -> assertThat(ctx.to()).isEqualTo(V100));
    assertThat(last().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(last().reason()).contains(Reason.HEALTH_CHECK_FAILED);
  }

  @Test
  void statusLeavesTheReleaseAwaitingWhenItsHealthCheckFails() throws IOException {
    HealthCheck failing = ctx -> {
      throw new IllegalStateException("not yet");
    };

    UpdateStatus status = builder().runningVersion(V110).healthCheck(failing).build().status();

    assertThat(status.state()).isEqualTo(State.AWAITING_CONFIRMATION);
    assertLive(V110);
  }

  @Test
  void rollsBackOnceTheDeadlinePassedWithoutConfirmation() throws IOException {
    clock.advance(DEADLINE);

    assertThat(builder().build().recover()).isTrue();

    assertLive(V100);
    UpdateStatus status = builder().build().status();
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(status.error().orElseThrow().message()).contains("1.1.0 did not confirm by its deadline");
    assertThat(restarts).singleElement().satisfies(ctx -> assertThat(ctx.to()).isEqualTo(V100));
    assertThat(last().outcome()).isEqualTo(Outcome.ROLLED_BACK);
  }

  @Test
  void leavesTheDecisionOpenBeforeTheDeadline() throws IOException {
    clock.advance(DEADLINE.minusSeconds(1));

    assertThat(process(V100).recover()).isFalse();

    assertLive(V110);
    assertThat(restarts).isEmpty();
  }

  @Test
  void theOldHostStartingAfterTheDeadlineRollsBackWithoutRestartingItself() throws IOException {
    clock.advance(DEADLINE.plusSeconds(5));

    UpdateStatus status = process(V100).status();

    assertLive(V100);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(restarts).as("the old host already runs 1.0.0").isEmpty();
  }

  @Test
  void rollsBackACrashLoopBeforeTheDeadline() throws IOException {
    for (int start = 1; start <= 3; start++) {
      assertThat(process(V110).recover()).as("start %d", start).isFalse();
      clock.advance(Duration.ofSeconds(2));
    }
    assertLive(V110);

    assertThat(process(V110).recover()).isTrue();

    assertLive(V100);
    UpdateStatus status = builder().build().status();
    assertThat(status.error().orElseThrow().message())
        .contains("1.1.0 started 3 times without confirming");
    assertThat(restarts).singleElement().satisfies(ctx -> assertThat(ctx.to()).isEqualTo(V100));
  }

  @Test
  void countsOneStartPerProcessHoweverOftenItAsks() throws IOException {
    Updater sameProcess = process(V110);
    for (int i = 0; i < 5; i++) {
      sameProcess.recover();
    }

    assertThat(Files.readString(layout.state().resolve("journal.json"))).contains("\"starts\" : 1");
    assertLive(V110);
  }

  @Test
  void aProcessOfUnknownVersionNeverConfirms() throws IOException {
    UpdateStatus status = builder().build().confirm();

    assertThat(status.state()).isEqualTo(State.AWAITING_CONFIRMATION);
  }

  @Test
  void refusesAnotherOperationWhileAReleaseAwaitsConfirmation() {
    Updater admin = builder().build();

    assertThatThrownBy(admin::rollback)
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LOCKED))
        .hasMessageContaining("awaits confirmation");
  }

  @Test
  void doesNothingWhileTheRestartingProcessStillHoldsTheLock() throws IOException {
    AtomicInteger checks = new AtomicInteger();
    FileLockStore lock = FileLockStore.create(layout.state().resolve("lock.json"), clock);
    var held = lock.tryAcquire("the updater that restarted", Duration.ofHours(1)).orElseThrow();
    try {
      UpdateStatus status = builder().runningVersion(V110)
          .healthCheck(ctx -> checks.incrementAndGet()).build().confirm();

      assertThat(status.state()).isEqualTo(State.AWAITING_CONFIRMATION);
      assertThat(checks).hasValue(0);
    } finally {
      lock.release(held);
    }
  }

  private void assertLive(Version version) throws IOException {
    assertThat(Files.readSymbolicLink(layout.current()))
        .isEqualTo(Paths.get("releases", version.toString()));
  }

  private HistoryEntry last() {
    List<HistoryEntry> history = builder().build().history();
    return history.get(history.size() - 1);
  }
}
