package dev.updater.core;

import static dev.updater.core.SignedRepositoryFixture.V1;
import static dev.updater.core.SignedRepositoryFixture.V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateStatus.State;
import dev.updater.testkit.crash.ChildExit;
import dev.updater.testkit.crash.ChildJvm;
import dev.updater.testkit.crash.CrashChecks;
import dev.updater.testkit.crash.FaultPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kill -9 on the default path: a signed repository written by {@code RepositoryWriter} with paged
 * per-file manifests, a release that changes a tenth of a 600-file tree, installed by {@code
 * check()} and {@code install()} as a host does: by delta (unchanged files hard-linked from the
 * live release, pages and changed files fetched) and from the archive; {@code repair()}; {@code
 * rollback()}; and the confirmation across a restart (with and without the detached watcher). A
 * child JVM halts at a fault point; then, in this process: exactly the old or the new release is
 * live byte for byte, the journal and the history agree, nothing is quarantined, the shared data
 * is intact, and the next {@code check()} and {@code install()} reach the newest release.
 *
 * <p>The default build kills each operation at a sample of its points (every point is in the
 * sample of some operation). {@code -Dupdater.crash.matrix=full} kills every operation at every
 * point it passes; {@code -Dupdater.crash.random=N} adds N installs killed with SIGKILL at random
 * instants.
 */
class DefaultPathCrashTest {
  private static final String DATA = "rows 1..3\n";

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static SignedRepositoryFixture fx;

  @BeforeAll
  static void publish() throws IOException {
    fx = SignedRepositoryFixture.create(shared);
  }

  /** What the child does before it is killed. */
  enum Flow {
    /** A delta install: check, then install what it offers. */
    DELTA_INSTALL("install"),
    /** The same install from the archive: the home kept no manifest of its live release. */
    ARCHIVE_INSTALL("install"),
    /** {@code repair()} of the live release. */
    REPAIR("repair"),
    /** {@code rollback()} from 1.1.0 to 1.0.0. */
    ROLLBACK("rollback"),
    /** A delta install whose release awaits confirmation from its restarted process. */
    RESTARTING_INSTALL("install-restarting");

    final String mode;

    Flow(String mode) {
      this.mode = mode;
    }
  }

  record Kill(Flow flow, FaultPoint point) {
    @Override
    public String toString() {
      return flow + " at " + point;
    }
  }

  /**
   * The kills to run: by default a sample in which every point of {@link FaultPoint} the flows
   * pass is killed once (the pairs around a journal write by one of their two points); with
   * {@code -Dupdater.crash.matrix=full}, every flow at every point it passes.
   */
  static Stream<Kill> kills() {
    boolean full = "full".equals(System.getProperty("updater.crash.matrix"));
    List<FaultPoint> restarting = List.of(FaultPoint.BEFORE_RESTART, FaultPoint.AFTER_RESTART,
        FaultPoint.BEFORE_CONFIRM, FaultPoint.AFTER_CONFIRM, FaultPoint.BEFORE_COMPLETE,
        FaultPoint.AFTER_COMPLETE);
    List<Kill> kills = new ArrayList<>();
    add(kills, Flow.DELTA_INSTALL, FaultPoint.ofDeltaInstall(), full, List.of(
        FaultPoint.BEFORE_CHECK, FaultPoint.AFTER_CHECK, FaultPoint.AFTER_DOWNLOAD,
        FaultPoint.AFTER_VERIFY, FaultPoint.MID_DELTA, FaultPoint.AFTER_STAGE,
        FaultPoint.AFTER_PUBLISH, FaultPoint.BEFORE_ACTIVATE, FaultPoint.AFTER_SWAP,
        FaultPoint.AFTER_ACTIVATE, FaultPoint.BEFORE_COMPLETE, FaultPoint.AFTER_COMPLETE));
    add(kills, Flow.ARCHIVE_INSTALL, FaultPoint.ofInstall(), full, List.of(
        FaultPoint.MID_DOWNLOAD, FaultPoint.MID_EXTRACT, FaultPoint.AFTER_EXTRACT_SYNC));
    add(kills, Flow.REPAIR, FaultPoint.ofRepair(), full, List.of(FaultPoint.BEFORE_STAGE,
        FaultPoint.AFTER_BACKUP, FaultPoint.AFTER_MIGRATE));
    add(kills, Flow.ROLLBACK, FaultPoint.ofRollback(), full, List.of(FaultPoint.AFTER_SWAP,
        FaultPoint.AFTER_CONFIRM, FaultPoint.AFTER_COMPLETE));
    add(kills, Flow.RESTARTING_INSTALL, restarting, full, List.of(FaultPoint.BEFORE_RESTART,
        FaultPoint.AFTER_RESTART, FaultPoint.BEFORE_CONFIRM));
    return kills.stream();
  }

