package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An update of a host application on the real disk, end to end: a directory repository with 1.0.0
 * and 1.1.0, symlink activation with a shared {@code data} directory, then update, rollback and
 * repair.
 */
class LocalUpdateFlowTest {
  @TempDir Path tmp;

  Path home;
  Layout layout;
  TestRepository repo;
  Release r100;
  Release r110;

  @BeforeEach
  void publishTwoReleases() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    r100 = repo.publish(v("1.0.0"));
    r110 = repo.publish(v("1.1.0"));
  }

  /** The embedding under test; free space is not what these tests are about. */
  Updater.Builder builder() {
    return Updaters.sharing(home, repo.source(), "data");
  }

  /** Installs 1.0.0 as the first release and writes a row of data through it. */
  Updater installFirstRelease(Updater updater) throws IOException {
    assertThat(updater.install(updater.find(v("1.0.0")).orElseThrow()))
        .isEqualTo(new UpdateResult.Updated(Optional.empty(), v("1.0.0")));
    Files.writeString(layout.shared().resolve("data").resolve("db.txt"), "row 1\n");
    return updater;
  }

  /** Installs 1.0.0, writes data, then installs what check() offers. */
  Updater updateTo110() throws IOException {
    Updater updater = installFirstRelease(builder().build());
    assertThat(updater.install(updater.check().orElseThrow()))
        .isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0")));
    return updater;
  }

  @Test
  void shouldOfferTheNewerReleaseOnceTheFirstOneIsInstalled() throws IOException {
    Updater updater = installFirstRelease(builder().build());

    assertThat(updater.check()).contains(r110);
  }

  @Test
  void shouldOfferTheNewestReleaseToAnEmptyHome() {
    assertThat(builder().build().check()).contains(r110);
  }

  @Test
  void shouldPointCurrentAtTheNewReleaseWithARelativeLink() throws IOException {
    updateTo110();

    assertThat(Files.isSymbolicLink(layout.current())).isTrue();
    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.1.0"));
    assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.1.0");
  }

  @Test
  void shouldKeepTheExecutableBitOfTheReleasesProgram() throws IOException {
    updateTo110();

    Path app = layout.current().resolve("bin/app");
    assertThat(Files.isExecutable(app)).isTrue();
    assertThat(Files.getPosixFilePermissions(app)).contains(PosixFilePermission.OWNER_EXECUTE);
  }

  @Test
  void shouldShareTheDataDirectoryBetweenTheOldAndTheNewRelease() throws IOException {
    updateTo110();

    Path throughNew = layout.current().resolve("data/db.txt");
    Path throughOld = layout.release(v("1.0.0")).resolve("data/db.txt");
    assertThat(throughNew).hasContent("row 1");
    assertThat(Files.isSameFile(throughNew, throughOld)).isTrue();
    assertThat(Files.isSameFile(throughNew, layout.shared().resolve("data/db.txt"))).isTrue();
    assertThat(Files.isSymbolicLink(layout.release(v("1.1.0")).resolve("data"))).isTrue();
  }

  @Test
  void shouldReportCompleteWithTheInstalledAndThePreviousVersion() throws IOException {
    UpdateStatus status = updateTo110().status();

    assertThat(status.state()).isEqualTo(UpdateStatus.State.COMPLETE);
    assertThat(status.phase()).isEqualTo(Phase.COMPLETE);
    assertThat(status.installed()).contains(v("1.1.0"));
    assertThat(status.previous()).contains(v("1.0.0"));
    assertThat(status.error()).isEmpty();
    assertThat(status.canRollBack()).isTrue();
  }

  @Test
  void shouldRecordBothInstallsAsSucceededInTheHistory() throws IOException {
    List<HistoryEntry> history = updateTo110().history();

    assertThat(history).extracting(HistoryEntry::operation, HistoryEntry::outcome,
            HistoryEntry::to)
        .containsExactly(
            tuple(Operation.INSTALL, Outcome.SUCCEEDED,
                Optional.of(v("1.0.0"))),
            tuple(Operation.INSTALL, Outcome.SUCCEEDED,
                Optional.of(v("1.1.0"))));
  }

  @Test
  void shouldRollBackToThePreviousRelease() throws IOException {
    Updater updater = updateTo110();

    UpdateResult result = updater.rollback();

    assertThat(result).isEqualTo(new UpdateResult.RolledBack(v("1.1.0"), v("1.0.0")));
    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.0.0"));
    assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.0.0");
    assertThat(layout.current().resolve("data/db.txt")).hasContent("row 1");
    assertThat(updater.status().installed()).contains(v("1.0.0"));
  }

  @Test
  void shouldRefuseARollbackWithNothingToRollBackToAndRecordTheRefusal() throws IOException {
    Updater updater = installFirstRelease(builder().build());

    assertThatThrownBy(updater::rollback)
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(UpdateException.Reason.INVALID_STATE))
        .hasMessageContaining("nothing to roll back to");

    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.0.0"));
    assertThat(updater.history()).last()
        .satisfies(h -> {
          assertThat(h.operation()).isEqualTo(Operation.ROLLBACK);
          assertThat(h.outcome()).isEqualTo(Outcome.REFUSED);
          assertThat(h.reason()).contains(UpdateException.Reason.INVALID_STATE);
        });
  }

  @Test
  void shouldOfferTheRolledBackReleaseAgainOnlyOnceItsQuarantineIsLifted() throws IOException {
    Updater updater = updateTo110();
    updater.rollback();

    assertThat(updater.check()).as("quarantined by the rollback").isEmpty();
    assertThat(updater.unquarantine(v("1.1.0"))).isTrue();
    assertThat(updater.check()).contains(r110);
  }

  @Test
  void shouldAnswerUpToDateWhenAskedToInstallTheLiveRelease() throws IOException {
    Updater updater = updateTo110();
    int entries = updater.history().size();

    UpdateResult result = updater.install(r110);

    assertThat(result).isEqualTo(new UpdateResult.UpToDate(v("1.1.0")));
    assertThat(updater.history()).hasSize(entries);
    assertThat(updater.check()).isEmpty();
  }

  @Test
  void shouldTellAListenerEveryStepInOrderWithTheDownloadProgress() throws IOException {
    List<UpdateEvent> events = new CopyOnWriteArrayList<>();
    Updater updater = installFirstRelease(builder().listener(events::add).build());
    events.clear();

    updater.install(r110);

    assertThat(events.get(0)).isEqualTo(
        new UpdateEvent.Started(Operation.INSTALL, Optional.of(v("1.0.0")), v("1.1.0")));
    assertThat(events.get(events.size() - 1)).isEqualTo(
        new UpdateEvent.Completed(Operation.INSTALL, Optional.of(v("1.0.0")), v("1.1.0")));
    assertThat(events).filteredOn(UpdateEvent.StepStarted.class::isInstance)
        .extracting(e -> ((UpdateEvent.StepStarted) e).step())
        .containsExactly(Step.values());
    assertThat(events).filteredOn(UpdateEvent.StepCompleted.class::isInstance)
        .extracting(e -> ((UpdateEvent.StepCompleted) e).step())
        .containsExactly(Step.values());
    List<UpdateEvent.Progress> progress = events.stream()
        .filter(UpdateEvent.Progress.class::isInstance).map(UpdateEvent.Progress.class::cast)
        .collect(Collectors.toList());
    long size = r110.primaryArtifact().size();
    assertThat(progress).isNotEmpty().allSatisfy(p -> {
      assertThat(p.step()).isEqualTo(Step.DOWNLOAD);
      assertThat(p.total()).hasValue(size);
    });
    assertThat(progress.get(progress.size() - 1).done()).isEqualTo(size);
  }

  @Test
  void shouldEmitEachStepsEventsBetweenItsStartAndItsEnd() throws IOException {
    List<UpdateEvent> events = new CopyOnWriteArrayList<>();
    Updater updater = installFirstRelease(builder().listener(events::add).build());
    events.clear();

    updater.install(r110);

    Step open = null;
    for (UpdateEvent e : events) {
      if (e instanceof UpdateEvent.StepStarted s) {
        assertThat(open).as("a step starts while %s is open", open).isNull();
        open = s.step();
      } else if (e instanceof UpdateEvent.Progress p) {
        assertThat(p.step()).isEqualTo(open);
      } else if (e instanceof UpdateEvent.StepCompleted c) {
        assertThat(c.step()).isEqualTo(open);
        open = null;
      }
    }
    assertThat(open).isNull();
  }

  @Test
  void shouldRunStageHooksOnThePrivateStagingDirectory() throws IOException {
    List<Path> before = new CopyOnWriteArrayList<>();
    List<Path> after = new CopyOnWriteArrayList<>();
    List<String> versionSeenAfter = new CopyOnWriteArrayList<>();
    Updater updater = installFirstRelease(builder()
        .before(Step.STAGE, ctx -> before.add(ctx.releaseDir()))
        .after(Step.STAGE, ctx -> {
          after.add(ctx.releaseDir());
          versionSeenAfter.add(Files.readString(ctx.releaseDir().resolve("VERSION")));
        })
        .build());
    before.clear();
    after.clear();
    versionSeenAfter.clear();

    updater.install(r110);

    Path staging = layout.state().resolve("staging");
    assertThat(before).singleElement().satisfies(dir -> assertThat(dir).startsWithRaw(staging));
    assertThat(after).containsExactlyElementsOf(before);
    assertThat(versionSeenAfter).containsExactly("1.1.0");
    assertThat(Files.exists(after.get(0), LinkOption.NOFOLLOW_LINKS))
        .as("the staging directory is published, not left behind").isFalse();
  }

  @Test
  void shouldPublishWhatAnAfterStageHookWroteIntoTheStagedTree() throws IOException {
    Updater updater = installFirstRelease(builder()
        .after(Step.STAGE, ctx -> { // as "npm ci" would
          Path modules = Files.createDirectories(ctx.releaseDir().resolve("node_modules/left-pad"));
          Files.writeString(modules.resolve("index.js"), "module.exports = " + ctx.to() + ";\n");
        })
        .build());

    updater.install(r110);

    assertThat(layout.release(v("1.1.0")).resolve("node_modules/left-pad/index.js"))
        .hasContent("module.exports = 1.1.0;");
    assertThat(layout.current().resolve("node_modules/left-pad/index.js")).exists();
  }

  @Test
  void shouldRepairByRunningMigrationsAndTheRestarterOnTheLiveRelease() throws IOException {
    List<UpdateContext> migrations = new CopyOnWriteArrayList<>();
    List<UpdateContext> restarts = new CopyOnWriteArrayList<>();
    Updater updater = installFirstRelease(builder()
        .migrationRunner(migrations::add)
        .restarter(restarts::add)
        .build());
    updater.install(r110);
    migrations.clear();
    restarts.clear();

    UpdateResult result = updater.repair();

    assertThat(result).isEqualTo(new UpdateResult.Repaired(v("1.1.0")));
    assertThat(migrations).singleElement().satisfies(ctx -> {
      assertThat(ctx.operation()).isEqualTo(Operation.REPAIR);
      assertThat(ctx.releaseDir()).isEqualTo(layout.release(v("1.1.0")));
    });
    assertThat(restarts).singleElement().satisfies(ctx -> {
      assertThat(ctx.operation()).isEqualTo(Operation.REPAIR);
      assertThat(ctx.releaseDir()).isEqualTo(layout.release(v("1.1.0")));
    });
    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", "1.1.0"));
    assertThat(updater.status().previous()).contains(v("1.0.0"));
    assertThat(updater.history()).last().extracting(HistoryEntry::operation, HistoryEntry::outcome)
        .containsExactly(Operation.REPAIR, Outcome.SUCCEEDED);
  }
}
