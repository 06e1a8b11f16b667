package dev.updater.jdbc;

import dev.updater.core.spi.Lease;
import dev.updater.core.spi.LockStore;
import dev.updater.jdbc.internal.Connections;
import dev.updater.jdbc.internal.LockSql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The update lock in a table of the host's own database, so that every node of an application
 * sharing one PostgreSQL (or one SQLite file) agrees on who may update: one row per lock in
 * {@code updater_lock(name, owner, token, acquired_at, expires_at)}, created when missing.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .lockStore(JdbcLockStore.create(dataSource))
 *     .owner("node-" + nodeId)
 *     .build();
 *
 * LockStore custom = JdbcLockStore.builder(dataSource)
 *     .table("myapp_update_lock")
 *     .lockName("myapp")
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Database clock.</b> Acquisition time, expiry and the expiry test are computed by the
 *       database inside each statement; the JVM's clock (and the updater's {@code clock(...)}) is
 *       never used, so a node whose clock runs ahead cannot take a lock over early.
 *   <li><b>Atomic acquisition.</b> One conditional {@code UPDATE ... WHERE owner IS NULL OR
 *       expires_at <= now} on the lock's row; on PostgreSQL, at READ COMMITTED, a racing
 *       acquisition waits for the row lock and then re-checks the condition, so exactly one wins.
 *   <li><b>Fencing.</b> Every acquisition raises {@code token}, which survives release; renew and
 *       release change the row only {@code WHERE token = ?}, so a holder that was paused past its
 *       expiry can neither extend nor free the lock of the node that took it over.
 * </ul>
 *
 * <p>Supports PostgreSQL and SQLite (other databases are refused at first use). The table and the
 * row are created by the first operation, which needs {@code CREATE TABLE} rights, or create them
 * beforehand (see {@code docs/database.md}). Never delete the row while nodes run: its token would
 * start again from 1. On SQLite give the data source a busy timeout (sqlite-jdbc's default is 3 s).
 *
 * <p>Thread-safe, and safe across processes and hosts sharing the database.
 */
public final class JdbcLockStore implements LockStore {
  /** The table used unless {@link Builder#table} says otherwise. */
  public static final String DEFAULT_TABLE = "updater_lock";
  /** The lock's row unless {@link Builder#lockName} says otherwise. */
  public static final String DEFAULT_LOCK_NAME = "update";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcLockStore.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final int MAX_OWNER = 512;
  private static final int MAX_NAME = 128;

  private final DataSource dataSource;
  private final String table;
  private final String lockName;
  private volatile LockSql sql; // null until the table is known to exist

  private JdbcLockStore(DataSource dataSource, String table, String lockName) {
    this.dataSource = dataSource;
    this.table = table;
    this.lockName = lockName;
  }

  /** The lock {@value #DEFAULT_LOCK_NAME} in table {@value #DEFAULT_TABLE}. Does no I/O. */
  public static JdbcLockStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for a lock in the database behind {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  @Override
  public Optional<Lease> tryAcquire(String owner, Duration ttl) throws IOException {
    checkOwner(owner);
    long millis = ttlMillis(ttl);
    return run("take", (connection, s) -> {
      try (PreparedStatement seed = connection.prepareStatement(s.seed())) {
        seed.setString(1, lockName);
        seed.executeUpdate();
      }
      Optional<Lease> lease = s.readCommitted(connection, c -> Connections.inTransaction(c, tx -> {
        try (PreparedStatement acquire = tx.prepareStatement(s.acquire())) {
          acquire.setString(1, owner);
          acquire.setLong(2, millis);
          acquire.setString(3, lockName);
          if (acquire.executeUpdate() == 0) {
            return Optional.empty();
          }
        }
        return read(tx, s).map(Row::lease);
      }));
      lease.ifPresentOrElse(
          l -> LOG.info("Took update lock {}/{} for {} with token {} until {}", table, lockName,
              owner, l.token(), l.expiresAt()),
          () -> LOG.debug("Update lock {}/{} is held; {} did not get it", table, lockName, owner));
      return lease;
    });
  }

  @Override
  public Optional<Lease> renew(Lease lease, Duration ttl) throws IOException {
    Objects.requireNonNull(lease, "lease");
    long millis = ttlMillis(ttl);
    return run("renew", (connection, s) -> s.readCommitted(connection,
        c -> Connections.inTransaction(c, tx -> {
          try (PreparedStatement renew = tx.prepareStatement(s.renew())) {
            renew.setLong(1, millis);
            renew.setString(2, lockName);
            renew.setLong(3, lease.token());
            renew.setString(4, lease.owner());
            if (renew.executeUpdate() == 0) {
              LOG.warn("Could not renew update lock {}/{}: token {} of {} no longer holds it",
                  table, lockName, lease.token(), lease.owner());
              return Optional.empty();
            }
          }
          return read(tx, s).map(Row::lease);
        })));
  }

  @Override
  public void release(Lease lease) throws IOException {
    Objects.requireNonNull(lease, "lease");
    run("release", (connection, s) -> {
      try (PreparedStatement release = connection.prepareStatement(s.release())) {
        release.setString(1, lockName);
        release.setLong(2, lease.token());
        release.setString(3, lease.owner());
        if (release.executeUpdate() == 0) {
          LOG.debug("Not releasing update lock {}/{}: token {} no longer holds it", table,
              lockName, lease.token());
        } else {
          LOG.info("Released update lock {}/{} (token {})", table, lockName, lease.token());
        }
      }
      return null;
    });
  }

  /** The holder, unless the lock is free or its expiry has passed by the database's clock. */
  @Override
  public Optional<Lease> holder() throws IOException {
    return run("read", (connection, s) -> read(connection, s)
        .filter(row -> row.owner != null && row.expiresAt > row.now)
        .map(Row::lease));
  }

  @Override
  public String toString() {
    return "JdbcLockStore[" + table + "/" + lockName + "]";
  }

  private record Row(String owner, long token, long acquiredAt, long expiresAt, long now) {
    Lease lease() {
      return new Lease(owner, token, Instant.ofEpochMilli(acquiredAt),
          Instant.ofEpochMilli(expiresAt));
    }
  }

  private Optional<Row> read(Connection connection, LockSql s) throws SQLException {
    try (PreparedStatement read = connection.prepareStatement(s.read())) {
      read.setString(1, lockName);
      try (ResultSet rs = read.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String owner = rs.getString(1);
        return Optional.of(new Row(owner, rs.getLong(2), rs.getLong(3), rs.getLong(4),
            rs.getLong(5)));
      }
    }
  }

  @FunctionalInterface
  private interface Operation<T> {
    T run(Connection connection, LockSql sql) throws SQLException;
  }

  private <T> T run(String what, Operation<T> operation) throws IOException {
    try (Connection connection = Connections.open(dataSource, what + " the update lock")) {
      return operation.run(connection, ready(connection));
    } catch (SQLException e) {
      throw new IOException("cannot " + what + " the update lock in table " + table + ": "
          + Connections.describe(e), e);
    }
  }

  /** The statements for this database, creating the table on first use. */
  private LockSql ready(Connection connection) throws SQLException {
    LockSql known = sql;
    if (known != null) {
      return known;
    }
    var metaData = connection.getMetaData();
    LockSql s = LockSql.forProvider(DatabaseProvider.fromProduct(metaData.getDatabaseProductName(),
        metaData.getDatabaseProductVersion()).name(), table);
    try (var statement = connection.createStatement()) {
      statement.execute(s.create());
    } catch (SQLException createFailure) {
      // Two nodes creating the table at once: PostgreSQL may fail the loser even with IF NOT EXISTS.
      try (var statement = connection.createStatement()) {
        statement.executeQuery(s.probe()).close();
      } catch (SQLException probeFailure) {
        createFailure.addSuppressed(probeFailure);
        throw createFailure;
      }
    }
    sql = s;
    return s;
  }

  private static void checkOwner(String owner) {
    Objects.requireNonNull(owner, "owner");
    if (owner.isBlank() || owner.length() > MAX_OWNER) {
      throw new IllegalArgumentException("owner must be 1 to " + MAX_OWNER
          + " characters and not blank, was '" + owner + "'");
    }
  }

  private static long ttlMillis(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
    }
    return ttl.toMillis();
  }

  /** Configures a {@link JdbcLockStore}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = DEFAULT_TABLE;
    private String lockName = DEFAULT_LOCK_NAME;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * The table holding the lock rows; default {@value #DEFAULT_TABLE}. A plain identifier (letters,
     * digits, {@code _}, not starting with a digit, at most 63 characters), used unquoted, so
     * PostgreSQL folds it to lower case.
     */
    public Builder table(String table) {
      Objects.requireNonNull(table, "table");
      if (!IDENTIFIER.matcher(table).matches()) {
        throw new IllegalArgumentException("table '" + table + "' must be a plain identifier:"
            + " letters, digits and '_', not starting with a digit, at most 63 characters");
      }
      this.table = table;
      return this;
    }

    /**
     * The lock's row; default {@value #DEFAULT_LOCK_NAME}. Applications sharing one database and
     * table use different names. At most 128 characters, not blank; stored as a value, never SQL.
     */
    public Builder lockName(String lockName) {
      Objects.requireNonNull(lockName, "lockName");
      if (lockName.isBlank() || lockName.length() > MAX_NAME) {
        throw new IllegalArgumentException("lockName must be 1 to " + MAX_NAME
            + " characters and not blank, was '" + lockName + "'");
      }
      this.lockName = lockName;
      return this;
    }

    /** Builds the store. Does no I/O: the table is created by the first operation. */
    public JdbcLockStore build() {
      return new JdbcLockStore(dataSource, table, lockName);
    }
  }
}
