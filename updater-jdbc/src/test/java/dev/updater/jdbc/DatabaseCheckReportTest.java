package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.CheckReport;
import dev.updater.core.Release;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.testkit.InMemoryReleaseSource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check reports the provider and whether the latest release is compatible. */
class DatabaseCheckReportTest {

  @TempDir Path dir;
  final InMemoryReleaseSource source = InMemoryReleaseSource.create();

  private Updater updater(DatabaseCompatibilityGate gate) {
    return Updater.builder().home(dir.resolve("home")).source(source).gate(gate).build();
  }

  @Test
  void reportsTheDetectedProviderAndAPostgresOnlyReleaseAsIncompatibleOnSqlite() throws Exception {
    Release postgresOnly = Fixtures.publishRequiring(source, Version.parse("1.0.0"), "postgresql");

    CheckReport report = updater(DatabaseCompatibilityGate.of(
        Fixtures.sqlite(dir.resolve("app.db")))).report(false);

    assertThat(report.facts()).containsExactly(Map.entry("database", "sqlite"));
    assertThat(report.update()).contains(postgresOnly);
    assertThat(report.compatible()).isFalse();
    assertThat(report.incompatibility()).hasValueSatisfying(why -> assertThat(why)
        .contains("supports only the database provider(s) postgresql", "runs on sqlite"));
  }

  @Test
  void reportsAReleaseThatSupportsTheProviderAsCompatible() throws Exception {
    Fixtures.publishRequiring(source, Version.parse("1.0.0"), "postgresql", "sqlite");

    CheckReport report = updater(DatabaseCompatibilityGate.of("sqlite")).report(false);

    assertThat(report.compatible()).isTrue();
    assertThat(report.installable()).isTrue();
    assertThat(report.facts()).containsEntry("database", "sqlite");
  }

  @Test
  void reportsAnUnreachableDatabaseAsAFactAndTheUpdateAsUndecided() throws Exception {
    Fixtures.publishRequiring(source, Version.parse("1.0.0"), "postgresql");

    CheckReport report = updater(DatabaseCompatibilityGate.of(Fixtures.unreachablePostgres()))
        .report(false);

    assertThat(report.facts().get("database")).startsWith("unavailable: ");
    assertThat(report.compatible()).isFalse();
    assertThat(report.incompatibility()).hasValueSatisfying(why ->
        assertThat(why).startsWith("could not be checked"));
  }
}
