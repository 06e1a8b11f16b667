package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.testkit.InMemoryReleaseSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseCompatibilityGateTest {
  static final Version V1 = Version.parse("1.0.0");

  @TempDir Path dir;
  final InMemoryReleaseSource source = InMemoryReleaseSource.create();

  @Test
  void refusesAReleaseThatLeavesOutTheInstallsProviderNamingBoth() throws Exception {
    Release postgresOnly = Fixtures.publishRequiring(source, V1, "postgresql");

    assertThatThrownBy(() -> DatabaseCompatibilityGate.of("sqlite").check(postgresOnly,
        Optional.empty()))
        .isInstanceOf(IncompatibleReleaseException.class)
        .hasMessageContaining("1.0.0 supports only the database provider(s) postgresql")
        .hasMessageContaining("this install runs on sqlite");
  }

  @Test
  void letsThroughAReleaseThatSupportsTheProviderInAnyCase() throws Exception {
    Release release = Fixtures.publishRequiring(source, V1, "PostgreSQL", "SQLite");

    assertThatCode(() -> DatabaseCompatibilityGate.of("sqlite").check(release, Optional.empty()))
        .doesNotThrowAnyException();
    assertThat(DatabaseCompatibilityGate.of(DatabaseProvider.POSTGRESQL).isCompatible(release))
        .isTrue();
  }

  @Test
  void letsThroughAReleaseThatNamesNoProvider() throws Exception {
    Release release = Fixtures.publishRequiring(source, V1);

    assertThat(DatabaseCompatibilityGate.of("h2").isCompatible(release)).isTrue();
  }

  @Test
  void reportsTheDetectedProvider() throws Exception {
    DataSource sqlite = Fixtures.sqlite(dir.resolve("app.db"));

    assertThat(DatabaseCompatibilityGate.of(sqlite).provider()).isEqualTo(DatabaseProvider.SQLITE);
  }

  @Test
  void aPostgresOnlyReleaseOnASqliteInstallIsRefusedAsIncompatibleBeforeAnyDownload()
      throws Exception {
    Layout layout = Layout.of(dir.resolve("home"));
    Release postgresOnly = Fixtures.publishRequiring(source, V1, "postgresql");
    Updater updater = Updater.builder()
        .home(layout.home())
        .source(source)
        .gate(DatabaseCompatibilityGate.of(Fixtures.sqlite(dir.resolve("app.db"))))
        .build();

    assertThatThrownBy(() -> updater.install(postgresOnly))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
          assertThat(e.reason().isConflict()).as("a web host answers 409").isTrue();
          assertThat(e.step()).contains(Step.CHECK);
          assertThat(e).hasMessageContaining("postgresql").hasMessageContaining("sqlite");
        });
    assertThat(source.openCount()).as("artifacts opened").isZero();
    assertThat(Files.exists(layout.current(), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void anUnreachableDatabaseFailsTheCheckStepBeforeAnyDownload() throws Exception {
    Release release = Fixtures.publishRequiring(source, V1, "postgresql");
    Updater updater = Updater.builder()
        .home(dir.resolve("home"))
        .source(source)
        .gate(DatabaseCompatibilityGate.of(Fixtures.unreachablePostgres()))
        .build();

    assertThatThrownBy(() -> updater.install(release))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.step()).contains(Step.CHECK);
          assertThat(e.reason()).isEqualTo(Reason.IO_ERROR); // core maps IOException in CHECK so
          assertThat(e.getCause()).isInstanceOf(DatabaseUnavailableException.class);
          assertThat(e).hasMessageContaining("cannot connect to the database");
        });
    assertThat(source.openCount()).as("artifacts opened").isZero();
  }
}
