package dev.updater.examples.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The example application's SQLite database, {@code <home>/shared/data/app.db}: shared by every
 * release (the activator links {@code shared/data} into each), brought forward by the migrations
 * each release ships. Thread-safe.
 */
public final class AppDatabase {
  private final Path file;
  private final DataSource dataSource;

  private AppDatabase(Path file, DataSource dataSource) {
    this.file = file;
    this.dataSource = dataSource;
  }

  /**
   * The database of the install at {@code home}; creates {@code shared/data} when missing (the
   * file itself is created by the first connection).
   */
  public static AppDatabase open(Path home) throws IOException {
    Path file = Files.createDirectories(home.resolve("shared").resolve("data")).resolve("app.db");
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file);
    return new AppDatabase(file, ds);
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** A data source on the database; each connection is a new SQLite connection. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Every order, oldest first, with all the columns the schema has now. */
  List<Map<String, Object>> orders() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM orders ORDER BY id")) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** Adds an order and returns its id. */
  long addOrder(String customer, String item) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "INSERT INTO orders (customer, item) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, customer);
      s.setString(2, item);
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        return keys.next() ? keys.getLong(1) : -1;
      }
    }
  }

  /** Runs {@code sql} and returns the first column of its first row. */
  Object queryOne(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("no row from " + sql);
      }
      return rs.getObject(1);
    }
  }
}
