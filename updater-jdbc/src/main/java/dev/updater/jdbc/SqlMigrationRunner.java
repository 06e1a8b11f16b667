package dev.updater.jdbc;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.DataLossException;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.core.spi.MigrationRunner;
import dev.updater.jdbc.internal.Connections;
import dev.updater.jdbc.internal.MigrationFiles;
import dev.updater.jdbc.internal.MigrationFiles.Migration;
import dev.updater.jdbc.internal.MigrationHistory;
import dev.updater.jdbc.internal.MigrationTransaction;
import dev.updater.jdbc.internal.SqlScript;
import dev.updater.jdbc.internal.Tables;
import java.io.IOException;
import java.nio.file.Path;
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
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the plain versioned SQL files a release ships, forward-only:
 * {@code V1__create_orders.sql}, {@code V2__add_paid.sql} ... in {@code migrations/} of the newly
 * activated release, each in its own transaction with its row in a history table, so that every
 * node and every later release knows what has been applied.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .migrationRunner(SqlMigrationRunner.create(dataSource))
 *     .guard(RowCountGuard.tables(dataSource, "orders"))
 *     .build();
 *
 * MigrationRunner custom = SqlMigrationRunner.builder(dataSource)
 *     .directory("db/migrations")
 *     .table("myapp_schema_history")
 *     .guardTables("orders", "users")     // roll a file back inside its transaction if rows vanish
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Before anything runs</b> every file is read, named {@code V<n>__<description>.sql} with
 *       {@code n} running 1, 2, 3 ... (a duplicate or a gap is refused), split into statements,
 *       and checksummed (SHA-256); the history is read and an applied file whose checksum changed,
 *       or that the release no longer ships, is refused naming the file.
 *   <li><b>One transaction per file</b>: its statements and its history row ({@code version,
 *       description, script, checksum, applied_at, success}) commit together or not at all, so a
 *       failure in statement 3 of 5 leaves schema, data and history as they were (PostgreSQL and
 *       SQLite both roll back DDL). Statements that cannot run in a transaction, such as
 *       PostgreSQL's {@code CREATE INDEX CONCURRENTLY}, are not supported.
 *   <li><b>Many nodes</b>: each transaction first takes a transaction-scoped lock
 *       ({@code pg_advisory_xact_lock} on PostgreSQL, {@code BEGIN IMMEDIATE} on SQLite) and reads
 *       the history again inside it, so a file another node applied meanwhile is skipped, never
 *       applied twice.
 *   <li><b>Re-running</b> applies nothing that is recorded: {@code repair()} may call it again.
 *   <li><b>Before activation</b>, {@link #preflight()} runs the same file and history checks on the
 *       staged release in the {@code BACKUP} step, so an edited or missing migration stops the
 *       update before anything is switched ({@code .guard(runner.preflight())}).
 *   <li><b>Statements</b> are split at {@code ;} outside strings, quoted identifiers,
 *       {@code --} and block comments and PostgreSQL dollar-quoted bodies ({@code $$ ... $$});
 *       SQLite's {@code CREATE TRIGGER ... BEGIN ...; END} is not supported (see
 *       {@code docs/database.md}).
 * </ul>
 *
 * <p>Supports PostgreSQL and SQLite. Thread-safe, and safe across processes and hosts sharing the
 * database.
 */
public final class SqlMigrationRunner implements MigrationRunner {
  /** The directory inside the release unless {@link Builder#directory} says otherwise. */
  public static final String DEFAULT_DIRECTORY = "migrations";
  /** The history table unless {@link Builder#table} says otherwise. */
  public static final String DEFAULT_TABLE = "updater_schema_history";

