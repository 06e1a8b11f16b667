package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.admin.AdminStatus;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.spi.HealthCheck;
import dev.updater.testkit.MutableClock;
import dev.updater.testkit.RecordingRestarter;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a release fails and the release put back in its place fails too (its restart or its health
 * check), the updater stops in {@link State#NEEDS_OPERATOR}: it says what happened and what to do,
 * restarts nothing more on its own, and a successful repair, rollback or install ends the state.
 */
class OperatorNeededTest {
  private static final Version V100 = v("1.0.0");
  private static final Version V110 = v("1.1.0");
  private static final HealthCheck BOTH_BROKEN = ctx -> {
    throw new IllegalStateException("GET /api/health answered 503 for " + ctx.to());
  };

  @TempDir Path tmp;

  private Path home;
  private Layout layout;
  private TestRepository repo;
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T10:00:00Z"));
  private final RecordingRestarter restarter = RecordingRestarter.create();

  @BeforeEach
  void install100() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    repo.publish(V100);
    repo.publish(V110);
    Updater first = Updaters.sharing(home, repo.source(), "data").build();
    first.install(first.find(V100).orElseThrow());
  }

  private Updater.Builder builder() {
    return Updaters.sharing(home, repo.source(), "data").clock(clock).restarter(restarter);
  }

  private UpdateException installFails(Updater updater) throws IOException {
    UpdateException e = catchThrowableOfType(
        () -> updater.install(updater.find(V110).orElseThrow()), UpdateException.class);
    assertThat(e).as("the install of 1.1.0 must fail").isNotNull();
    return e;
  }

  @Test
  void stopsNeedingAnOperatorWhenThePreviousReleaseFailsItsHealthCheckToo() throws IOException {
    UpdateException e = installFails(builder().healthCheck(BOTH_BROKEN).build());

    assertThat(e.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(e).hasMessageContaining("1.0.0 was put back in place of 1.1.0")
        .hasMessageContaining("No release is known to work here");
    assertThat(restarter.calls()).extracting(UpdateContext::to).containsExactly(V110, V100);
    UpdateStatus status = builder().build().status();
    assertThat(status.state()).isEqualTo(State.NEEDS_OPERATOR);
    assertThat(status.needsOperator()).isTrue();
    assertThat(status.phase()).isEqualTo(Phase.ERROR);
    assertThat(status.installed()).contains(V100);
    UpdateStatus.Failure error = status.error().orElseThrow();
    assertThat(error.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(error.message())
        .contains("GET /api/health answered 503 for 1.1.0")
        .contains("the health check of 1.0.0 failed: ")
        .contains("GET /api/health answered 503 for 1.0.0")
        .contains("repair the install", "roll back to another kept release by name",
            "install a release");
    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.0.0"));
  }

  @Test
  void restartsNothingMoreAfterStoppingWhateverRunsNext() throws IOException {
    installFails(builder().healthCheck(BOTH_BROKEN).build());
    int restartsBefore = restarter.callCount();

    Updater later = builder().runningVersion(V100).healthCheck(BOTH_BROKEN).build();
    assertThat(later.recover()).as("nothing is left unfinished to retry").isFalse();
    later.status();
    later.confirm();
    clock.advance(Duration.ofHours(2));
    builder().healthCheck(BOTH_BROKEN).build().recover();

    assertThat(restarter.callCount()).isEqualTo(restartsBefore);
    assertThat(later.status().state()).isEqualTo(State.NEEDS_OPERATOR);
  }

  @Test
  void stopsNeedingAnOperatorWhenThePreviousReleaseCannotBeRestarted() throws IOException {
    restarter.failFromCall(2, new IOException("systemctl restart myapp: unit failed to start"));
    Updater updater = builder().healthCheck(ctx -> {
      if (ctx.to().equals(V110)) {
        throw new IllegalStateException("GET /api/health answered 503");
      }
    }).build();

    installFails(updater);

    UpdateStatus status = updater.status();
    assertThat(status.state()).isEqualTo(State.NEEDS_OPERATOR);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.RESTART_FAILED);
    assertThat(status.error().orElseThrow().message())
        .contains("restarting 1.0.0 failed: ", "unit failed to start");
    assertThat(updater.recover()).as("the failed restart is not retried by recovery").isFalse();
    assertThat(restarter.callCount()).isEqualTo(2);
    assertThat(updater.history().get(updater.history().size() - 1))
        .satisfies(h -> {
          assertThat(h.outcome()).isEqualTo(Outcome.FAILED);
          assertThat(h.reason()).contains(Reason.RESTART_FAILED);
        });
  }

  @Test
  void stopsNeedingAnOperatorWhenARollbackAcrossARestartCannotRestartThePreviousRelease()
      throws IOException {
    Updater installing = builder().runningVersion(V100).restarter(ctx -> {
      throw new ProcessEnded();
    }).build();
    assertThatThrownBy(() -> installing.install(installing.find(V110).orElseThrow()))
        .isInstanceOf(ProcessEnded.class);
    restarter.failFromCall(1, new IOException("pm2 restart myapp: process not found"));
    Updater newProcess = builder().runningVersion(V110).healthCheck(ctx -> {
      if (ctx.to().equals(V110)) {
        throw new IllegalStateException("GET /api/health answered 503");
      }
    }).build();

    UpdateStatus status = newProcess.confirm();

    assertThat(status.state()).isEqualTo(State.NEEDS_OPERATOR);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.RESTART_FAILED);
    assertThat(status.error().orElseThrow().message())
        .contains("the health check of 1.1.0 failed", "restarting 1.0.0 failed: ",
            "process not found");
    assertThat(restarter.calls()).extracting(UpdateContext::to).containsExactly(V100);
    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.0.0"));
    assertThat(builder().runningVersion(V100).build().recover()).isFalse();
    assertThat(restarter.callCount()).isEqualTo(1);
  }

  /** Thrown by a restarter to stand for the end of the process that installed. */
  static final class ProcessEnded extends Error {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void anAutoSchedulerInstallsNothingWhileAnOperatorIsNeeded() throws IOException {
    installFails(builder().healthCheck(BOTH_BROKEN).build());
    repo.publish(v("1.2.0"));
    int restarts = restarter.callCount();

    try (UpdateScheduler scheduler = UpdateScheduler.builder(
        builder().mode(UpdateMode.AUTO).build()).build()) {
      assertThat(scheduler.tick()).isInstanceOfSatisfying(UpdateScheduler.Tick.Failed.class,
          f -> assertThat(f.error()).hasMessageContaining("the install needs an operator")
              .hasMessageContaining("the health check of 1.0.0 failed"));
    }

    assertThat(layout.current().resolve("VERSION")).hasContent("1.0.0");
    assertThat(restarter.callCount()).isEqualTo(restarts);
  }

  @Test
  void aRepairThatSucceedsEndsTheState() throws IOException {
    installFails(builder().healthCheck(BOTH_BROKEN).build());

    UpdateResult result = builder().build().repair();

    assertThat(result).isEqualTo(new UpdateResult.Repaired(V100));
    UpdateStatus status = builder().build().status();
    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.error()).isEmpty();
  }

  @Test
  void aRollbackToANamedKeptReleaseEndsTheState() throws IOException {
    installFails(builder().healthCheck(BOTH_BROKEN).build());
    Updater fixed = builder().build();

    UpdateResult result = fixed.rollback(V110);

    assertThat(result).isEqualTo(new UpdateResult.RolledBack(V100, V110));
    assertThat(fixed.status().state()).isEqualTo(State.COMPLETE);
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
  }

  @Test
  void aRollbackToAReleaseThatIsNotKeptIsRefusedNamingTheKeptOnes() throws IOException {
    installFails(builder().healthCheck(BOTH_BROKEN).build());
    Updater updater = builder().build();

    assertThatThrownBy(() -> updater.rollback(v("0.9.0")))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_STATE))
        .hasMessageContaining("0.9.0 is no longer on disk")
        .hasMessageContaining("kept: 1.0.0");
    assertThat(updater.status().state()).as("a refusal changes nothing")
        .isEqualTo(State.NEEDS_OPERATOR);
  }

  @Test
  void anInstallThatSucceedsEndsTheState() throws IOException {
    installFails(builder().healthCheck(BOTH_BROKEN).build());
    Updater fixed = builder().build();

    fixed.install(fixed.find(V110).orElseThrow());

    assertThat(fixed.status().state()).isEqualTo(State.COMPLETE);
    assertThat(fixed.status().error()).isEmpty();
  }

  @Test
  void theAdminStatusSaysAnOperatorIsNeededAndWhy() throws IOException {
    installFails(builder().healthCheck(BOTH_BROKEN).build());

    AdminStatus s = UpdateAdmin.of(builder().build()).status(false).body();

    assertThat(s.state()).isEqualTo("NEEDS_OPERATOR");
    assertThat(s.phase()).isEqualTo("error");
    assertThat(s.error().reason()).isEqualTo("HEALTH_CHECK_FAILED");
    assertThat(s.error().message()).contains("the health check of 1.0.0 failed")
        .contains("repair the install");
  }
}
