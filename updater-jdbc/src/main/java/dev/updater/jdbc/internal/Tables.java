package dev.updater.jdbc.internal;

import dev.updater.jdbc.UnknownTableException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds configured table names in the database's metadata and quotes the names the metadata gives,
 * so no SQL is ever built from configured text. Not API.
 *
 * <p>A name is {@code table} (looked up in the connection's current schema, or in every schema when
 * the driver has none, as SQLite) or {@code schema.table}. An exact match wins; otherwise a single
 * case-insensitive match is taken (PostgreSQL folds unquoted names to lower case, H2 to upper
 * case); several case-insensitive matches are ambiguous and refused.
 *
 * <p>Stateless and thread-safe.
 */
public final class Tables {
  private static final String[] TYPES = {"TABLE", "PARTITIONED TABLE", "VIEW"};
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final int LISTED = 20;

  private Tables() {}

  /**
   * A table the metadata lists.
   *
   * @param schema its schema, when the database has schemas
   * @param name its name exactly as the metadata spells it
   * @param sql its schema-qualified, quoted name, safe to put in a statement
   */
  public record Table(Optional<String> schema, String name, String sql) {}

  private record Candidate(String schema, String name) {}

  /**
   * The table {@code configured} names.
   *
   * @throws UnknownTableException when the metadata lists no such table, or several that differ
   *     only in case
   */
  public static Table resolve(Connection connection, String configured) throws SQLException {
    return find(connection, configured).orElseThrow(() -> unknown(connection, configured));
  }

  /** The table {@code configured} names, or empty when the metadata does not list it. */
  public static Optional<Table> find(Connection connection, String configured)
      throws SQLException {
    Objects.requireNonNull(configured, "configured");
    DatabaseMetaData metaData = connection.getMetaData();
    int dot = configured.indexOf('.');
    boolean qualified = dot > 0 && dot == configured.lastIndexOf('.');
    String wantedSchema = qualified ? configured.substring(0, dot) : null;
    String wantedName = qualified ? configured.substring(dot + 1) : configured;
    List<Candidate> inSchema = candidates(connection, metaData, wantedSchema);
    List<Candidate> matches = inSchema.stream().filter(c -> c.name.equals(wantedName)).toList();
    if (matches.isEmpty()) {
      matches = inSchema.stream().filter(c -> c.name.equalsIgnoreCase(wantedName)).toList();
    }
    if (matches.isEmpty()) {
      return Optional.empty();
    }
    if (matches.size() > 1) {
      throw new UnknownTableException(configured, "'" + configured + "' is ambiguous: the database"
          + " lists " + matches.stream().map(Tables::display).collect(Collectors.joining(", "))
          + "; name the table exactly as the database spells it, with its schema");
    }
    Candidate c = matches.get(0);
    String quote = quoteString(metaData);
    String sql = (c.schema == null ? "" : quote(c.schema, quote) + ".") + quote(c.name, quote);
    return Optional.of(new Table(Optional.ofNullable(c.schema), c.name, sql));
  }

  private static List<Candidate> candidates(Connection connection, DatabaseMetaData metaData,
      String wantedSchema) throws SQLException {
    String current = wantedSchema == null ? currentSchema(connection) : null;
    List<Candidate> found = new ArrayList<>();
    try (ResultSet rs = metaData.getTables(connection.getCatalog(), null, "%", TYPES)) {
      while (rs.next()) {
        String schema = rs.getString("TABLE_SCHEM");
        String name = rs.getString("TABLE_NAME");
        boolean schemaMatches = wantedSchema != null
            ? schema != null && schema.equalsIgnoreCase(wantedSchema)
            : current == null || schema == null || schema.equals(current);
        if (name != null && schemaMatches) {
          found.add(new Candidate(schema, name));
        }
      }
    }
    return found;
  }

  private static String currentSchema(Connection connection) {
    try {
      return connection.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      return null; // a driver without schemas, or from before JDBC 4.1
    }
  }

  private static String quoteString(DatabaseMetaData metaData) throws SQLException {
    String quote = metaData.getIdentifierQuoteString();
    return quote == null ? " " : quote;
  }

  private static String quote(String identifier, String quote) throws SQLException {
    if (quote.isBlank()) {
      if (!PLAIN.matcher(identifier).matches()) {
        throw new SQLException("the database does not quote identifiers and '" + identifier
            + "' is not a plain name");
      }
      return identifier;
    }
    return quote + identifier.replace(quote, quote + quote) + quote;
  }

  private static UnknownTableException unknown(Connection connection, String configured) {
    String known;
    try {
      TreeSet<String> names = new TreeSet<>();
      int dot = configured.indexOf('.');
      String schema = dot > 0 ? configured.substring(0, dot) : null;
      for (Candidate c : candidates(connection, connection.getMetaData(), schema)) {
        names.add(display(c));
      }
      known = names.isEmpty() ? "no tables"
          : names.stream().limit(LISTED).collect(Collectors.joining(", "))
              + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : "");
    } catch (SQLException e) {
      known = "(the list could not be read: " + Connections.describe(e) + ")";
    }
    String where = Optional.ofNullable(currentSchema(connection)).map(s -> " in schema " + s)
        .orElse("");
    return new UnknownTableException(configured, "the database has no table '" + configured + "'"
        + (configured.indexOf('.') > 0 ? "" : where) + "; it lists " + known);
  }

  private static String display(Candidate c) {
    return c.schema == null ? c.name : c.schema + "." + c.name;
  }
}
