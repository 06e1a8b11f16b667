package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.ReleaseArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data pipeline as one, through the real {@link Updater} on real disk: the compatibility gate,
 * a backup of the shared data and the database, a row-count guard and the release's SQL
 * migrations, configured together as a host would. A release for another database is refused
 * before anything is backed up or migrated; a migration that commits the loss of rows is caught by
 * the guard after the commit, the previous release is put back, and the rows come back from the
 * backup. Each database runs it through a subclass.
 */
abstract class DataPipelineTests {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @TempDir Path dir;
  Layout layout;
  DataSource db;
  InMemoryReleaseSource source;
  Map<Integer, String> ordersBefore;

  /** The host's database, with its {@code orders}; created under {@code layout} when it is a file. */
  abstract DataSource newDatabase(Layout layout) throws Exception;

  /** The backup step a host of this database configures. */
  abstract BackupStep backup(Layout layout);

  @BeforeEach
  void liveInstallWithOrders() throws Exception {
    layout = Layout.of(dir.resolve("home"));
    db = newDatabase(layout);
    Fixtures.tableWithRows(db, "orders", 10);
    ordersBefore = rows();
    source = InMemoryReleaseSource.create();
  }

  Updater updater() {
    return Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.builder(layout).shared("data").build())
        .gate(DatabaseCompatibilityGate.of(db))
        .guard(backup(layout))
        .guard(RowCountGuard.tables(db, "orders"))
        .migrationRunner(SqlMigrationRunner.create(db))
        .build();
  }

  Release publish(Version version, String... migrations) {
    ReleaseArchives.Builder archive = ReleaseArchives.builder().file("VERSION", version.toString());
    for (int i = 0; i < migrations.length; i += 2) {
      archive.file("migrations/" + migrations[i], migrations[i + 1]);
    }
    return source.publish(version, archive.tarGz());
  }

  @Test
  void aMigrationThatCommitsTheLossOfRowsIsRolledBackAndTheRowsComeBackFromTheBackup()
      throws Exception {
    Updater updater = updater();
    updater.install(publish(V1, "V1__customers.sql",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(40));"));
    Release purge = publish(V2, "V1__customers.sql",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(40));",
        "V2__purge_old_orders.sql", "DELETE FROM orders WHERE id > 3;");

    assertThatThrownBy(() -> updater.install(purge))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.DATA_LOSS);
          assertThat(e.step()).contains(Step.MIGRATE);
          assertThat(e).hasMessageContaining("orders 10 -> 3");
        });

    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/" + V1);
    assertThat(rows()).as("every order is back, from the backup").isEqualTo(ordersBefore);
    assertThat(appliedMigrations()).as("the migration's own record is undone with it")
        .isEqualTo(1);
    assertThat(backup(layout).backups()).as("the backup made before the migration")
        .anySatisfy(b -> assertThat(b.getFileName().toString()).endsWith("-" + V2));
    assertThat(updater.history()).last().satisfies(h -> {
      assertThat(h.outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
      assertThat(h.reason()).contains(Reason.DATA_LOSS);
    });
  }

  @Test
  void aReleaseForAnotherDatabaseIsRefusedBeforeAnyBackupOrMigration() throws Exception {
    Updater updater = updater();
    updater.install(publish(V1));
    int backups = backup(layout).backups().size();
    Release forMysql = Fixtures.publishRequiring(source, V2, "mysql");

    assertThatThrownBy(() -> updater.install(forMysql))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE));

    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/" + V1);
    assertThat(rows()).isEqualTo(ordersBefore);
    assertThat(backup(layout).backups()).as("no backup for a refused release").hasSize(backups);
    assertThat(updater.history()).last().satisfies(h ->
        assertThat(h.outcome()).isEqualTo(HistoryEntry.Outcome.REFUSED));
  }

  private long appliedMigrations() throws Exception {
    return Fixtures.queryLong(db, "SELECT count(*) FROM updater_schema_history");
  }

  Map<Integer, String> rows() throws Exception {
    Map<Integer, String> rows = new LinkedHashMap<>();
    try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT id, note FROM orders ORDER BY id")) {
      while (rs.next()) {
        rows.put(rs.getInt(1), rs.getString(2));
      }
    }
    return rows;
  }
}
