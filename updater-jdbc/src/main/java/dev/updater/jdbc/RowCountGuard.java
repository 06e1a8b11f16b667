package dev.updater.jdbc;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.DataLossException;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.jdbc.internal.Connections;
import dev.updater.jdbc.internal.Tables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts an update whose migration made rows disappear: if any count drops, the update aborts and
 * {@code current} is switched back to the previous release. Before activation it counts the rows of
 * the configured tables (and runs the configured count queries); after the migration it counts
 * again and throws {@link DataLossException} listing every count that dropped, with before and
 * after, which the pipeline reports as {@link dev.updater.core.UpdateException.Reason#DATA_LOSS}
 * after switching back to the previous release. Counts that grow or stay are fine.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .migrationRunner(runner)
 *     .guard(RowCountGuard.tables(dataSource, "orders", "samples", "studies", "users"))
 *     .build();
 *
 * RowCountGuard withQuery = RowCountGuard.builder(dataSource)
 *     .table("orders")
 *     .query("paid orders", "SELECT COUNT(*) FROM orders WHERE paid")
 *     .build();
 * }</pre>
 *
 * <p>Table names are looked up in the database's metadata ({@code table} in the current schema, or
 * {@code schema.table}; case-insensitively when the spelling differs only in case) and only the
 * names the metadata returns are quoted into {@code SELECT COUNT(*)}: configured text never
 * becomes SQL. A name the database does not list fails the snapshot with
 * {@link UnknownTableException}, before anything is activated. A guarded table that is gone after
 * the migration counts as empty. Count queries are SQL written by the host, run as given; they must
 * answer one number.
 *
 * <p>The application may be writing while the update runs; a count that drops because users deleted
 * rows in the meantime also aborts the update. Guard tables that only grow, or stop writes first.
 *
 * <p>Immutable and thread-safe.
 */
public final class RowCountGuard implements MigrationGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RowCountGuard.class);

  private final DataSource dataSource;
  private final List<String> tables;
  private final Map<String, String> queries;

  private RowCountGuard(Builder builder) {
    this.dataSource = builder.dataSource;
    this.tables = List.copyOf(builder.tables);
    this.queries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.queries));
  }

  /** A guard on the row counts of {@code tables}; at least one. */
  public static RowCountGuard tables(DataSource dataSource, String... tables) {
    return builder(dataSource).table(tables).build();
  }

  /** A builder for a guard on tables and count queries of the database behind {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Counts now, by table name and query name as configured, in the configured order.
   *
   * @throws UnknownTableException when a configured table is not in the database
   * @throws DatabaseUnavailableException when the database cannot be reached
   * @throws SQLException when a count fails
   */
  public Map<String, Long> counts() throws DatabaseUnavailableException, SQLException {
    return measure(true);
  }

  @Override
  public Check snapshot(UpdateContext context) throws DatabaseUnavailableException, SQLException {
    Objects.requireNonNull(context, "context");
    Map<String, Long> before = measure(true);
    LOG.info("Row counts before migrating to {}: {}", context.to(), before);
    return () -> verify(before, context);
  }

  private void verify(Map<String, Long> before, UpdateContext context)
      throws DatabaseUnavailableException, SQLException, DataLossException {
    Map<String, Long> after = measure(false);
    List<DataLossException.Loss> losses = new ArrayList<>();
    before.forEach((what, count) -> {
      long now = after.get(what);
      if (now < count) {
        losses.add(new DataLossException.Loss(what, count, now));
      }
    });
    if (!losses.isEmpty()) {
      LOG.warn("Migration to {} lost rows: {}", context.to(), losses);
      throw new DataLossException(losses);
    }
    LOG.info("Row counts after migrating to {}: {}", context.to(), after);
  }

  /** Counts every table and query; {@code strict}: a missing table throws, else counts as 0. */
  private Map<String, Long> measure(boolean strict)
      throws DatabaseUnavailableException, SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection connection = Connections.open(dataSource, "count guarded rows");
        Statement statement = connection.createStatement()) {
      for (String table : tables) {
        Optional<Tables.Table> found = strict
            ? Optional.of(Tables.resolve(connection, table)) : Tables.find(connection, table);
        if (found.isEmpty()) {
          LOG.warn("Guarded table {} is gone after the migration; counting it as empty", table);
          counts.put(table, 0L);
        } else {
          counts.put(table, count(statement, "SELECT COUNT(*) FROM " + found.get().sql(), table));
        }
      }
      for (Map.Entry<String, String> query : queries.entrySet()) {
        counts.put(query.getKey(), count(statement, query.getValue(), query.getKey()));
      }
    }
    return counts;
  }

  private static long count(Statement statement, String sql, String what) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("the count of '" + what + "' returned no row");
      }
      return rs.getLong(1);
    }
  }

  @Override
  public String toString() {
    List<String> all = new ArrayList<>(tables);
    all.addAll(queries.keySet());
    return "RowCountGuard" + all;
  }

  /** Collects the tables and queries of a {@link RowCountGuard}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final List<String> tables = new ArrayList<>();
    private final Map<String, String> queries = new LinkedHashMap<>();

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /** Guards the row count of each of {@code tables}, as {@code table} or {@code schema.table}. */
    public Builder table(String... tables) {
      Objects.requireNonNull(tables, "tables");
      for (String table : tables) {
        add(Objects.requireNonNull(table, "table"));
        this.tables.add(table);
      }
      return this;
    }

    /**
     * Guards the number {@code countSql} answers (its first column of its first row), reported as
     * {@code name}. The SQL is the host's own, run as given; never build it from input.
     */
    public Builder query(String name, String countSql) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(countSql, "countSql");
      if (countSql.isBlank()) {
        throw new IllegalArgumentException("the count query '" + name + "' is blank");
      }
      add(name);
      queries.put(name, countSql);
      return this;
    }

    private void add(String name) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("a guarded table or query name must not be blank");
      }
      if (tables.contains(name) || queries.containsKey(name)) {
        throw new IllegalArgumentException("'" + name + "' is guarded twice");
      }
    }

    /**
     * Builds the guard. Does no I/O: names are checked against the database at each snapshot.
     *
     * @throws IllegalStateException when nothing is guarded
     */
    public RowCountGuard build() {
      if (tables.isEmpty() && queries.isEmpty()) {
        throw new IllegalStateException(
            "RowCountGuard.builder() guards nothing; add table(...) or query(name, sql)");
      }
      return new RowCountGuard(this);
    }
  }
}
