package dev.updater.jdbc;

import static dev.updater.jdbc.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.spi.DataLossException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviours of {@link SqlMigrationRunner} that every supported database shares. */
abstract class SqlMigrationRunnerTests {
  @TempDir Path dir;
  DataSource db;
  Path migrations;

  abstract DataSource newDatabase() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    db = newDatabase();
    migrations = Files.createDirectories(dir.resolve("release/migrations"));
  }

  void file(String name, String sql) throws Exception {
    Files.writeString(migrations.resolve(name), sql);
  }

  void twoMigrations() throws Exception {
    file("V1__create_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, note VARCHAR(40));\n"
        + "INSERT INTO orders VALUES (1, 'first');\nINSERT INTO orders VALUES (2, 'second');\n");
    file("V2__add_paid.sql", "ALTER TABLE orders ADD COLUMN paid INTEGER DEFAULT 0;\n"
        + "UPDATE orders SET paid = 1 WHERE id = 1;");
  }

  List<String> history() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT version, description, script, checksum, success, applied_at"
            + " FROM updater_schema_history ORDER BY version")) {
      while (rs.next()) {
        assertThat(rs.getString(4)).hasSize(64);
        assertThat(rs.getBoolean(5)).isTrue();
        assertThat(rs.getString(6)).isNotBlank();
        rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
    }
    return rows;
  }

  @Test
  void appliesTheFilesInNumericOrderAndRecordsEachInTheHistory() throws Exception {
    twoMigrations();
    file("V10__add_index.sql", "CREATE INDEX orders_paid ON orders (paid);");
    for (int i = 3; i < 10; i++) {
      file("V" + i + "__noop.sql", "SELECT 1;");
    }

    List<String> applied = SqlMigrationRunner.create(db).migrate(migrations);

    assertThat(applied).hasSize(10).startsWith("V1__create_orders.sql", "V2__add_paid.sql")
        .endsWith("V10__add_index.sql");
    assertThat(queryLong(db, "SELECT paid FROM orders WHERE id = 1")).isEqualTo(1);
    assertThat(history()).hasSize(10).first().isEqualTo("1 create orders V1__create_orders.sql");
  }

  @Test
  void runningAgainAppliesNothing() throws Exception {
    twoMigrations();
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);
    runner.migrate(migrations);

    assertThat(runner.migrate(migrations)).isEmpty();
    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders")).isEqualTo(2);
    assertThat(history()).hasSize(2);
  }

  @Test
  void appliesOnlyTheNewFilesOfALaterRelease() throws Exception {
    twoMigrations();
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);
    runner.migrate(migrations);
    file("V3__third.sql", "INSERT INTO orders (id, note) VALUES (3, 'third');");

    assertThat(runner.migrate(migrations)).containsExactly("V3__third.sql");
    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders")).isEqualTo(3);
  }

  @Test
  void refusesAnAppliedFileThatWasEditedNamingItBeforeRunningAnything() throws Exception {
    twoMigrations();
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);
    runner.migrate(migrations);
    file("V1__create_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);");
    file("V3__third.sql", "INSERT INTO orders (id, note) VALUES (3, 'third');");

    assertThatThrownBy(() -> runner.migrate(migrations))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("V1__create_orders.sql was changed after it was applied");
    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders")).as("V3 did not run").isEqualTo(2);
    assertThat(history()).hasSize(2);
  }

  @Test
  void pendingNamesWhatWouldBeAppliedWithoutCreatingOrApplyingAnything() throws Exception {
    twoMigrations();
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);

    assertThat(runner.pending(migrations)).containsExactly("V1__create_orders.sql",
        "V2__add_paid.sql");
    assertThat(tableExists("updater_schema_history")).isFalse();
    assertThat(tableExists("orders")).isFalse();

    runner.migrate(migrations);
    file("V3__third.sql", "INSERT INTO orders (id, note) VALUES (3, 'third');");
    assertThat(runner.pending(migrations)).containsExactly("V3__third.sql");
    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders")).isEqualTo(2);
  }

  @Test
  void pendingRefusesAnEditedAppliedFileAndAReleaseMissingOne() throws Exception {
    twoMigrations();
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);
    runner.migrate(migrations);
    String v2 = Files.readString(migrations.resolve("V2__add_paid.sql"));
    file("V2__add_paid.sql", v2 + "\n-- an edit");

    assertThatThrownBy(() -> runner.pending(migrations))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("V2__add_paid.sql was changed after it was applied");

    Files.delete(migrations.resolve("V2__add_paid.sql"));
    assertThatThrownBy(() -> runner.pending(migrations))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("migration 2 (V2__add_paid.sql) is recorded as applied");
  }

  @Test
  void refusesTwoFilesWithOneVersionBeforeTouchingTheDatabase() throws Exception {
    file("V1__a.sql", "CREATE TABLE a (id INTEGER);");
    file("V1__b.sql", "CREATE TABLE b (id INTEGER);");

    assertThatThrownBy(() -> SqlMigrationRunner.create(db).migrate(migrations))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("two migration files have version 1")
        .hasMessageContaining("V1__a.sql").hasMessageContaining("V1__b.sql");
    assertThat(tableExists("updater_schema_history")).isFalse();
  }

  @Test
  void refusesAGapInTheNumbering() throws Exception {
    file("V1__a.sql", "CREATE TABLE a (id INTEGER);");
    file("V3__c.sql", "CREATE TABLE c (id INTEGER);");

    assertThatThrownBy(() -> SqlMigrationRunner.create(db).migrate(migrations))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("migration 2 is missing").hasMessageContaining("V3__c.sql");
    assertThat(tableExists("a")).isFalse();
  }

  @Test
  void refusesASqlFileThatIsNotNamedAsAVersion() throws Exception {
    file("create.sql", "CREATE TABLE a (id INTEGER);");

    assertThatThrownBy(() -> SqlMigrationRunner.create(db).migrate(migrations))
        .isInstanceOf(MigrationException.class).hasMessageContaining("create.sql is not named");
  }

  @Test
  void aFailureInStatementThreeOfFiveRollsTheWholeFileBack() throws Exception {
    file("V1__orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, note VARCHAR(40));\n"
        + "INSERT INTO orders VALUES (1, 'kept');");
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);
    runner.migrate(migrations);
    file("V2__broken.sql", "CREATE TABLE extra (id INTEGER);\n"
        + "INSERT INTO orders VALUES (2, 'added');\n"
        + "INSERT INTO orders VALUES (1, 'duplicate key');\n"
        + "DELETE FROM orders WHERE id = 1;\n"
        + "DROP TABLE extra;\n");

    assertThatThrownBy(() -> runner.migrate(migrations))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("V2__broken.sql failed in statement 3 of 5 (line 3)");

    assertThat(tableExists("extra")).as("DDL rolled back").isFalse();
    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders")).isEqualTo(1);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders WHERE note = 'kept'")).isEqualTo(1);
    assertThat(history()).containsExactly("1 orders V1__orders.sql");
  }

  @Test
  void aGuardedTableThatLosesRowsRollsTheFileBackInsideItsTransaction() throws Exception {
    file("V1__orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);\n"
        + "INSERT INTO orders VALUES (1);\nINSERT INTO orders VALUES (2);");
    SqlMigrationRunner runner = SqlMigrationRunner.builder(db).guardTables("orders").build();
    runner.migrate(migrations);
    file("V2__lossy.sql", "CREATE TABLE orders_new (id INTEGER PRIMARY KEY);\n"
        + "INSERT INTO orders_new SELECT id FROM orders WHERE id = 1;\n"
        + "DROP TABLE orders;\nALTER TABLE orders_new RENAME TO orders;");

    assertThatThrownBy(() -> runner.migrate(migrations))
        .isInstanceOf(DataLossException.class).hasMessageContaining("orders 2 -> 1");

    assertThat(queryLong(db, "SELECT COUNT(*) FROM orders")).isEqualTo(2);
    assertThat(tableExists("orders_new")).isFalse();
    assertThat(history()).hasSize(1);
  }

  @Test
  void semicolonsInsideStringsAndCommentsDoNotSplitAStatement() throws Exception {
    file("V1__notes.sql", "-- a comment; with a semicolon\n"
        + "CREATE TABLE notes (id INTEGER, body VARCHAR(100)); /* block; comment */\n"
        + "INSERT INTO notes VALUES (1, 'a;b -- not a comment');\n"
        + "INSERT INTO notes VALUES (2, 'it''s; fine');\n"
        + "-- trailing comment only");

    SqlMigrationRunner.create(db).migrate(migrations);

    assertThat(queryLong(db, "SELECT COUNT(*) FROM notes")).isEqualTo(2);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM notes WHERE body = 'a;b -- not a comment'"))
        .isEqualTo(1);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM notes WHERE body = 'it''s; fine'"))
        .isEqualTo(1);
  }

  @Test
  void aMissingDirectoryHasNothingToApply() throws Exception {
    assertThat(SqlMigrationRunner.create(db).migrate(dir.resolve("nowhere"))).isEmpty();
  }

  @Test
  void threeRunnersAtOnceApplyEachFileExactlyOnce() throws Exception {
    file("V1__log.sql", "CREATE TABLE applied (what VARCHAR(20));\n"
        + "INSERT INTO applied VALUES ('v1');");
    file("V2__log.sql", "INSERT INTO applied VALUES ('v2');");
    file("V3__log.sql", "INSERT INTO applied VALUES ('v3');");
    // The application's database exists before its nodes update: three SQLite connections racing
    // to create the file itself fail now and then, with SQLITE_READONLY_DBMOVED or
    // SQLITE_IOERR_DELETE_NOENT (a connection that finds the zero-page file deletes the journal
    // another is committing). Measured on a busy 2-core machine: 50 failures in 150 races from a
    // missing file, none in 300 from an existing one.
    Fixtures.execute(db, "CREATE TABLE app_data (id INTEGER)");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<String>>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        SqlMigrationRunner node = SqlMigrationRunner.create(db);
        Callable<List<String>> run = () -> {
          start.await();
          return node.migrate(migrations);
        };
        results.add(pool.submit(run));
      }
      start.countDown();
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : results) {
        all.addAll(f.get());
      }
      assertThat(all).containsExactlyInAnyOrder("V1__log.sql", "V2__log.sql", "V3__log.sql");
    } finally {
      pool.shutdownNow();
    }
    assertThat(queryLong(db, "SELECT COUNT(*) FROM applied")).isEqualTo(3);
    assertThat(history()).hasSize(3);
  }

  boolean tableExists(String name) throws Exception {
    try (Connection c = db.getConnection()) {
      return dev.updater.jdbc.internal.Tables.find(c, name).isPresent();
    }
  }

}
