package dev.updater.jdbc;

import static dev.updater.jdbc.Fixtures.execute;
import static dev.updater.jdbc.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Layout;
import dev.updater.core.Phase;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.HealthCheck;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.core.spi.MigrationRunner;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.ReleaseArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations through the real {@link Updater} on real disk, with the release's own SQL files
 * applied by {@link SqlMigrationRunner} and the rows guarded by {@link RowCountGuard}: rows lost to
 * a migration are reverted, the compatibility gate, {@code repair()}, one transaction per file, and
 * rollback over a newer schema. Each database runs it through a subclass.
 *
 * <p>The install starts with the host's {@code orders} table (10 rows, created outside the
 * releases, as a live application's data is); release 1.0.0 ships {@code V1__customers.sql}.
 */
abstract class MigrationPipelineTests {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");
  static final Version V3 = Version.parse("1.2.0");
  static final String CUSTOMERS = "CREATE TABLE customers (id INTEGER PRIMARY KEY,"
      + " name VARCHAR(40));\nINSERT INTO customers VALUES (1, 'Ada');\n";

  @TempDir Path dir;
  DataSource db;
  Layout layout;
  InMemoryReleaseSource source;
  Map<Integer, String> ordersBefore;

  /** An empty database of the kind under test, new for each test. */
  abstract DataSource newDatabase() throws Exception;

  @BeforeEach
  void ordersOfALiveApplication() throws Exception {
    db = newDatabase();
    Fixtures.tableWithRows(db, "orders", 10);
    ordersBefore = rows("orders");
    layout = Layout.of(dir.resolve("home"));
    source = InMemoryReleaseSource.create();
  }

  /** Publishes {@code version} with its {@code migrations/}: file names and SQL, in pairs. */
  Release publish(Version version, String... migrations) {
    ReleaseArchives.Builder archive = ReleaseArchives.builder().file("VERSION", version.toString());
    for (int i = 0; i < migrations.length; i += 2) {
      archive.file("migrations/" + migrations[i], migrations[i + 1]);
    }
    return source.publish(version, archive.tarGz());
  }

