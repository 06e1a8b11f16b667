package dev.updater.jdbc;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.Requirements;
import dev.updater.core.Version;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.ReleaseArchives;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/** Databases, releases and SQL shortcuts shared by this module's tests. */
final class Fixtures {
  private Fixtures() {}

  /** A SQLite database in {@code file}, created on first connection. */
  static DataSource sqlite(Path file) {
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return dataSource;
  }

  /** A PostgreSQL data source pointing at a port where nothing listens. */
  static DataSource unreachablePostgres() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {"127.0.0.1"});
    dataSource.setPortNumbers(new int[] {1});
    dataSource.setDatabaseName("app");
    dataSource.setUser("app");
    dataSource.setConnectTimeout(2);
    return dataSource;
  }

  /** The archive of a release whose only file is {@code VERSION}. */
  static byte[] archive(String version) {
    return ReleaseArchives.tarGz(Map.of("VERSION", version));
  }

  /** Publishes {@code version} on {@code stable}, supporting only {@code providers}. */
  static Release publishRequiring(InMemoryReleaseSource source, Version version,
      String... providers) throws Exception {
    byte[] bytes = archive(version.toString());
    String name = "app-" + version + ".tar.gz";
    Artifact artifact = new Artifact(name, bytes.length,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
        "releases/" + version + "/" + name);
    Release release = new Release(version, "stable", List.of(artifact),
        new Requirements(Set.of(providers), Optional.empty()), "", Optional.empty());
    source.add(release, Map.of(name, bytes));
    return release;
  }

  /** Runs each statement in its own auto-committed execution. */
  static void execute(DataSource dataSource, String... sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  /** The single number {@code sql} answers. */
  static long queryLong(DataSource dataSource, String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Creates {@code table(id integer primary key, note varchar)} with {@code rows} rows. */
  static void tableWithRows(DataSource dataSource, String table, int rows) throws SQLException {
    execute(dataSource, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, note VARCHAR(40))");
    try (Connection c = dataSource.getConnection();
        var insert = c.prepareStatement("INSERT INTO " + table + " (id, note) VALUES (?, ?)")) {
      for (int i = 1; i <= rows; i++) {
        insert.setInt(1, i);
        insert.setString(2, "row " + i);
        insert.executeUpdate();
      }
    }
  }
}