  private static final Logger LOG = LoggerFactory.getLogger(SqlMigrationRunner.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final DataSource dataSource;
  private final String directory;
  private final String table;
  private final MigrationHistory history;
  private final List<String> guardTables;

  private SqlMigrationRunner(Builder b) {
    this.dataSource = b.dataSource;
    this.directory = b.directory;
    this.table = b.table;
    this.history = new MigrationHistory(b.table);
    this.guardTables = List.copyOf(b.guardTables);
  }

  /** A runner for {@value #DEFAULT_DIRECTORY} with history in {@value #DEFAULT_TABLE}. No I/O. */
  public static SqlMigrationRunner create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for a runner on the database behind {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** Applies the pending files of the configured directory inside {@code context}'s release. */
  @Override
  public void migrate(UpdateContext context)
      throws MigrationException, DataLossException, IOException {
    Objects.requireNonNull(context, "context");
    LOG.info("Migrating to {} from {}", context.to(), context.releaseDir().resolve(directory));
    migrate(context.releaseDir().resolve(directory));
  }

  /**
   * Applies the pending files in {@code migrations}, a directory of {@code V<n>__<d>.sql} files.
   *
   * @return the file names this call applied, in order; empty when everything was applied already
   * @throws MigrationException when the files or the history are refused (nothing ran), or a file
   *     failed (that file rolled back, the ones before it stay applied)
   * @throws DataLossException when a {@link Builder#guardTables guarded table} lost rows in a file
   *     (that file rolled back)
   * @throws DatabaseUnavailableException when the database cannot be reached
   */
  public List<String> migrate(Path migrations)
      throws MigrationException, DataLossException, IOException {
    Objects.requireNonNull(migrations, "migrations");
    List<Migration> files = MigrationFiles.read(migrations);
    List<String> applied = new ArrayList<>();
    try (Connection connection = Connections.open(dataSource, "apply SQL migrations")) {
      boolean postgres = postgres(connection);
      Map<Integer, MigrationHistory.Applied> recorded = locked(connection, postgres, () -> {
        history.create(connection);
        return history.read(connection);
      });
      history.verify(files, recorded, migrations);
      for (Migration m : files) {
        if (recorded.containsKey(m.version())) {
          continue;
        }
        if (locked(connection, postgres, () -> apply(connection, m))) {
          applied.add(m.script());
        }
      }
    } catch (SQLException e) {
      throw new MigrationException("cannot read or write the migration history " + table + ": "
          + Connections.describe(e), e);
    }
    LOG.info(applied.isEmpty() ? "No migration to apply in {}" : "Applied {}",
        applied.isEmpty() ? migrations : applied);
    return List.copyOf(applied);
  }

  /**
   * Checks the files in {@code migrations} against the history without applying or creating
   * anything: the files are well named and numbered, and every migration the history records is
   * shipped unchanged. A database without the history table has nothing applied.
   *
   * @return the file names {@link #migrate(Path)} would apply now, in order
   * @throws MigrationException when the files or the history are refused, naming the file
   * @throws DatabaseUnavailableException when the database cannot be reached
   */
  public List<String> pending(Path migrations) throws MigrationException, IOException {
    Objects.requireNonNull(migrations, "migrations");
    List<Migration> files = MigrationFiles.read(migrations);
    try (Connection connection = Connections.open(dataSource, "check SQL migrations")) {
      postgres(connection);
      Map<Integer, MigrationHistory.Applied> recorded = history.exists(connection)
          ? history.read(connection) : Map.of();
      history.verify(files, recorded, migrations);
      return files.stream().filter(m -> !recorded.containsKey(m.version()))
          .map(Migration::script).toList();
    } catch (SQLException e) {
      throw new MigrationException("cannot read the migration history " + table + ": "
          + Connections.describe(e), e);
    }
  }

  /**
   * A guard that checks the release's migrations with {@link #pending} in the {@code BACKUP} step,
   * before activation: an applied file that was edited, or left out (an older release), fails the
   * update there with reason {@code INCOMPATIBLE} and nothing is switched. Its check after the
   * migration does nothing.
   *
   * <pre>{@code
   * SqlMigrationRunner runner = SqlMigrationRunner.create(dataSource);
   * Updater.builder()...migrationRunner(runner).guard(runner.preflight()).build();
   * }</pre>
   */
  public MigrationGuard preflight() {
    return context -> {
      Objects.requireNonNull(context, "context");
      Path migrations = context.releaseDir().resolve(directory);
      try {
        List<String> pending = pending(migrations);
        LOG.info("Migrations of {} checked against {}: {} to apply", context.to(), table,
            pending.isEmpty() ? "none" : pending);
      } catch (MigrationException e) {
        IncompatibleReleaseException refused = new IncompatibleReleaseException(
            context.to() + " cannot migrate this database: " + e.getMessage());
        refused.initCause(e);
        throw refused;
      }
      return () -> { };
    };
  }

  /** Applies {@code m} unless another node did; false when it found it applied. */
  private boolean apply(Connection connection, Migration m)
      throws SQLException, MigrationException, DataLossException {
    Optional<String> recorded = history.recordedChecksum(connection, m.version());
    if (recorded.isPresent()) {
      if (!recorded.get().equals(m.checksum())) {
        throw history.edited(m.script());
      }
      LOG.info("{} was applied meanwhile by another node; skipping it", m.script());
      return false;
    }
    Map<String, Long> before = counts(connection, null);
    List<SqlScript.Statement> statements = m.statements();
    try (Statement s = connection.createStatement()) {
      for (int i = 0; i < statements.size(); i++) {
        SqlScript.Statement statement = statements.get(i);
        try {
          s.execute(statement.sql());
        } catch (SQLException e) {
          throw new MigrationException(m.script() + " failed in statement " + (i + 1) + " of "
              + statements.size() + " (line " + statement.line() + "): " + Connections.describe(e)
              + "; the whole file was rolled back and is not recorded as applied", e);
        }
      }
    }
    List<DataLossException.Loss> losses = new ArrayList<>();
    counts(connection, before).forEach((what, after) -> {
      if (after < before.get(what)) {
        losses.add(new DataLossException.Loss(what, before.get(what), after));
      }
    });
    if (!losses.isEmpty()) {
      LOG.warn("{} lost rows ({}); rolling it back", m.script(), losses);
      throw new DataLossException(losses);
    }
    history.record(connection, m);
    LOG.info("Applied {} ({} statements)", m.script(), statements.size());
    return true;
  }

  /** Counts the guarded tables: with {@code before} null those that exist, else those in it. */
  private Map<String, Long> counts(Connection connection, Map<String, Long> before)
      throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String name : before == null ? guardTables : before.keySet()) {
      Optional<Tables.Table> found = Tables.find(connection, name);
      if (found.isEmpty()) {
        if (before != null) {
          counts.put(name, 0L);
        }
        continue;
      }
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + found.get().sql())) {
        rs.next();
        counts.put(name, rs.getLong(1));
      }
    }
    return counts;
  }

  /** Runs {@code work} in one transaction that first takes the migration lock. */
  private <T> T locked(Connection connection, boolean postgres,
      MigrationTransaction.Work<T> work)
      throws SQLException, MigrationException, DataLossException {
    return MigrationTransaction.locked(connection, postgres, history.lockKey(), work);
  }

  private static boolean postgres(Connection connection) throws SQLException, MigrationException {
    DatabaseProvider provider = DatabaseProvider.fromProduct(
        connection.getMetaData().getDatabaseProductName(),
        connection.getMetaData().getDatabaseProductVersion());
    if (provider.equals(DatabaseProvider.POSTGRESQL)) {
      return true;
    }
    if (provider.equals(DatabaseProvider.SQLITE)) {
      return false;
    }
    throw new MigrationException("SqlMigrationRunner supports PostgreSQL and SQLite; this database"
        + " is " + provider + ". Use CommandMigrationRunner with your migration tool instead");
  }

  @Override
  public String toString() {
    return "SqlMigrationRunner[" + directory + " -> " + table + "]";
  }

  /** Configures a {@link SqlMigrationRunner}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private String directory = DEFAULT_DIRECTORY;
    private String table = DEFAULT_TABLE;
    private final List<String> guardTables = new ArrayList<>();

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /** The directory of the migration files, relative to the release; default migrations. */
    public Builder directory(String directory) {
      Objects.requireNonNull(directory, "directory");
      Path path = Path.of(directory).normalize();
      if (directory.isBlank() || path.isAbsolute() || path.startsWith("..")) {
        throw new IllegalArgumentException("the migrations directory must be a relative path inside"
            + " the release, was '" + directory + "'");
      }
      this.directory = directory;
      return this;
    }

    /** The history table, a plain identifier; default {@value #DEFAULT_TABLE}. */
    public Builder table(String table) {
      Objects.requireNonNull(table, "table");
      if (!IDENTIFIER.matcher(table).matches()) {
        throw new IllegalArgumentException("the history table must be a plain identifier"
            + " (letters, digits, _), was '" + table + "'");
      }
      this.table = table;
      return this;
    }

    /**
     * Counts the rows of {@code tables} inside each file's transaction, before and after its
     * statements; when a count drops, the file is rolled back (schema, data and history as before)
     * and the runner throws {@link DataLossException}. Names are looked up in the database's
     * metadata; a table that does not exist yet is not guarded for that file.
     */
    public Builder guardTables(String... tables) {
      Objects.requireNonNull(tables, "tables");
      for (String t : tables) {
        Objects.requireNonNull(t, "table");
        if (t.isBlank() || guardTables.contains(t)) {
          throw new IllegalArgumentException(
              "a guarded table is blank or given twice: '" + t + "'");
        }
        guardTables.add(t);
      }
      return this;
    }

    /** Builds the runner. Does no I/O. */
    public SqlMigrationRunner build() {
      return new SqlMigrationRunner(this);
    }
  }
}
