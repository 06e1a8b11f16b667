package dev.updater.jdbc;

import dev.updater.jdbc.internal.Connections;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The kind of database an install runs on, by the lower-case name that release requirements use
 * ({@link dev.updater.core.Requirements#databaseProviders()}): {@code postgresql}, {@code sqlite},
 * {@code h2}, {@code mysql}, {@code mariadb}, or, for any other database, its JDBC product name in
 * lower case (such as {@code microsoft sql server}; {@code unknown} when the driver gives none).
 *
 * <pre>{@code
 * DatabaseProvider provider = DatabaseProvider.detect(dataSource);
 * if (!release.requirements().supportsDatabase(provider.name())) { ... }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the provider's name in lower case, not blank
 */
public record DatabaseProvider(String name) {
  /** PostgreSQL (and servers that present themselves as PostgreSQL). */
  public static final DatabaseProvider POSTGRESQL = new DatabaseProvider("postgresql");
  /** SQLite. */
  public static final DatabaseProvider SQLITE = new DatabaseProvider("sqlite");
  /** H2. */
  public static final DatabaseProvider H2 = new DatabaseProvider("h2");
  /** MySQL. */
  public static final DatabaseProvider MYSQL = new DatabaseProvider("mysql");
  /** MariaDB, whichever driver reaches it. */
  public static final DatabaseProvider MARIADB = new DatabaseProvider("mariadb");

  public DatabaseProvider {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || !name.equals(name.strip().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "a database provider name is lower case without surrounding blanks, was '" + name + "'");
    }
  }

  /** The provider named {@code name}, compared case-insensitively ({@code "PostgreSQL"} works). */
  public static DatabaseProvider of(String name) {
    Objects.requireNonNull(name, "name");
    return new DatabaseProvider(name.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * Asks the database behind {@code dataSource} what it is, from
   * {@link DatabaseMetaData#getDatabaseProductName()}. Opens and closes one connection.
   *
   * @throws DatabaseUnavailableException when no connection can be had or the driver cannot say
   */
  public static DatabaseProvider detect(DataSource dataSource) throws DatabaseUnavailableException {
    Objects.requireNonNull(dataSource, "dataSource");
    try (Connection connection = Connections.open(dataSource, "detect the database provider")) {
      DatabaseMetaData metaData = connection.getMetaData();
      return fromProduct(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion());
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("cannot read which database this is: "
          + Connections.describe(e), e);
    }
  }

  /** Maps a JDBC product name and version to a provider. */
  static DatabaseProvider fromProduct(String productName, String productVersion) {
    String product = productName == null ? "" : productName.strip().toLowerCase(Locale.ROOT);
    String version = productVersion == null ? "" : productVersion.toLowerCase(Locale.ROOT);
    if (product.isEmpty()) {
      return new DatabaseProvider("unknown");
    }
    if (product.contains("mariadb") || (product.equals("mysql") && version.contains("mariadb"))) {
      return MARIADB;
    }
    if (product.equals("postgresql")) {
      return POSTGRESQL;
    }
    if (product.equals("sqlite")) {
      return SQLITE;
    }
    if (product.equals("h2")) {
      return H2;
    }
    if (product.equals("mysql")) {
      return MYSQL;
    }
    return new DatabaseProvider(product);
  }

  @Override
  public String toString() {
    return name;
  }
}
