package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.testkit.FaultyFileSystem;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power cut at a write of an install or a rollback, on the fault-injecting file system: after
 * the machine boots again (only forced file data and fsynced directory entries survive, see
 * {@link FaultyFileSystem}) and the updater recovers, the live tree is exactly the old or exactly
 * the new release, byte for byte and mode for mode, and the journal says which. Installs run the
 * default path (a signed repository with paged per-file manifests, staged as a delta from the
 * live release) and the archive path.
 *
 * <p>Every power cut between two forces leaves the same tree on the disk, so by default the power
 * is cut once per such stretch (at the last write before each force, and at the last write),
 * which covers every tree a power cut can leave. {@code -Dupdater.powerloss.all=true} cuts at
 * every write instead.
 */
class PowerLossTest {
  private static final boolean ALL = Boolean.getBoolean("updater.powerloss.all");

  @TempDir java.nio.file.Path repoDir;

  @Test
  void aPowerCutAtAnyWriteOfADeltaInstallLeavesExactlyTheOldOrTheNewRelease() throws IOException {
    assertInstallSurvivesEveryCut(new PowerCuts(new DeltaRepository(repoDir), true), true);
  }

  @Test
  void aPowerCutAtAnyWriteOfAnArchiveInstallLeavesExactlyTheOldOrTheNewRelease()
      throws IOException {
    assertInstallSurvivesEveryCut(new PowerCuts(new DeltaRepository(repoDir), false), false);
  }

  @Test
  void aPowerCutAtAnyWriteOfARollbackLeavesExactlyTheOldOrTheNewRelease() throws IOException {
    PowerCuts cuts = new PowerCuts(new DeltaRepository(repoDir), true);
    try (FaultyFileSystem start = cuts.start(u -> {
      u.install(cuts.r1);
      u.install(cuts.r2);
    })) {
      Map<String, Integer> outcomes = cuts.cut(start, Updater::rollback, PowerLossTest::sample,
          path -> false, (disk, live) -> { });

      assertThat(outcomes).as("cuts that left each release live")
          .containsOnlyKeys("1.0.0", "1.1.0").allSatisfy((v, n) -> assertThat(n).isPositive());
    }
  }

  /**
   * Cuts the install of 1.1.0 over 1.0.0; when {@code thenInstall}, installs 1.1.0 again after
   * each recovery, which must reach it.
   */
  private static void assertInstallSurvivesEveryCut(PowerCuts cuts, boolean thenInstall)
      throws IOException {
    try (FaultyFileSystem start = cuts.start(u -> u.install(cuts.r1))) {
      PowerCuts.Operation install = u -> u.install(cuts.r2);
      Map<String, Integer> outcomes = cuts.cut(start, install, PowerLossTest::sample,
          path -> false, (disk, live) -> {
            if (!thenInstall) {
              return;
            }
            // an interrupted install is not the release's fault: the next install reaches it
            cuts.updater(disk.path(PowerCuts.HOME)).install(cuts.r2);
            PowerCuts.assertLive(disk, Optional.of("1.1.0"), "the install after recovery");
          });

      assertThat(outcomes).as("cuts that left each release live")
          .containsOnlyKeys("1.0.0", "1.1.0").allSatisfy((v, n) -> assertThat(n).isPositive());
    }
  }

  private static List<Integer> sample(PowerCuts.DryRun dry) {
    return ALL ? dry.everyWrite() : dry.onePerDurableState();
  }
}