  private static void add(List<Kill> kills, Flow flow, List<FaultPoint> passed, boolean full,
      List<FaultPoint> sample) {
    assertThat(passed).containsAll(sample);
    (full ? passed : sample).forEach(p -> kills.add(new Kill(flow, p)));
  }

  // ---- the reported case: killed after the switch, the next install stopped short -------------

  @Test
  void theNextCheckOffersTheNewReleaseAfterAnInstallKilledWithTheNewReleaseLive()
      throws Exception {
    Path home = fx.home(tmp.resolve("home"));
    run(home, FaultPoint.AFTER_SWAP, "install");
    assertThat(Files.readSymbolicLink(home.resolve("current")))
        .as("killed after the switch: current points at the new release").hasToString(
            "releases/" + V2);

    Updater updater = fx.updater(home); // a new start, as `updater install` is
    Optional<Release> offered = updater.check();

    assertThat(offered.map(Release::version)).as("the check after recovery").contains(V2);
    assertThat(updater.history()).last().satisfies(e -> {
      assertThat(e.operation()).isEqualTo(Operation.RECOVERY);
      assertThat(e.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    });
    assertThat(updater.quarantined()).isEmpty();
    assertThat(updater.install(offered.orElseThrow()))
        .isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    CrashChecks.assertSettled(updater, fx.trees);
    assertThat(updater.status().installed()).contains(V2);
  }

  // ---- every flow killed at its points ---------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("kills")
  void settlesOnTheOldOrTheNewReleaseAndTheNextInstallReachesTheNewest(Kill kill)
      throws Exception {
    Path home = prepare(kill.flow());

    run(home, kill.point(), kill.flow().mode);
    if (kill.flow() == Flow.RESTARTING_INSTALL && !kill.point().equals(FaultPoint.AFTER_COMPLETE)) {
      confirmInTheNewProcess(home);
    }

    Updater updater = fx.updater(home);
    Version live = CrashChecks.assertSettled(updater, fx.trees).orElseThrow();
    assertThat(home.resolve("shared/data/db.txt")).hasContent(DATA);
    boolean rolledBackByRequest = kill.flow() == Flow.ROLLBACK && live.equals(V1);
    if (rolledBackByRequest) {
      // The rollback completed before the kill: the release rolled back from is quarantined by
      // the request, not by the crash, and the install stays on 1.0.0.
      assertThat(updater.status().state()).isEqualTo(State.COMPLETE);
      assertThat(updater.quarantined()).extracting(QuarantinedRelease::version)
          .containsExactly(V2);
      CrashChecks.assertConverges(updater, V1);
    } else {
      assertThat(updater.quarantined()).as("a kill quarantines nothing").isEmpty();
      CrashChecks.assertConverges(updater, V2);
    }
  }

  @Test
  void aConfirmingProcessKilledLeavesTheReleaseToTheNextStart() throws Exception {
    Path home = fx.home(tmp.resolve("home"));
    run(home, FaultPoint.BEFORE_RESTART, "install-restarting");
    for (FaultPoint point : FaultPoint.ofConfirmation()) {
      if (point != FaultPoint.CONFIRM_AFTER_COMPLETE) {
        run(home, point, "confirm", V2.toString());
      }
    }

    confirmInTheNewProcess(home);

    Updater updater = fx.updater(home);
    assertThat(CrashChecks.assertSettled(updater, fx.trees)).contains(V2);
    assertThat(updater.history()).filteredOn(e -> e.outcome() == Outcome.SUCCEEDED
        && e.to().equals(Optional.of(V2))).hasSize(1);
    CrashChecks.assertConverges(updater, V2);
  }

  @Test
  void aConfirmationKilledRightAfterItsJournalWriteStands() throws Exception {
    Path home = fx.home(tmp.resolve("home"));
    run(home, FaultPoint.BEFORE_RESTART, "install-restarting");
    run(home, FaultPoint.CONFIRM_AFTER_COMPLETE, "confirm", V2.toString());

    Updater updater = fx.updater(home);

    assertThat(CrashChecks.assertSettled(updater, fx.trees)).contains(V2);
    assertThat(updater.status().state()).isEqualTo(State.COMPLETE);
    CrashChecks.assertConverges(updater, V2);
  }

  @Test
  void anInstallKilledAfterItsWatcherStartedIsPutBackOnceAndThenConverges() throws Exception {
    Path home = fx.home(tmp.resolve("home"));
    run(home, FaultPoint.AFTER_WATCHER_START, "install-watched");
    awaitWatcherExit(home);

    Updater updater = fx.updater(home);

    assertThat(CrashChecks.assertSettled(updater, fx.trees)).contains(V1);
    assertThat(updater.history()).filteredOn(e -> e.operation() == Operation.RECOVERY)
        .hasSize(1);
    assertThat(updater.quarantined()).isEmpty();
    CrashChecks.assertConverges(updater, V2);
  }

  @Test
  void anInstallKilledHalfWayThroughItsMigrationIsPutBackAndThenConverges() throws Exception {
    Path home = fx.home(tmp.resolve("home"));
    run(home, SignedChildMain.MID_MIGRATION, "install");

    Updater updater = fx.updater(home);

    assertThat(CrashChecks.assertSettled(updater, fx.trees)).contains(V1);
    assertThat(updater.quarantined()).isEmpty();
    CrashChecks.assertConverges(updater, V2);
    assertThat(home.resolve("shared/data/" + SignedChildMain.MIGRATIONS_LOG))
        .hasContent("migrating to " + V1 + " done\nmigrating to " + V2 + "migrating to " + V2
            + " done\n");
  }

  @Test
  void aRecoveryKilledAfterItSwitchedBackIsFinishedByTheNextStart() throws Exception {
    Path home = fx.home(tmp.resolve("home"));
    run(home, FaultPoint.AFTER_SWAP, "install");
    run(home, FaultPoint.AFTER_REVERT, "recover");

    Updater updater = fx.updater(home);

    assertThat(CrashChecks.assertSettled(updater, fx.trees)).contains(V1);
    assertThat(updater.history()).filteredOn(e -> e.operation() == Operation.RECOVERY)
        .hasSize(1);
    assertThat(updater.quarantined()).isEmpty();
    CrashChecks.assertConverges(updater, V2);
  }

  // ---- kills at random instants, behind a property ---------------------------------------------

  /**
   * With {@code -Dupdater.crash.random=N}: N delta installs, each killed with SIGKILL at a random
   * instant (the seed is printed, and {@code -Dupdater.crash.seed} repeats a run); without it, no
   * test. Each kill is followed by the same checks as a kill at a fault point.
   */
  @TestFactory
  Stream<DynamicTest> randomKills() {
    int count = Integer.getInteger("updater.crash.random", 0);
    long seed = Long.getLong("updater.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    return IntStream.range(0, count).mapToObj(i -> {
      Duration delay = Duration.ofMillis(200 + random.nextInt(2800));
      return DynamicTest.dynamicTest("kill " + i + " after " + delay.toMillis() + " ms (seed "
          + seed + ")", () -> killedAfter(i, delay));
    });
  }

