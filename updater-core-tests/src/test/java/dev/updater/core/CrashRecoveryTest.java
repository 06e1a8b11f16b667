package dev.updater.core;

import static dev.updater.core.CrashHome.HALTED;
import static dev.updater.core.CrashHome.V1;
import static dev.updater.core.CrashHome.V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus.State;
import dev.updater.testkit.crash.ChildExit;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kill -9 at every step: an update from {@link CrashHome#V1} to
 * {@link CrashHome#V2} runs in a child JVM that halts at one fault point; a new updater in this
 * process then recovers the home, which must be exactly the old or exactly the new release, with a
 * readable journal, no staged leftovers, the shared data intact, and an update that can be run
 * again to completion.
 */
class CrashRecoveryTest {
  private static final String SHARED_ROWS = "rows 1..3\n";

  @TempDir java.nio.file.Path tmp;

  private CrashHome fx;

  @BeforeEach
  void installTheOldReleaseWithSomeData() throws IOException {
    fx = CrashHome.create(tmp);
    fx.updater().install(fx.release(V1));
    Files.writeString(fx.data().resolve("db.txt"), SHARED_ROWS);
    fx.assertLive(V1);
  }

  /** Points where the switch has not been journalled: recovery removes what was staged. */
  static Stream<String> pointsBeforeActivation() {
    return Stream.of("before-CHECK", "after-CHECK", "before-DOWNLOAD", "mid-download",
        "after-DOWNLOAD", "before-VERIFY", "after-VERIFY", "before-STAGE", "mid-extract",
        "after-STAGE", "after-publish", "before-BACKUP", "after-BACKUP");
  }

  /** Points where the switch was journalled (and may have happened): recovery switches back. */
  static Stream<String> pointsAfterActivationBegan() {
    return Stream.of("before-ACTIVATE", "after-swap", "after-ACTIVATE", "before-MIGRATE",
        UpdateChildMain.MID_MIGRATION, "after-MIGRATE", "before-RESTART", "after-RESTART",
        "before-CONFIRM", "after-CONFIRM");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pointsBeforeActivation")
  void keepsTheOldReleaseAndRemovesWhatWasStagedWhenKilledBeforeActivation(String point)
      throws Exception {
    crashAt(point);

    UpdateStatus status = fx.updater().status();

    fx.assertLive(V1);
    assertInterrupted(status);
    fx.assertNoStagingLeft();
    assertThat(fx.layout.release(V2)).as("the unactivated release directory").doesNotExist();
    assertLastHistoryEntryIsRecovery(Outcome.FAILED);
    assertSharedDataIntact();
    assertRerunCompletes();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pointsAfterActivationBegan")
  void switchesBackToTheOldReleaseWhenKilledAfterActivationBegan(String point) throws Exception {
    crashAt(point);

    UpdateStatus status = fx.updater().status();

    fx.assertLive(V1);
    assertInterrupted(status);
    fx.assertNoStagingLeft();
    assertLastHistoryEntryIsRecovery(Outcome.ROLLED_BACK);
    assertSharedDataIntact();
    assertThat(fx.updater().quarantined()).as("an interrupted switch is not the release's failure")
        .isEmpty();
    assertRerunCompletes();
  }

  @Test
  void keepsTheNewReleaseWhenKilledAfterTheJournalRecordedCompletion() throws Exception {
    crashAt("after-complete");

    Updater updater = fx.updater();
    UpdateStatus status = updater.status();

    fx.assertLive(V2);
    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.error()).isEmpty();
    assertThat(status.installed()).contains(V2);
    assertThat(status.previous()).contains(V1);
    fx.assertNoStagingLeft();
    assertThat(updater.history()).noneMatch(e -> e.operation() == Operation.RECOVERY);
    assertSharedDataIntact();
    assertThat(updater.install(fx.release(V2))).isEqualTo(new UpdateResult.UpToDate(V2));
    fx.assertLive(V2);
  }

  @Test
  void showsTheCompletedUpdateRatherThanAnEarlierFailureWhenKilledAfterCompletion()
      throws Exception {
    crashAt("after-swap");
    assertThat(fx.updater().recover()).isTrue(); // records the interruption as the last failure
    crashAt("after-complete");

    UpdateStatus status = fx.updater().status();

    fx.assertLive(V2);
    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.error()).isEmpty();
  }

  @Test
  void completesTheUpdateInAChildThatIsNotKilled() throws Exception {
    ChildExit child = fx.runChild(null, "install", V2.toString());

    assertThat(child.status()).as(child.output()).isZero();
    assertThat(child.output()).contains("RESULT " + new UpdateResult.Updated(Optional.of(V1), V2));
    fx.assertLive(V2);
    assertThat(fx.updater().status().state()).isEqualTo(State.COMPLETE);
    assertThat(fx.data().resolve(UpdateChildMain.MIGRATIONS_LOG))
        .hasContent("migrating to " + V1 + " done\nmigrating to " + V2 + " done\n");
  }

  @Test
  void recoversAtTheStartOfTheNextInstallWithoutAStatusCallFirst() throws Exception {
    crashAt("after-swap");
    fx.assertLive(V2); // the child died with the new release live but unconfirmed

    Updater updater = fx.updater();
    UpdateResult result = updater.install(fx.release(V2));

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    fx.assertLive(V2);
    List<HistoryEntry> history = updater.history();
    assertThat(history.get(history.size() - 2).operation()).isEqualTo(Operation.RECOVERY);
    assertThat(history.get(history.size() - 1).outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void finishesSwitchingBackWhenTheRecoveryItselfIsKilled() throws Exception {
    crashAt("after-swap");
    ChildExit recovering = fx.runChild("after-revert", "recover");
    assertThat(recovering.status()).as(recovering.output()).isEqualTo(HALTED);
    fx.assertLive(V1); // switched back, but the journal still records the update as unfinished

    UpdateStatus status = fx.updater().status();

    fx.assertLive(V1);
    assertInterrupted(status);
    assertLastHistoryEntryIsRecovery(Outcome.ROLLED_BACK);
    assertSharedDataIntact();
    assertRerunCompletes();
  }

  @Test
  void keepsAPartialDownloadToResumeAndRemovesItOnceTheUpdateCompletes() throws Exception {
    Artifact artifact = fx.release(V2).primaryArtifact();
    java.nio.file.Path part = fx.downloads().resolve(artifact.sha256() + ".part");
    crashAt("mid-download");
    assertThat(Files.size(part)).isStrictlyBetween(0L, artifact.size());

    fx.updater().status();

    fx.assertLive(V1);
    assertThat(part).as("the partial download, kept to resume from").exists();
    assertRerunCompletes();
  }

  @Test
  void removesAHalfExtractedStagingDirectory() throws Exception {
    crashAt("mid-extract");
    try (Stream<java.nio.file.Path> dirs = Files.list(fx.staging())) {
      assertThat(dirs).singleElement().satisfies(dir -> {
        assertThat(dir.resolve("VERSION")).exists();
        assertThat(dir.resolve("lib/blob.bin")).doesNotExist();
      });
    }

    fx.updater().status();

    fx.assertNoStagingLeft();
    fx.assertLive(V1);
  }

  @Test
  void leavesNoReleaseLiveWhenTheFirstInstallIsKilledAfterTheSwitch() throws Exception {
    CrashHome empty = CrashHome.create(tmp.resolve("first-install"));
    ChildExit child = empty.runChild("after-swap", "install", V1.toString());
    assertThat(child.status()).as(child.output()).isEqualTo(HALTED);
    empty.assertLive(V1);

    UpdateStatus status = empty.updater().status();

    assertThat(empty.layout.current()).doesNotExist();
    assertThat(Files.isSymbolicLink(empty.layout.current())).isFalse();
    assertThat(status.installed()).isEmpty();
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.INTERRUPTED);
    assertThat(empty.updater().install(empty.release(V1)))
        .isEqualTo(new UpdateResult.Updated(Optional.empty(), V1));
    empty.assertLive(V1);
  }

  // ---- the restart and confirmation steps (the release awaits confirmation across a restart) ---

  /** Points of an update whose restarter returns, so that its own process also confirms. */
  static Stream<String> pointsAroundTheRestart() {
    return Stream.of("before-RESTART", "after-RESTART", "before-CONFIRM",
        UpdateChildMain.MID_HEALTH, "after-CONFIRM");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pointsAroundTheRestart")
  void completesWhenTheNewProcessConfirmsAfterAKillAroundTheRestart(String point)
      throws Exception {
    crashAt(point, "install-restarting");
    fx.assertLive(V2);
    assertAwaiting();

    UpdateStatus status = newProcess().confirm();

    assertCompletedOnce(status);
    assertRerunIsUpToDate();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pointsAroundTheRestart")
  void rollsBackAfterTheDeadlineAfterAKillAroundTheRestart(String point) throws Exception {
    crashAt(point, "install-restarting");

    UpdateStatus status = lateUpdater().status();

    assertRolledBackOnce(status);
    assertQuarantinedV2();
    assertRerunCompletes();
  }

  /** Points inside {@code confirm()} in the new process. */
  static Stream<String> pointsInTheNewProcessConfirmation() {
    return Stream.of("confirm-before-check", UpdateChildMain.CONFIRM_MID_HEALTH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pointsInTheNewProcessConfirmation")
  void aLaterStartConfirmsWhenTheConfirmingProcessIsKilled(String point) throws Exception {
    crashAt("before-RESTART", "install-restarting");
    confirmingChildHaltsAt(point);
    fx.assertLive(V2);
    assertAwaiting();

    UpdateStatus status = newProcess().confirm();

    assertCompletedOnce(status);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pointsInTheNewProcessConfirmation")
  void rollsBackAfterTheDeadlineWhenTheConfirmingProcessIsKilled(String point) throws Exception {
    crashAt("before-RESTART", "install-restarting");
    confirmingChildHaltsAt(point);

    UpdateStatus status = lateUpdater().status();

    assertRolledBackOnce(status);
    assertRerunCompletes();
  }

  @Test
  void keepsTheConfirmationWhenTheConfirmingProcessIsKilledRightAfterTheJournalRecordedIt()
      throws Exception {
    crashAt("before-RESTART", "install-restarting");
    confirmingChildHaltsAt("confirm-after-complete");

    UpdateStatus status = lateUpdater().status();

    fx.assertLive(V2);
    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.previous()).contains(V1);
    assertThat(status.error()).isEmpty();
    assertThat(fx.updater().history()).noneMatch(e -> e.outcome() == Outcome.ROLLED_BACK);
  }

  /** Points of a rollback after the deadline (by the watcher, a launcher or a late host). */
  static Stream<String> pointsInTheRollback() {
    return Stream.of("after-revert", "rollback-before-restart");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pointsInTheRollback")
  void finishesTheRollbackExactlyOnceWhenTheRollingBackProcessIsKilled(String point)
      throws Exception {
    crashAt("before-RESTART", "install-restarting");
    ChildExit late = fx.runChild(point, "late-recover");
    assertThat(late.status()).as(late.output()).isEqualTo(HALTED);
    fx.assertLive(V1);

    UpdateStatus status = lateUpdater().status();

    assertRolledBackOnce(status);
    assertQuarantinedV2();
    assertRerunCompletes();
  }

  /** A release rolled back by its confirmation is quarantined, however the rollback was split. */
  private void assertQuarantinedV2() {
    assertThat(fx.updater().quarantined()).extracting(QuarantinedRelease::version)
        .containsExactly(V2);
  }

  private void confirmingChildHaltsAt(String point) throws Exception {
    ChildExit child = fx.runChild(point, "confirm", V2.toString());
    assertThat(child.status()).as("exit status of the child halted at %s; it printed:%n%s", point,
        child.output()).isEqualTo(HALTED);
  }

  /** A later process of the new release, with the child's configuration. */
  private Updater newProcess() {
    return UpdateChildMain.restarting(fx.home, fx.repository).runningVersion(V2).build();
  }

  /** An updater whose clock is past the confirmation deadline. */
  private Updater lateUpdater() {
    return UpdateChildMain.restarting(fx.home, fx.repository)
        .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), UpdateChildMain.LATE)).build();
  }

  private void assertAwaiting() {
    UpdateStatus status = fx.updater().status();
    assertThat(status.state()).isEqualTo(State.AWAITING_CONFIRMATION);
    assertThat(status.phase()).isEqualTo(Phase.RESTARTING);
    assertThat(status.installed()).contains(V2);
  }

  private void assertCompletedOnce(UpdateStatus status) throws IOException {
    fx.assertLive(V2);
    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.previous()).contains(V1);
    assertThat(status.error()).isEmpty();
    fx.assertNoStagingLeft();
    assertSharedDataIntact();
    List<HistoryEntry> history = fx.updater().history();
    assertThat(history).filteredOn(e -> e.outcome() == Outcome.SUCCEEDED
        && e.to().equals(Optional.of(V2))).hasSize(1);
    assertThat(history).noneMatch(e -> e.outcome() == Outcome.ROLLED_BACK);
  }

  private void assertRolledBackOnce(UpdateStatus status) throws IOException {
    fx.assertLive(V1);
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(status.error().orElseThrow().message())
        .contains("1.1.0 did not confirm by its deadline");
    fx.assertNoStagingLeft();
    assertSharedDataIntact();
    assertThat(fx.updater().history()).filteredOn(e -> e.outcome() == Outcome.ROLLED_BACK)
        .hasSize(1);
  }

  private void assertRerunIsUpToDate() throws IOException {
    assertThat(fx.updater().install(fx.release(V2))).isEqualTo(new UpdateResult.UpToDate(V2));
    fx.assertLive(V2);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void crashAt(String point, String mode) throws Exception {
    ChildExit child = fx.runChild(point, mode, V2.toString());
    assertThat(child.status()).as("exit status of the child halted at %s; it printed:%n%s", point,
        child.output()).isEqualTo(HALTED);
  }

  private void crashAt(String point) throws Exception {
    ChildExit child = fx.runChild(point, "install", V2.toString());
    assertThat(child.status()).as("exit status of the child halted at %s; it printed:%n%s", point,
        child.output()).isEqualTo(HALTED);
  }

  private static void assertInterrupted(UpdateStatus status) {
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error()).hasValueSatisfying(
        f -> assertThat(f.reason()).isEqualTo(Reason.INTERRUPTED));
    assertThat(status.installed()).contains(V1);
  }

  private void assertLastHistoryEntryIsRecovery(Outcome outcome) {
    List<HistoryEntry> history = fx.updater().history();
    assertThat(history).isNotEmpty();
    HistoryEntry last = history.get(history.size() - 1);
    assertThat(last.operation()).isEqualTo(Operation.RECOVERY);
    assertThat(last.outcome()).isEqualTo(outcome);
    assertThat(last.reason()).contains(Reason.INTERRUPTED);
    assertThat(last.from()).contains(V1);
    assertThat(last.to()).contains(V2);
  }

  private void assertSharedDataIntact() {
    assertThat(fx.data().resolve("db.txt")).hasContent(SHARED_ROWS);
    assertThat(fx.layout.current().resolve("data/db.txt")).hasContent(SHARED_ROWS);
  }

  /** Runs the update again in this process: it must complete, and clean up after itself. */
  private void assertRerunCompletes() throws IOException {
    Updater updater = fx.updater();

    UpdateResult result = updater.install(fx.release(V2));

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    fx.assertLive(V2);
    UpdateStatus status = updater.status();
    assertThat(status.state()).isEqualTo(State.COMPLETE);
    assertThat(status.error()).isEmpty();
    fx.assertNoStagingLeft();
    assertThat(fx.downloads()).doesNotExist();
    assertSharedDataIntact();
    assertThat(fx.data().resolve(UpdateChildMain.MIGRATIONS_LOG).toFile())
        .content().endsWith("migrating to " + V2 + " done\n");
  }
}
