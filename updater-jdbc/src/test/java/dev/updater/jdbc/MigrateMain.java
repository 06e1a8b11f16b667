package dev.updater.jdbc;

import java.nio.file.Path;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A child JVM for {@link ClusterEndToEndPostgresTest}: applies the SQL migrations in a directory
 * to a PostgreSQL database, as a node's updater does, so that the test can kill it mid-migration.
 * Arguments: the JDBC URL, the user, the migrations directory.
 */
public final class MigrateMain {
  private MigrateMain() {}

  /** Runs the migrations and prints what was applied. */
  public static void main(String[] args) throws Exception {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(args[0]);
    dataSource.setUser(args[1]);
    SqlMigrationRunner runner = SqlMigrationRunner.create(dataSource);
    System.out.println("applied " + runner.migrate(Path.of(args[2])));
  }
}
