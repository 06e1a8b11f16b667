package dev.updater.jdbc;

import java.sql.SQLException;

/**
 * Thrown when a table named in the configuration (of a {@link RowCountGuard}) is not one the
 * database lists in its metadata. Raised when the guard takes its snapshot, before anything is
 * activated, so a typo never lets a migration run unguarded. SQL state {@code 42S02} (base table
 * not found).
 *
 * <pre>{@code
 * try {
 *   guard.counts();
 * } catch (UnknownTableException e) {
 *   log.error("fix the guard's configuration: {}", e.getMessage());
 * }
 * }</pre>
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class UnknownTableException extends SQLException {
  private static final long serialVersionUID = 1L;

  private final String table;

  /** An exception for the configured name {@code table}, with a message saying what exists. */
  public UnknownTableException(String table, String message) {
    super(message, "42S02");
    this.table = table;
  }

  /** The table name as configured. */
  public String table() {
    return table;
  }
}
