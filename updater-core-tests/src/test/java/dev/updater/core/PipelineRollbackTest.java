package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.spi.DataLossException;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures after activation: the pipeline switches {@code current} back to the release that was
 * live, restarts it when the failed release had been restarted, puts the journal back byte for
 * byte, and records the failure as rolled back.
 */
class PipelineRollbackTest {
  @TempDir Path tmp;

  Path home;
  Layout layout;
  TestRepository repo;
  Release r110;
  final List<UpdateEvent> events = new CopyOnWriteArrayList<>();
  final List<UpdateContext> restarts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void publish() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    repo.publish(v("1.0.0"));
    r110 = repo.publish(v("1.1.0"));
  }

  Updater.Builder builder() {
    return Updaters.sharing(home, repo.source(), "data")
        .listener(events::add)
        .restarter(restarts::add);
  }

  /** Installs 1.0.0 with a plain updater and forgets its events and restarts. */
  void installLive100() throws IOException {
    Updater first = builder().build();
    first.install(first.find(v("1.0.0")).orElseThrow());
    Files.writeString(layout.shared().resolve("data/db.txt"), "row 1\n");
    events.clear();
    restarts.clear();
  }

  byte[] journal() throws IOException {
    return Files.readAllBytes(layout.state().resolve("journal.json"));
  }

  UpdateException installFails(Updater updater) {
    UpdateException e = catchThrowableOfType(() -> updater.install(r110), UpdateException.class);
    assertThat(e).as("install of 1.1.0 must fail").isNotNull();
    return e;
  }

  void assertLiveIs100() throws IOException {
    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.0.0"));
    assertThat(layout.current().resolve("VERSION")).hasContent("1.0.0");
    assertThat(layout.current().resolve("data/db.txt")).hasContent("row 1");
  }

  @Test
  void shouldSwitchBackWhenAHookAfterActivationFails() throws IOException {
    installLive100();
    byte[] journalBefore = journal();
    Updater updater = builder()
        .after(Step.ACTIVATE, ctx -> {
          throw new IllegalStateException("worker did not drain");
        })
        .build();

    UpdateException e = installFails(updater);

    assertThat(e.reason()).isEqualTo(Reason.HOOK_FAILED);
    assertThat(e.step()).contains(Step.ACTIVATE);
    assertThat(e).hasMessageContaining("worker did not drain").hasMessageContaining("1.0.0 is live");
    assertLiveIs100();
    assertThat(journal()).isEqualTo(journalBefore);
  }

  @Test
  void shouldAnnounceTheRollbackBeforeTheFailure() throws IOException {
    installLive100();
    Updater updater = builder()
        .after(Step.ACTIVATE, ctx -> {
          throw new IllegalStateException("worker did not drain");
        })
        .build();

    installFails(updater);

    assertThat(events).filteredOn(e -> e instanceof UpdateEvent.RolledBack
            || e instanceof UpdateEvent.Failed || e instanceof UpdateEvent.Completed)
        .hasSize(2)
        .satisfiesExactly(
            rolledBack -> assertThat(rolledBack).isInstanceOfSatisfying(
                UpdateEvent.RolledBack.class, r -> {
                  assertThat(r.from()).isEqualTo(v("1.1.0"));
                  assertThat(r.to()).contains(v("1.0.0"));
                }),
            failed -> assertThat(failed).isInstanceOfSatisfying(UpdateEvent.Failed.class,
                f -> assertThat(f.error().reason()).isEqualTo(Reason.HOOK_FAILED)));
    assertThat(events.get(events.size() - 1)).isInstanceOf(UpdateEvent.Failed.class);
  }

  @Test
  void shouldRecordARevertedUpdateAsRolledBackAndShowItAsFailed() throws IOException {
    installLive100();
    Updater updater = builder()
        .after(Step.ACTIVATE, ctx -> {
          throw new IllegalStateException("worker did not drain");
        })
        .build();

    installFails(updater);

    assertThat(updater.history()).last().satisfies(h -> {
      assertThat(h.operation()).isEqualTo(Operation.INSTALL);
      assertThat(h.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(h.reason()).contains(Reason.HOOK_FAILED);
      assertThat(h.from()).contains(v("1.0.0"));
      assertThat(h.to()).contains(v("1.1.0"));
    });
    UpdateStatus status = updater.status();
    assertThat(status.state()).isEqualTo(UpdateStatus.State.FAILED);
    assertThat(status.installed()).contains(v("1.0.0"));
    assertThat(status.error()).map(UpdateStatus.Failure::reason).contains(Reason.HOOK_FAILED);
  }

  @Test
  void shouldSwitchBackWhenTheMigrationFails() throws IOException {
    installLive100();
    byte[] journalBefore = journal();
    Updater updater = builder()
        .migrationRunner(ctx -> {
          throw new IllegalStateException("column orders.total already exists");
        })
        .build();

    UpdateException e = installFails(updater);

    assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
    assertThat(e.step()).contains(Step.MIGRATE);
    assertThat(e).hasMessageContaining("column orders.total already exists");
    assertLiveIs100();
    assertThat(journal()).isEqualTo(journalBefore);
    assertThat(restarts).as("nothing was restarted, so nothing is restarted back").isEmpty();
    assertThat(updater.history()).last().extracting(HistoryEntry::outcome)
        .isEqualTo(Outcome.ROLLED_BACK);
  }

  @Test
  void shouldSwitchBackWhenAGuardSeesRowsDisappear() throws IOException {
    installLive100();
    byte[] journalBefore = journal();
    List<Path> snapshotsTakenIn = new CopyOnWriteArrayList<>();
    Updater updater = builder()
        .guard(ctx -> {
          snapshotsTakenIn.add(ctx.releaseDir());
          return () -> {
            throw new DataLossException("orders", 10, 9);
          };
        })
        .build();

    UpdateException e = installFails(updater);

    assertThat(e.reason()).isEqualTo(Reason.DATA_LOSS);
    assertThat(e.step()).contains(Step.MIGRATE);
    assertThat(e).hasMessageContaining("orders 10 -> 9");
    assertThat(snapshotsTakenIn).containsExactly(layout.release(v("1.1.0")));
    assertLiveIs100();
    assertThat(journal()).isEqualTo(journalBefore);
  }

  @Test
  void shouldLetAGuardRestoreItsSnapshotOnceTheOldReleaseIsBack() throws IOException {
    installLive100();
    Path db = layout.shared().resolve("data/db.txt");
    List<String> restoredWhileLive = new CopyOnWriteArrayList<>();
    MigrationGuard backup = ctx -> {
      byte[] saved = Files.readAllBytes(db);
      return new MigrationGuard.Check() {
        @Override
        public void verify() {}

        @Override
        public void restore() throws IOException {
          restoredWhileLive.add(Files.readSymbolicLink(layout.current()).toString());
          Files.write(db, saved);
        }
      };
    };
    Updater updater = builder()
        .guard(backup)
        .migrationRunner(ctx -> {
          Files.writeString(db, "half-migrated\n");
          throw new IllegalStateException("migration 3 of 5 failed");
        })
        .build();

    UpdateException e = installFails(updater);

    assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
    assertThat(restoredWhileLive).containsExactly(Paths.get("releases", "1.0.0").toString());
    assertLiveIs100();
  }

  @Test
  void shouldNotRestoreAGuardedSnapshotWhenTheUpdateSucceeds() throws IOException {
    installLive100();
    List<String> restores = new CopyOnWriteArrayList<>();
    Updater updater = builder().guard(ctx -> new MigrationGuard.Check() {
      @Override
      public void verify() {}

      @Override
      public void restore() {
        restores.add("restored");
      }
    }).build();

    updater.install(r110);

    assertThat(restores).isEmpty();
  }

  @Test
  void shouldSwitchBackAndRestartTheOldReleaseWhenTheHealthCheckFails() throws IOException {
    installLive100();
    byte[] journalBefore = journal();
    Updater updater = builder()
        .healthCheck(ctx -> {
          throw new IllegalStateException("no answer on /api/health");
        })
        .build();

    UpdateException e = installFails(updater);

    assertThat(e.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(e.step()).contains(Step.CONFIRM);
    assertThat(e).hasMessageContaining("no answer on /api/health");
    assertLiveIs100();
    assertThat(journal()).isEqualTo(journalBefore);
    assertThat(restarts).extracting(UpdateContext::releaseDir)
        .containsExactly(layout.release(v("1.1.0")), layout.release(v("1.0.0")));
    assertThat(restarts.get(1).to()).isEqualTo(v("1.0.0"));
  }

  @Test
  void shouldInstallTheSameReleaseAgainOnceItsHealthCheckPasses() throws IOException {
    installLive100();
    installFails(builder()
        .healthCheck(ctx -> {
          throw new IllegalStateException("no answer on /api/health");
        })
        .build());
    Updater healthy = builder().build();

    UpdateResult result = healthy.install(r110);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0")));
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
    assertThat(layout.current().resolve("data/db.txt")).hasContent("row 1");
    UpdateStatus status = healthy.status();
    assertThat(status.state()).isEqualTo(UpdateStatus.State.COMPLETE);
    assertThat(status.error()).as("a success clears the earlier failure").isEmpty();
    assertThat(status.previous()).contains(v("1.0.0"));
  }

  @Test
  void shouldLeaveNoLiveReleaseWhenAFirstInstallFailsAfterActivation() throws IOException {
    Updater updater = builder()
        .healthCheck(ctx -> {
          throw new IllegalStateException("no answer on /api/health");
        })
        .build();

    UpdateException e = installFails(updater);

    assertThat(e.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(layout.current()).doesNotExist();
    assertThat(Files.isSymbolicLink(layout.current())).isFalse();
    assertThat(layout.state().resolve("journal.json"))
        .as("the journal is put back to not existing").doesNotExist();
    assertThat(restarts).as("only the new release was restarted: there is nothing to go back to")
        .extracting(UpdateContext::releaseDir).containsExactly(layout.release(v("1.1.0")));
    assertThat(events).filteredOn(UpdateEvent.RolledBack.class::isInstance).singleElement()
        .isInstanceOfSatisfying(UpdateEvent.RolledBack.class, r -> {
          assertThat(r.from()).isEqualTo(v("1.1.0"));
          assertThat(r.to()).as("no release to go back to").isEmpty();
        });
    UpdateStatus status = updater.status();
    assertThat(status.installed()).isEmpty();
    assertThat(status.state()).isEqualTo(UpdateStatus.State.FAILED);
  }

  @Test
  void shouldGoOnWhenAListenerThrows() throws IOException {
    installLive100();
    List<UpdateEvent> seenAfterTheThrowingOne = new CopyOnWriteArrayList<>();
    Updater updater = builder()
        .listener(event -> {
          throw new IllegalStateException("listener bug");
        })
        .listener(seenAfterTheThrowingOne::add)
        .build();

    UpdateResult result = updater.install(r110);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0")));
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
    assertThat(seenAfterTheThrowingOne).last().isInstanceOf(UpdateEvent.Completed.class);
  }
}
