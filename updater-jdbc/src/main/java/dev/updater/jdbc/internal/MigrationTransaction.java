package dev.updater.jdbc.internal;

import dev.updater.core.spi.DataLossException;
import dev.updater.jdbc.MigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One transaction of the SQL migration runner that first takes the migration lock, so runners on
 * several nodes sharing a database never both apply a file: {@code pg_advisory_xact_lock} on
 * PostgreSQL, {@code BEGIN IMMEDIATE} on SQLite. Not API. Stateless and thread-safe.
 */
public final class MigrationTransaction {

  private MigrationTransaction() {}

  /** Work done inside the transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SQLException, MigrationException, DataLossException;
  }

  /**
   * Runs {@code work} in one transaction that first takes the lock {@code lockKey}: commits when it
   * returns, rolls back when it throws.
   */
  public static <T> T locked(Connection connection, boolean postgres, long lockKey, Work<T> work)
      throws SQLException, MigrationException, DataLossException {
    if (postgres) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement lock = connection.prepareStatement(
            "SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, lockKey);
          lock.execute();
        }
        T result = work.run();
        connection.commit();
        return result;
      } catch (SQLException | MigrationException | DataLossException | RuntimeException e) {
        rollback(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
    // SQLite: BEGIN IMMEDIATE takes the write lock at once (waiting up to the busy timeout), so two
    // runners never both read "not applied"; the driver stays in auto-commit and passes it through.
    if (!connection.getAutoCommit()) {
      connection.setAutoCommit(true);
    }
    try (Statement s = connection.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run();
        s.execute("COMMIT");
        return result;
      } catch (SQLException | MigrationException | DataLossException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    }
  }

  private static void rollback(Connection connection, Exception e) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      e.addSuppressed(rollbackFailure);
    }
  }
}
