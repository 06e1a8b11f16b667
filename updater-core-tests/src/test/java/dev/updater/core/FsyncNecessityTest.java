package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.testkit.FaultyFileSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each {@code fsync} the documentation promises for an install and a rollback is needed: with it
 * left out (the fault-injecting file system forgets it), some power cut leaves an install that is
 * neither exactly the old nor exactly the new release, or a journal that does not say which.
 * {@link PowerLossTest} shows that with all of them, every power cut leaves one or the other.
 */
class FsyncNecessityTest {
  private static final String STATE = PowerCuts.HOME + "/.updater";
  private static final String STAGING = STATE + "/staging/";

  /** The directories of the staged tree (the rest under the staging directory are files). */
  private static boolean stagedDirectory(String p) {
    return p.matches(".*/staging/[^/]+(/bin|/conf|/lib)?$");
  }

  @TempDir Path repoDir;

  static Stream<Arguments> installForces() {
    return Stream.of(
        Arguments.of("the journal's temporary file before its rename",
            (Predicate<String>) p -> p.startsWith(STATE + "/.journal.json.tmp")),
        Arguments.of("the state directory after the journal's rename",
            (Predicate<String>) p -> p.equals(STATE)),
        Arguments.of("each staged file before the tree is published",
            (Predicate<String>) p -> p.startsWith(STAGING) && !stagedDirectory(p)),
        Arguments.of("each staged directory before the tree is published",
            (Predicate<String>) p -> p.startsWith(STAGING) && stagedDirectory(p)),
        Arguments.of("releases/ after the staged tree is renamed into it",
            (Predicate<String>) p -> p.equals(PowerCuts.HOME + "/releases")),
        Arguments.of("the home after current is switched",
            (Predicate<String>) p -> p.equals(PowerCuts.HOME)));
  }

  static Stream<Arguments> rollbackForces() {
    return installForces().filter(a -> !a.get()[0].toString().contains("staged")
        && !a.get()[0].toString().startsWith("releases/"));
  }

  @ParameterizedTest(name = "an install needs {0}")
  @MethodSource("installForces")
  void anInstallNeeds(String fsync, Predicate<String> forgotten) throws IOException {
    PowerCuts cuts = new PowerCuts(new DeltaRepository(repoDir), false);
    try (FaultyFileSystem start = cuts.start(u -> u.install(cuts.r1))) {
      assertThat(cuts.firstBreak(start, u -> u.install(cuts.r2), forgotten))
          .as("a power cut that breaks the install without forcing %s", fsync).isPresent();
    }
  }

  @ParameterizedTest(name = "a rollback needs {0}")
  @MethodSource("rollbackForces")
  void aRollbackNeeds(String fsync, Predicate<String> forgotten) throws IOException {
    PowerCuts cuts = new PowerCuts(new DeltaRepository(repoDir), true);
    try (FaultyFileSystem start = cuts.start(u -> {
      u.install(cuts.r1);
      u.install(cuts.r2);
    })) {
      assertThat(cuts.firstBreak(start, Updater::rollback, forgotten))
          .as("a power cut that breaks the rollback without forcing %s", fsync).isPresent();
    }
  }
}