  /** An updater on the real disk, migrating with {@code runner} and guarding {@code orders}. */
  Updater.Builder updater(MigrationRunner runner) {
    return Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.create(layout))
        .migrationRunner(runner)
        .guard(RowCountGuard.tables(db, "orders"));
  }

  /** Installs 1.0.0 (V1 creates {@code customers}). */
  Updater installFirst(Updater updater) {
    updater.install(publish(V1, "V1__customers.sql", CUSTOMERS));
    assertThat(history()).containsExactly("1 V1__customers.sql");
    return updater;
  }

  @Test
  void aMigrationThatDeletesGuardedRowsFailsWithDataLossPuttingThePreviousReleaseBack()
      throws Exception {
    Updater updater = installFirst(updater(SqlMigrationRunner.create(db)).build());
    Release purge = publish(V2, "V1__customers.sql", CUSTOMERS,
        "V2__purge_old_orders.sql", "DELETE FROM orders WHERE id > 7;");

    assertThatThrownBy(() -> updater.install(purge))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.DATA_LOSS);
          assertThat(e.step()).contains(Step.MIGRATE);
          assertThat(e).hasMessageContaining("orders 10 -> 7")
              .hasMessageContaining("1.0.0 is live again");
        });

    assertLive(V1);
    Map<Integer, String> remaining = new LinkedHashMap<>(ordersBefore);
    remaining.keySet().removeIf(id -> id > 7);
    assertThat(rows("orders")).as("the rows the migration left are untouched")
        .isEqualTo(remaining);
    UpdateStatus status = updater.status();
    assertThat(status.state()).isEqualTo(UpdateStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(Phase.ERROR);
    assertThat(status.installed()).contains(V1);
    assertThat(status.error()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(Reason.DATA_LOSS);
      assertThat(f.step()).contains(Step.MIGRATE);
      assertThat(f.message()).contains("orders 10 -> 7");
    });
    assertThat(updater.history()).last().satisfies(h -> {
      assertThat(h.outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
      assertThat(h.reason()).contains(Reason.DATA_LOSS);
      assertThat(h.message()).contains("orders 10 -> 7");
    });
    assertThat(Files.readString(layout.state().resolve("failure.json")))
        .as("the failure kept for the panel").contains("DATA_LOSS").contains("orders 10 -> 7");
  }

  @Test
  void withTheGuardInsideTheTransactionTheLossyFileRollsBackAndTheHistoryIsUnchanged()
      throws Exception {
    // The count drops inside the file's transaction, so it is rolled back.
    SqlMigrationRunner runner = SqlMigrationRunner.builder(db).guardTables("orders").build();
    Updater updater = installFirst(updater(runner).build());
    Release lossy = publish(V2, "V1__customers.sql", CUSTOMERS,
        "V2__copy_orders.sql", "CREATE TABLE orders_new (id INTEGER PRIMARY KEY,"
            + " note VARCHAR(40));\n"
            + "INSERT INTO orders_new SELECT id, note FROM orders WHERE id <= 5;\n"
            + "DROP TABLE orders;\nALTER TABLE orders_new RENAME TO orders;");

    assertThatThrownBy(() -> updater.install(lossy))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.DATA_LOSS);
          assertThat(e).hasMessageContaining("orders 10 -> 5");
        });

    assertLive(V1);
    assertThat(rows("orders")).as("every row is still there").isEqualTo(ordersBefore);
    assertThat(tableExists("orders_new")).isFalse();
    assertThat(history()).containsExactly("1 V1__customers.sql");
  }

  @Test
  void anAppliedMigrationEditedInTheNextReleaseIsRefusedAndChangesNothing() throws Exception {
    Updater updater = installFirst(updater(SqlMigrationRunner.create(db)).build());
    Release edited = publish(V2,
        "V1__customers.sql", CUSTOMERS.replace("VARCHAR(40)", "VARCHAR(80)"),
        "V2__invoices.sql", "CREATE TABLE invoices (id INTEGER PRIMARY KEY);");

    assertThatThrownBy(() -> updater.install(edited))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
          assertThat(e).hasMessageContaining(
                  "the migration file V1__customers.sql was changed after it was applied")
              .hasMessageContaining("put the change in a new file")
              .hasMessageContaining("1.0.0 is live again");
        });

    assertLive(V1);
    assertThat(tableExists("invoices")).as("V2 did not run").isFalse();
    assertThat(history()).containsExactly("1 V1__customers.sql");
    assertThat(rows("orders")).isEqualTo(ordersBefore);
  }

  @Test
  void withThePreflightGuardAnEditedMigrationIsRefusedBeforeActivation() throws Exception {
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);
    Updater updater = installFirst(updater(runner).guard(runner.preflight()).build());
    Release edited = publish(V2,
        "V1__customers.sql", CUSTOMERS.replace("VARCHAR(40)", "VARCHAR(80)"),
        "V2__invoices.sql", "CREATE TABLE invoices (id INTEGER PRIMARY KEY);");

    assertThatThrownBy(() -> updater.install(edited))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
          assertThat(e.step()).contains(Step.BACKUP);
          assertThat(e).hasMessageContaining("1.1.0 cannot migrate this database")
              .hasMessageContaining("V1__customers.sql was changed after it was applied");
        });

    assertLive(V1);
    assertThat(Files.exists(layout.release(V2))).as("the staged release is removed").isFalse();
    assertThat(tableExists("invoices")).isFalse();
    assertThat(history()).containsExactly("1 V1__customers.sql");
    assertThat(updater.history()).last().extracting(HistoryEntry::outcome)
        .as("never activated").isEqualTo(HistoryEntry.Outcome.FAILED);
  }

  @Test
  void aFileFailingInStatementThreeOfFiveLeavesSchemaDataAndHistoryAsTheyWere()
      throws Exception {
    // The whole file is one transaction; a fixed release then applies it once.
    Updater updater = installFirst(updater(SqlMigrationRunner.create(db)).build());
    String broken = "CREATE TABLE invoices (id INTEGER PRIMARY KEY);\n"
        + "INSERT INTO invoices VALUES (1);\n"
        + "INSERT INTO orders (id, note) VALUES (1, 'duplicate key');\n"
        + "UPDATE orders SET note = 'changed';\n"
        + "INSERT INTO orders (id, note) VALUES (11, 'eleven');\n";

    assertThatThrownBy(() -> updater.install(publish(V2, "V1__customers.sql", CUSTOMERS,
        "V2__invoices.sql", broken)))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
          assertThat(e).hasMessageContaining("V2__invoices.sql failed in statement 3 of 5 (line 3)")
              .hasMessageContaining("1.0.0 is live again");
        });

    assertLive(V1);
    assertThat(tableExists("invoices")).as("the DDL of statement 1 rolled back").isFalse();
    assertThat(rows("orders")).isEqualTo(ordersBefore);
    assertThat(history()).containsExactly("1 V1__customers.sql");

    String fixed = broken.replace("VALUES (1, 'duplicate key')", "VALUES (12, 'twelve')");
    assertThat(updater.install(publish(V3, "V1__customers.sql", CUSTOMERS,
        "V2__invoices.sql", fixed))).isInstanceOf(UpdateResult.Updated.class);
    assertLive(V3);
    assertThat(history()).containsExactly("1 V1__customers.sql", "2 V2__invoices.sql");
    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders")).isEqualTo(12);
  }

  @Test
  void anExpandOnlyMigrationStaysCommittedWhenTheNewBinaryFailsAndTheOldQueriesStillRun()
      throws Exception {
    // A rollback switches the code back and never undoes a migration.
    HealthCheck newCodeBroken = ctx -> {
      if (!ctx.to().equals(V1)) {
        throw new IllegalStateException("/api/health answered 500");
      }
    };
    Updater updater = installFirst(updater(SqlMigrationRunner.create(db))
        .healthCheck(newCodeBroken).build());
    String expand = "ALTER TABLE orders ADD COLUMN paid INTEGER DEFAULT 0;";

    assertThatThrownBy(() -> updater.install(publish(V2, "V1__customers.sql", CUSTOMERS,
        "V2__orders_paid.sql", expand)))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
          assertThat(e).hasMessageContaining("1.0.0 is live again");
        });

    assertLive(V1);
    assertThat(history()).as("the migration is not undone")
        .containsExactly("1 V1__customers.sql", "2 V2__orders_paid.sql");
    assertThat(rows("orders")).as("1.0.0's own query still runs on the expanded schema")
        .isEqualTo(ordersBefore);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders WHERE paid = 0")).isEqualTo(10);
    assertThat(updater.history()).last().extracting(HistoryEntry::outcome)
        .isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
  }

  @Test
  void aDowngradeToAReleaseThatDoesNotShipAnAppliedMigrationIsRefusedAndTheNewerStaysLive()
      throws Exception {
    // What the runner enforces: installing older code over a newer schema is
    // refused (rollback() only switches the code back and runs no migration).
    Release first = publish(V1, "V1__customers.sql", CUSTOMERS);
    Updater updater = updater(SqlMigrationRunner.create(db)).build();
    updater.install(first);
    updater.install(publish(V2, "V1__customers.sql", CUSTOMERS,
        "V2__orders_paid.sql", "ALTER TABLE orders ADD COLUMN paid INTEGER DEFAULT 0;"));

    assertThatThrownBy(() -> updater.downgrade(first))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
          assertThat(e).hasMessageContaining("migration 2 (V2__orders_paid.sql) is recorded as"
              + " applied").hasMessageContaining("is it an older release?")
              .hasMessageContaining("1.1.0 is live again");
        });

    assertLive(V2);
    assertThat(history()).containsExactly("1 V1__customers.sql", "2 V2__orders_paid.sql");
  }

  @Test
  void withThePreflightGuardADowngradeOverANewerSchemaIsRefusedBeforeActivation()
      throws Exception {
    Release first = publish(V1, "V1__customers.sql", CUSTOMERS);
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);
    Updater updater = updater(runner).guard(runner.preflight()).build();
    updater.install(first);
    updater.install(publish(V2, "V1__customers.sql", CUSTOMERS,
        "V2__orders_paid.sql", "ALTER TABLE orders ADD COLUMN paid INTEGER DEFAULT 0;"));

    assertThatThrownBy(() -> updater.downgrade(first))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
          assertThat(e.step()).contains(Step.BACKUP);
          assertThat(e).hasMessageContaining("1.0.0 cannot migrate this database")
              .hasMessageContaining("is it an older release?");
        });

    assertLive(V2);
    assertThat(updater.history()).last().extracting(HistoryEntry::outcome)
        .isEqualTo(HistoryEntry.Outcome.FAILED);
  }

  @Test
  void repairRerunsTheStagingHooksThenTheMigrationsThenTheGuardsOnTheLiveRelease()
      throws Exception {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    SqlMigrationRunner sql = SqlMigrationRunner.create(db);
    RowCountGuard rows = RowCountGuard.tables(db, "orders");
    MigrationGuard recordingGuard = ctx -> {
      calls.add("guard snapshot " + ctx.operation());
      MigrationGuard.Check check = rows.snapshot(ctx);
      return () -> {
        calls.add("guard verify");
        check.verify();
      };
    };
    Updater updater = Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.create(layout))
        .after(Step.STAGE, ctx -> {
          calls.add("stage hook in " + ctx.releaseDir().getFileName());
          Files.writeString(ctx.releaseDir().resolve("dependencies.installed"), "yes");
        })
        .migrationRunner(ctx -> {
          calls.add("migrate " + ctx.to());
          sql.migrate(ctx);
        })
        .guard(recordingGuard)
        .build();
    updater.install(publish(V1, "V1__customers.sql", CUSTOMERS,
        "V2__invoices.sql", "CREATE TABLE invoices (id INTEGER PRIMARY KEY);\n"
            + "INSERT INTO invoices VALUES (1);"));
    // What a retry after a failure is for: the dependencies are gone and the database was
    // restored from a dump taken before V2 ran.
    Files.delete(layout.current().resolve("dependencies.installed"));
    execute(db, "DROP TABLE invoices", "DELETE FROM updater_schema_history WHERE version = 2");
    calls.clear();

    assertThat(updater.repair()).isEqualTo(new UpdateResult.Repaired(V1));

    assertThat(calls).containsExactly("stage hook in 1.0.0", "guard snapshot REPAIR",
        "migrate 1.0.0", "guard verify");
    assertThat(layout.current().resolve("dependencies.installed")).hasContent("yes");
    assertThat(history()).containsExactly("1 V1__customers.sql", "2 V2__invoices.sql");
    assertThat(queryLong(db, "SELECT COUNT(*) FROM invoices")).isEqualTo(1);
    assertLive(V1);

    calls.clear();
    assertThat(updater.repair()).isEqualTo(new UpdateResult.Repaired(V1));
    assertThat(calls).hasSize(4);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM invoices")).as("nothing ran twice")
        .isEqualTo(1);
  }

  @Test
  void aRepairWhoseMigrationLosesRowsFailsWithDataLossAndKeepsTheLiveRelease() throws Exception {
    Release first = publish(V1, "V1__customers.sql", CUSTOMERS);
    Updater updater = updater(SqlMigrationRunner.create(db)).build();
    updater.install(first);
    // The release's migrations are run by a runner that, this time, deletes rows.
    Updater lossy = updater(ctx -> execute(db, "DELETE FROM orders WHERE id = 1")).build();

    assertThatThrownBy(lossy::repair)
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.DATA_LOSS);
          assertThat(e).hasMessageContaining("orders 10 -> 9");
        });

    assertLive(V1);
    assertThat(lossy.status().error()).hasValueSatisfying(
        f -> assertThat(f.reason()).isEqualTo(Reason.DATA_LOSS));
  }

  void assertLive(Version version) throws Exception {
    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/" + version);
    assertThat(layout.current().resolve("VERSION")).hasContent(version.toString());
  }

  /** The history table as "version script" lines, in order; all recorded as successful. */
  List<String> history() {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT version, script, success FROM updater_schema_history ORDER BY version")) {
      while (rs.next()) {
        assertThat(rs.getBoolean(3)).isTrue();
        rows.add(rs.getInt(1) + " " + rs.getString(2));
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError("cannot read the history", e);
    }
    return rows;
  }

  Map<Integer, String> rows(String table) throws Exception {
    Map<Integer, String> rows = new LinkedHashMap<>();
    try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT id, note FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.put(rs.getInt(1), rs.getString(2));
      }
    }
    return rows;
  }

  boolean tableExists(String name) throws Exception {
    try (Connection c = db.getConnection()) {
      return dev.updater.jdbc.internal.Tables.find(c, name).isPresent();
    }
  }
}
