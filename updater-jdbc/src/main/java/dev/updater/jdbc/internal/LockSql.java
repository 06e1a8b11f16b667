package dev.updater.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * The statements of the lock table for one database. Every time is the database's own, in epoch
 * milliseconds, computed inside the statement that uses it, so the clocks of the nodes never
 * matter. Not API.
 *
 * <p>Table: {@code name} (primary key), {@code owner} (null when free), {@code token} (never reset),
 * {@code acquired_at} and {@code expires_at} (null when free).
 *
 * <p>Immutable and thread-safe.
 */
public final class LockSql {
  /** PostgreSQL: statement_timestamp() is fixed for the statement, so both columns agree. */
  private static final String POSTGRES_NOW =
      "CAST(FLOOR(EXTRACT(EPOCH FROM statement_timestamp()) * 1000) AS BIGINT)";
  /** SQLite: 'now' is fixed for one statement; %f is SS.SSS. */
  private static final String SQLITE_NOW = "(CAST(strftime('%s', 'now') AS INTEGER) * 1000"
      + " + CAST(substr(strftime('%f', 'now'), 4, 3) AS INTEGER))";

  private final boolean postgres;
  private final String table;
  private final String now;

  private LockSql(boolean postgres, String table, String now) {
    this.postgres = postgres;
    this.table = table;
    this.now = now;
  }

  /**
   * The statements for {@code provider} (a {@link dev.updater.jdbc.DatabaseProvider} name) on
   * {@code table}, a name already checked to be a plain identifier.
   *
   * @throws SQLFeatureNotSupportedException for a database other than PostgreSQL and SQLite
   */
  public static LockSql forProvider(String provider, String table)
      throws SQLFeatureNotSupportedException {
    switch (provider) {
      case "postgresql":
        return new LockSql(true, table, POSTGRES_NOW);
      case "sqlite":
        return new LockSql(false, table, SQLITE_NOW);
      default:
        throw new SQLFeatureNotSupportedException("JdbcLockStore supports PostgreSQL and SQLite;"
            + " this database is " + provider + ". Use FileLockStore on a shared volume, or a"
            + " LockStore of your own");
    }
  }

  /** Creates the table when it is missing. */
  public String create() {
    return "CREATE TABLE IF NOT EXISTS " + table + " ("
        + "name VARCHAR(128) NOT NULL PRIMARY KEY, "
        + "owner VARCHAR(512), "
        + "token BIGINT NOT NULL, "
        + "acquired_at BIGINT, "
        + "expires_at BIGINT)";
  }

  /** Checks that the table is there: selects nothing from it. */
  public String probe() {
    return "SELECT name FROM " + table + " WHERE 1 = 0";
  }

  /** Adds the free row of lock {@code ?1} with token 0 unless it exists. */
  public String seed() {
    return postgres
        ? "INSERT INTO " + table + " (name, token) VALUES (?, 0) ON CONFLICT (name) DO NOTHING"
        : "INSERT OR IGNORE INTO " + table + " (name, token) VALUES (?, 0)";
  }

  /**
   * Takes lock {@code ?3} for owner {@code ?1} for {@code ?2} milliseconds when it is free or
   * expired, raising the token: one conditional statement, so a racing acquisition waits for the
   * row and then finds it taken.
   */
  public String acquire() {
    return "UPDATE " + table + " SET owner = ?, token = token + 1, acquired_at = " + now
        + ", expires_at = " + now + " + ? WHERE name = ? AND (owner IS NULL OR expires_at <= "
        + now + ")";
  }

  /** Sets the expiry of lock {@code ?2} to {@code ?1} ms from now, if token {@code ?3} and owner
   * {@code ?4} still hold it. */
  public String renew() {
    return "UPDATE " + table + " SET expires_at = " + now + " + ? WHERE name = ? AND token = ?"
        + " AND owner = ?";
  }

  /** Frees lock {@code ?1} if token {@code ?2} and owner {@code ?3} still hold it; keeps the token. */
  public String release() {
    return "UPDATE " + table + " SET owner = NULL, acquired_at = NULL, expires_at = NULL"
        + " WHERE name = ? AND token = ? AND owner = ?";
  }

  /** Reads lock {@code ?1}: owner, token, acquired_at, expires_at and the database's now. */
  public String read() {
    return "SELECT owner, token, acquired_at, expires_at, " + now + " FROM " + table
        + " WHERE name = ?";
  }

  /**
   * Runs {@code work} at READ COMMITTED on PostgreSQL, where a conditional UPDATE that waited for
   * a row re-checks its condition on the row's new version (at REPEATABLE READ or SERIALIZABLE it
   * would fail with a serialization error instead); SQLite serializes writers anyway.
   */
  public <T> T readCommitted(Connection connection, Connections.Work<T> work) throws SQLException {
    if (!postgres) {
      return work.run(connection);
    }
    int level = connection.getTransactionIsolation();
    if (level != Connection.TRANSACTION_READ_COMMITTED) {
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    try {
      return work.run(connection);
    } finally {
      if (level != Connection.TRANSACTION_READ_COMMITTED) {
        connection.setTransactionIsolation(level);
      }
    }
  }
}
