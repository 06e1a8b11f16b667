package dev.updater.jdbc.internal;

import dev.updater.jdbc.DatabaseUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Opens connections and runs transactions with the failures this module reports. Stateless and
 * thread-safe. Not API. */
public final class Connections {
  private Connections() {}

  /** Work on a connection that may throw {@link SQLException}. */
  @FunctionalInterface
  public interface Work<T> {
    /** Does the work on {@code connection}. */
    T run(Connection connection) throws SQLException;
  }

  /**
   * Opens a connection from {@code dataSource}.
   *
   * @param purpose what the connection is for, as in "detect the database provider"
   * @throws DatabaseUnavailableException when the data source refuses
   */
  public static Connection open(DataSource dataSource, String purpose)
      throws DatabaseUnavailableException {
    try {
      Connection connection = dataSource.getConnection();
      if (connection == null) {
        throw new SQLException("the DataSource returned no connection");
      }
      return connection;
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("cannot connect to the database to " + purpose + ": "
          + describe(e) + "; check that the database is running and the DataSource's URL and"
          + " credentials", e);
    }
  }

  /**
   * Runs {@code work} in one transaction on {@code connection}: commits when it returns, rolls back
   * when it throws, and restores the connection's auto-commit mode either way.
   */
  public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** The driver's message with its SQL state, or the exception's class when it has no message. */
  public static String describe(SQLException e) {
    String message = e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName() : e.getMessage();
    return e.getSQLState() == null ? message : message + " (SQL state " + e.getSQLState() + ")";
  }
}
