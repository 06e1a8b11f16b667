package dev.updater.jdbc.internal;

import dev.updater.jdbc.MigrationException;
import dev.updater.jdbc.internal.MigrationFiles.Migration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history table of the SQL migration runner: one row per applied file ({@code version,
 * description, script, checksum, applied_at, success}), and the check of a release's files
 * against it. Not API.
 *
 * <p>Every statement runs on the connection the caller gives, inside the caller's transaction.
 * The table name is a plain identifier checked by the runner's builder. Immutable and thread-safe.
 */
public final class MigrationHistory {

  private final String table;

  /** A file the history records as applied: its SHA-256 and its file name. */
  public record Applied(String checksum, String script) {}

  public MigrationHistory(String table) {
    this.table = table;
  }

  /** Creates the table unless it exists. */
  public void create(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (version INTEGER NOT NULL PRIMARY KEY,"
          + " description VARCHAR(200) NOT NULL, script VARCHAR(255) NOT NULL,"
          + " checksum CHAR(64) NOT NULL, applied_at TIMESTAMP NOT NULL,"
          + " success BOOLEAN NOT NULL)");
    }
  }

  /** Whether the table exists. */
  public boolean exists(Connection connection) throws SQLException {
    return Tables.find(connection, table).isPresent();
  }

  /** The applied files by version, in version order. */
  public Map<Integer, Applied> read(Connection connection) throws SQLException {
    Map<Integer, Applied> rows = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, checksum, script FROM " + table
            + " WHERE success ORDER BY version")) {
      while (rs.next()) {
        rows.put(rs.getInt(1), new Applied(rs.getString(2), rs.getString(3)));
      }
    }
    return rows;
  }

  /** The checksum recorded for {@code version}, when it is applied. */
  public Optional<String> recordedChecksum(Connection connection, int version)
      throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT checksum FROM " + table + " WHERE version = ? AND success")) {
      s.setInt(1, version);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Records {@code m} as applied now. */
  public void record(Connection connection, Migration m) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
        + " (version, description, script, checksum, applied_at, success)"
        + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, ?)")) {
      insert.setInt(1, m.version());
      insert.setString(2, m.description());
      insert.setString(3, m.script());
      insert.setString(4, m.checksum());
      insert.setBoolean(5, true);
      insert.executeUpdate();
    }
  }

  /**
   * Refuses {@code files} when the history records a file they do not have, or one whose checksum
   * differs (an edited file).
   */
  public void verify(List<Migration> files, Map<Integer, Applied> history, Path migrations)
      throws MigrationException {
    Map<Integer, Migration> byVersion = new LinkedHashMap<>();
    files.forEach(m -> byVersion.put(m.version(), m));
    for (Map.Entry<Integer, Applied> row : history.entrySet()) {
      Migration file = byVersion.get(row.getKey());
      if (file == null) {
        throw new MigrationException("migration " + row.getKey() + " (" + row.getValue().script()
            + ") is recorded as applied in " + table + " but " + migrations + " does not have it;"
            + " a release must ship every migration applied so far (is it an older release?)");
      }
      if (!file.checksum().equals(row.getValue().checksum())) {
        throw edited(file.script());
      }
    }
  }

  /** The refusal of a file changed after it was applied. */
  public MigrationException edited(String script) {
    return new MigrationException("the migration file " + script + " was changed after it was"
        + " applied (its SHA-256 differs from the one recorded in " + table + "); applied"
        + " migrations must never be edited: put the change in a new file with the next number"
        + " and restore " + script + " as it was");
  }

  /** The advisory lock key: fixed per history table, so runners on one table exclude each other. */
  public long lockKey() {
    long h = 1125899906842597L;
    for (char c : ("dev.updater.migrations:" + table).toCharArray()) {
      h = 31 * h + c;
    }
    return h;
  }
}
