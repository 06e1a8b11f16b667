package dev.updater.jdbc;

import java.io.IOException;

/**
 * Thrown when the database cannot be reached: the {@link javax.sql.DataSource} refused a
 * connection (wrong URL or credentials, server down, file not readable).
 *
 * <p>An {@link IOException}, so the pipeline reports it as a failure of the step that needed the
 * database ({@code CHECK} for the compatibility gate, {@code BACKUP} for a guard's snapshot)
 * before anything is downloaded or activated. The cause is the driver's {@link
 * java.sql.SQLException}.
 *
 * <pre>{@code
 * try {
 *   DatabaseProvider provider = DatabaseProvider.detect(dataSource);
 * } catch (DatabaseUnavailableException e) {
 *   log.error("database down: {}", e.getMessage());
 * }
 * }</pre>
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class DatabaseUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception saying what could not be reached, caused by {@code cause}. */
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
