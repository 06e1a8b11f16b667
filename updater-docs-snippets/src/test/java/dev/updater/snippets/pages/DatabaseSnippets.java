package dev.updater.snippets.pages;

import dev.updater.core.CheckReport;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.jdbc.BackupStep;
import dev.updater.jdbc.CommandMigrationRunner;
import dev.updater.jdbc.DatabaseCompatibilityGate;
import dev.updater.jdbc.DatabaseProvider;
import dev.updater.jdbc.FleetHaltGate;
import dev.updater.jdbc.FleetStatus;
import dev.updater.jdbc.JdbcLockStore;
import dev.updater.jdbc.RowCountGuard;
import dev.updater.jdbc.SqlMigrationRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;

/** The Java blocks of docs/database.md. */
final class DatabaseSnippets {
  DataSource dataSource;
  Updater updater;
  Release release;

  void the_database_compatibility_row(DataSource db) throws Exception {
    // tag::full-wiring[]
    // db: the application's own DataSource (its connection pool)
    Updater updater = Updater.builder()
        .home(Path.of("/opt/myapp"))
        .source(DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp")))
        .gate(DatabaseCompatibilityGate.of(db))
        .guard(BackupStep.builder(Layout.of(Path.of("/opt/myapp")))      // first: the backup
            .dumpCommand("sh", "-c", "pg_dump -Fc -f \"$UPDATER_BACKUP_DIR/db.dump\" \"$DATABASE_URL\"")
            .restoreCommand("sh", "-c", "pg_restore --clean --if-exists --single-transaction"
                + " -d \"$DATABASE_URL\" \"$UPDATER_BACKUP_DIR/db.dump\"")
            .build())
        .guard(RowCountGuard.tables(db, "orders", "samples", "studies", "users"))
        .lockStore(JdbcLockStore.create(db))
        .owner("node-" + System.getenv("NODE_ID"))
        .migrationRunner(SqlMigrationRunner.create(db))
        .build();
    // end::full-wiring[]
  }

  void provider_detection() throws Exception {
    // tag::provider-detection[]
    DatabaseProvider provider = DatabaseProvider.detect(dataSource);   // opens one connection
    provider.name();                                                   // "postgresql"
    // end::provider-detection[]
  }

  void the_compatibility_gate() throws Exception {
    Updater.builder()
        // tag::the-compatibility-gate[]
        .gate(DatabaseCompatibilityGate.of(dataSource))     // detects the provider at each check
        .gate(DatabaseCompatibilityGate.of("sqlite"))       // or states it
        // end::the-compatibility-gate[]
        .build();
  }

  ResponseEntity<String> the_compatibility_gate_2() throws Exception {
    // tag::gate-conflict-answer[]
    try {
      updater.install(release);
    } catch (UpdateException e) {
      return ResponseEntity.status(e.reason().isConflict() ? 409 : 500).body(e.getMessage());
    }
    // end::gate-conflict-answer[]
    return ResponseEntity.ok("installed");
  }

  void the_compatibility_gate_3() throws Exception {
    // tag::gate-check-report[]
    CheckReport r = updater.report(false);
    String provider = r.facts().get("database");          // "sqlite"
    boolean compatible = r.compatible();                  // false for a PostgreSQL-only release
    Optional<String> why = r.incompatibility();           // the gate's message
    // end::gate-check-report[]
  }

  void the_row_count_guard() throws Exception {
    Updater.builder()
        // tag::the-row-count-guard[]
        .guard(RowCountGuard.tables(dataSource, "orders", "samples", "studies", "users"))

        .guard(RowCountGuard.builder(dataSource)
            .table("orders", "audit.events")                                   // schema.table works too
            .query("paid orders", "SELECT COUNT(*) FROM orders WHERE paid")    // your own SQL, run as is
            .build())
        // end::the-row-count-guard[]
        .build();
  }

  void the_jdbc_lock() throws Exception {
    Updater.builder()
        // tag::the-jdbc-lock[]
        .lockStore(JdbcLockStore.create(dataSource))              // table updater_lock, lock "update"
        .lockStore(JdbcLockStore.builder(dataSource)
            .table("myapp_update_lock")                           // a plain identifier, used unquoted
            .lockName("myapp")                                    // several apps can share one table
            .build())
        // end::the-jdbc-lock[]
        .build();
  }

  void sql_migrations_sqlmigrationrunner(DataSource db) throws Exception {
    // tag::sql-migrations[]
    Updater.builder()
        // ...
        .migrationRunner(SqlMigrationRunner.create(db))               // migrations/ in the release
        .guard(RowCountGuard.tables(db, "orders", "users"))
        .build();

    SqlMigrationRunner.builder(db)
        .directory("db/migrations")       // relative to the release; default "migrations"
        .table("myapp_schema_history")    // default "updater_schema_history"
        .guardTables("orders", "users")   // count inside each file's transaction (see below)
        .build();
    // end::sql-migrations[]
  }

  void sql_migrations_sqlmigrationrunner_2(DataSource db) throws Exception {
    // tag::sql-preflight[]
    SqlMigrationRunner runner = SqlMigrationRunner.create(db);
    Updater.builder()
        // ...
        .migrationRunner(runner)
        .guard(runner.preflight())     // checks the staged release's files against the history
        .build();

    List<String> toApply = runner.pending(Path.of("/opt/myapp/current/migrations"));  // read only
    // end::sql-preflight[]
  }

  void a_release_s_own(String url) throws Exception {
    // tag::command-migrations[]
    Updater.builder()
        // ...
        .migrationRunner(CommandMigrationRunner.of("npx", "prisma", "migrate", "deploy"))
        .build();

    CommandMigrationRunner.builder("./bin/migrate")
        .directory("backend")                 // relative to the release; default the release itself
        .timeout(Duration.ofMinutes(30))      // default 10 minutes
        .environment("DATABASE_URL", url)
        .build();
    // end::command-migrations[]
  }

  void the_fleet_table_fleetstatus(DataSource db, String nodeId, Version myVersion)
      throws Exception {
    // tag::fleet[]
    FleetStatus fleet = FleetStatus.create(db, nodeId);
    Updater updater = Updater.builder()
        // ...
        .listener(fleet.listener())
        .gate(FleetHaltGate.of(fleet, 2, 5))        // halt after 2 failures among the first 5 tries
        .runningVersion(myVersion)
        .build();
    fleet.recordCheck(updater.status());            // at start-up and after each check
    // end::fleet[]
  }
}
