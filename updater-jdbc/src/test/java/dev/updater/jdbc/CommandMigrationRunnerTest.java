package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandMigrationRunnerTest {
  @TempDir Path home;
  Path release;
  UpdateContext context;

  @BeforeEach
  void release() throws Exception {
    release = Files.createDirectories(home.resolve("releases/1.1.0/backend"))
        .getParent();
    context = new UpdateContext(UpdateEvent.Operation.INSTALL, Step.MIGRATE,
        Optional.of(Version.parse("1.0.0")), Version.parse("1.1.0"), Layout.of(home), release);
  }

  @Test
  void runsTheCommandInTheReleaseDirectoryWithItsEnvironment() throws Exception {
    CommandMigrationRunner.builder("sh", "-c",
            "pwd > ran.txt; echo \"$UPDATER_FROM_VERSION $UPDATER_TO_VERSION $EXTRA\" >> ran.txt")
        .environment("EXTRA", "extra")
        .build()
        .migrate(context);

    assertThat(Files.readAllLines(release.resolve("ran.txt")))
        .containsExactly(release.toRealPath().toString(), "1.0.0 1.1.0 extra");
  }

  @Test
  void runsInASubdirectoryOfTheReleaseWhenAsked() throws Exception {
    CommandMigrationRunner.builder("sh", "-c", "touch here").directory("backend").build()
        .migrate(context);

    assertThat(release.resolve("backend/here")).exists();
  }

  @Test
  void aNonZeroExitNamesTheCommandTheExitCodeAndTheLastLines() {
    CommandMigrationRunner runner = CommandMigrationRunner.of("sh", "-c",
        "for i in $(seq 1 30); do echo line $i; done; echo 'relation orders missing' >&2; exit 3");

    assertThatThrownBy(() -> runner.migrate(context))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("'sh -c for i in")
        .hasMessageContaining("failed with exit code 3 while trying to migrate to 1.1.0")
        .hasMessageContaining("line 30\n  relation orders missing")
        .hasMessageNotContaining("line 5\n");
  }

  @Test
  void aCommandThatOutlivesItsTimeoutIsKilledAndReported() {
    CommandMigrationRunner runner = CommandMigrationRunner.builder("sh", "-c",
        "echo started; sleep 30").timeout(Duration.ofMillis(500)).build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> runner.migrate(context))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("did not finish within PT0.5S and was killed")
        .hasMessageContaining("started");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aCommandThatDoesNotExistIsAClearError() {
    CommandMigrationRunner runner = CommandMigrationRunner.of("no-such-migrate-tool", "deploy");

    assertThatThrownBy(() -> runner.migrate(context))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("cannot start 'no-such-migrate-tool deploy'")
        .hasMessageContaining("is no-such-migrate-tool installed and on the PATH");
  }

  @Test
  void theBuilderRefusesAnEmptyCommandADirectoryOutsideTheReleaseAndANonPositiveTimeout() {
    assertThatThrownBy(() -> CommandMigrationRunner.of())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommandMigrationRunner.builder("x").directory("../other"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommandMigrationRunner.builder("x").timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