  private void killedAfter(int i, Duration delay) throws Exception {
    Path home = fx.home(tmp.resolve("home-" + i));
    ChildExit exit = ChildJvm.of(SignedChildMain.class, fx.args(home, "install"))
        .killAfter(delay).timeout(Duration.ofSeconds(90)).run();
    assertThat(exit.killed() || exit.succeeded()).as(exit.output()).isTrue();

    Updater updater = fx.updater(home);
    CrashChecks.assertSettled(updater, fx.trees);
    assertThat(updater.quarantined()).as("a kill quarantines nothing").isEmpty();
    CrashChecks.assertConverges(updater, V2);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private Path prepare(Flow flow) throws IOException {
    Path home = fx.home(tmp.resolve("home"));
    switch (flow) {
      case ARCHIVE_INSTALL -> Files.delete(home.resolve(".updater/manifests/" + V1 + ".json"));
      case ROLLBACK -> {
        Updater updater = fx.updater(home);
        updater.install(updater.check().orElseThrow());
        assertThat(updater.status().installed()).contains(V2);
      }
      default -> { }
    }
    return home;
  }

  private ChildExit run(Path home, FaultPoint point, String... mode) throws Exception {
    return run(home, point.id(), mode);
  }

  private ChildExit run(Path home, String point, String... mode) throws Exception {
    return ChildJvm.of(SignedChildMain.class, fx.args(home, mode)).haltAt(point)
        .timeout(Duration.ofSeconds(90)).run().requireHalted();
  }

  /** A later process of 1.1.0 confirms it, as a restarted host does at start-up. */
  private void confirmInTheNewProcess(Path home) {
    UpdateStatus status = SignedChildMain.restarting(home, fx.repository, fx.publicKey)
        .runningVersion(V2).build().confirm();
    assertThat(status.state()).isEqualTo(State.COMPLETE);
  }

  /**
   * Waits until the detached watcher the child started (before it was killed) has ended: it
   * recovers the install itself when the host dies before handing over, and exits.
   */
  private static void awaitWatcherExit(Path home) throws Exception {
    List<ProcessHandle> watchers = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().filter(c -> c.contains("WatcherMain")
            && c.contains(home.toString())).isPresent())
        .toList();
    for (ProcessHandle watcher : watchers) {
      watcher.onExit().get(60, TimeUnit.SECONDS);
    }
  }

}
