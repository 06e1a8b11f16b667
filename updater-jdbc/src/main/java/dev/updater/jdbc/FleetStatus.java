package dev.updater.jdbc;

import dev.updater.core.Step;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateListener;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Version;
import dev.updater.jdbc.internal.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's update state in a table of the host's own database, so operators see the fleet
 * where they see their data, and each node reports the result of its updates without a control
 * plane:
 * {@code updater_fleet(node_id, running_version, installed_version, target_version, last_check,
 * last_result, last_error, updated_at)}, one row per node, and
 * {@code updater_fleet_attempts(version, node_id, seq, started_at, result)}, one row per node and
 * release it activated, in the order the nodes tried it (what {@link FleetHaltGate} reads).
 *
 * <pre>{@code
 * FleetStatus fleet = FleetStatus.create(dataSource, "web-2");
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .lockStore(JdbcLockStore.create(dataSource))
 *     .listener(fleet.listener())
 *     .gate(FleetHaltGate.of(fleet, 2, 5))
 *     .runningVersion(Version.parse(BuildInfo.VERSION))
 *     .build();
 * fleet.recordCheck(updater.status());          // at start-up and after each check
 * fleet.nodes().forEach(System.out::println);   // an admin page
 * }</pre>
 *
 * <p>The listener records {@code STARTED}, {@code COMPLETED}, {@code ROLLED_BACK}, {@code FAILED}
 * and {@code REFUSED} (a gate said no) in {@code last_result}, the error in {@code last_error}, the
 * installed version after each operation; a release counts as tried by a node when the node
 * starts activating it. The running version is what the host reports through
 * {@link #recordCheck}: the listener cannot know when the new code runs. Times are epoch
 * milliseconds of the injected clock. A database failure while recording is logged and never
 * stops an update. Tables are created at first use (or beforehand, see {@code docs/database.md}).
 *
 * <p>Supports PostgreSQL and SQLite (it uses {@code INSERT ... ON CONFLICT}). Thread-safe.
 */
public final class FleetStatus {
  /** The node table unless {@link Builder#table} says otherwise. */
  public static final String DEFAULT_TABLE = "updater_fleet";

  private static final Logger LOG = LoggerFactory.getLogger(FleetStatus.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,50}");
  private static final int MAX_ERROR = 2000;

  /** How a node's try of a release ended, so far. */
  public enum Result {
    /** Activated, not finished yet (or the node died). */
    RUNNING,
    /** Confirmed healthy. */
    COMPLETED,
    /** Failed after activation without a recorded switch back. */
    FAILED,
    /** Switched back to the previous release. */
    ROLLED_BACK;

    /** True for {@link #FAILED} and {@link #ROLLED_BACK}. */
    public boolean failed() {
      return this == FAILED || this == ROLLED_BACK;
    }
  }

  /**
   * One node's row.
   *
   * @param nodeId the node
   * @param running the version its process runs, as last reported
   * @param installed the version its {@code current} points at
   * @param target the version its last operation aimed at
   * @param lastCheck when it last reported a check
   * @param lastResult STARTED, COMPLETED, ROLLED_BACK, FAILED or REFUSED
   * @param lastError the error of its last operation, if it failed
   * @param updatedAt when the row last changed
   */
  public record Node(String nodeId, Optional<Version> running, Optional<Version> installed,
      Optional<Version> target, Optional<Instant> lastCheck, Optional<String> lastResult,
      Optional<String> lastError, Instant updatedAt) {}

  /**
   * One node's try of one release.
   *
   * @param nodeId the node
   * @param version the release
   * @param startedAt when it started activating it
   * @param result how it ended so far
   */
  public record Attempt(String nodeId, Version version, Instant startedAt, Result result) {}

  private final DataSource dataSource;
  private final String nodeId;
  private final String table;
  private final String attempts;
  private final Clock clock;
  private volatile boolean created;

  private FleetStatus(Builder b) {
    this.dataSource = b.dataSource;
    this.nodeId = b.nodeId;
    this.table = b.table;
    this.attempts = b.table + "_attempts";
    this.clock = b.clock;
  }

  /** The fleet table {@value #DEFAULT_TABLE} for node {@code nodeId}. Does no I/O. */
  public static FleetStatus create(DataSource dataSource, String nodeId) {
    return builder(dataSource, nodeId).build();
  }

  /** A builder for node {@code nodeId} (unique in the fleet, at most 200 characters). */
  public static Builder builder(DataSource dataSource, String nodeId) {
    return new Builder(dataSource, nodeId);
  }

  /** This node's id. */
  public String nodeId() {
    return nodeId;
  }

  /** A listener to add to this node's updater that keeps its row and its attempts current. */
  public UpdateListener listener() {
    return event -> {
      try {
        record(event);
      } catch (SQLException | DatabaseUnavailableException | RuntimeException e) {
        LOG.warn("Could not record {} in the fleet table {} for node {}", event, table, nodeId, e);
      }
    };
  }

  /** Records the running and installed versions of {@code status} and the time of a check. */
  public void recordCheck(UpdateStatus status) throws DatabaseUnavailableException, SQLException {
    Objects.requireNonNull(status, "status");
    long now = clock.millis();
    run(c -> {
      upsert(c, now);
      try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET running_version = ?,"
          + " installed_version = ?, last_check = ?, updated_at = ? WHERE node_id = ?")) {
        setVersion(s, 1, status.running());
        setVersion(s, 2, status.installed());
        s.setLong(3, now);
        s.setLong(4, now);
        s.setString(5, nodeId);
        s.executeUpdate();
      }
      return null;
    });
  }

  /** Every node's row, by node id. */
  public List<Node> nodes() throws DatabaseUnavailableException, SQLException {
    return run(c -> {
      List<Node> nodes = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT node_id,"
          + " running_version, installed_version, target_version, last_check, last_result,"
          + " last_error, updated_at FROM " + table + " ORDER BY node_id")) {
        while (rs.next()) {
          long check = rs.getLong(5);
          Optional<Instant> lastCheck = rs.wasNull() ? Optional.empty()
              : Optional.of(Instant.ofEpochMilli(check));
          nodes.add(new Node(rs.getString(1), version(rs.getString(2)), version(rs.getString(3)),
              version(rs.getString(4)), lastCheck, Optional.ofNullable(rs.getString(6)),
              Optional.ofNullable(rs.getString(7)), Instant.ofEpochMilli(rs.getLong(8))));
        }
      }
      return nodes;
    });
  }

  /** The nodes' tries of {@code version}, in the order they started. */
  public List<Attempt> attempts(Version version) throws DatabaseUnavailableException, SQLException {
    Objects.requireNonNull(version, "version");
    return run(c -> {
      List<Attempt> list = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT node_id, started_at, result FROM "
          + attempts + " WHERE version = ? ORDER BY seq, node_id")) {
        s.setString(1, version.toString());
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            list.add(new Attempt(rs.getString(1), version, Instant.ofEpochMilli(rs.getLong(2)),
                Result.valueOf(rs.getString(3))));
          }
        }
      }
      return list;
    });
  }

  private void record(UpdateEvent event) throws SQLException, DatabaseUnavailableException {
    long now = clock.millis();
    if (event instanceof UpdateEvent.Started e) {
      update(now, "target_version = ?, last_result = 'STARTED', last_error = NULL",
          e.to().toString());
    } else if (event instanceof UpdateEvent.StepStarted e && e.step() == Step.ACTIVATE) {
      run(c -> {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + attempts
            + " (version, node_id, seq, started_at, result) SELECT ?, ?, COALESCE(MAX(seq), 0) + 1,"
            + " ?, 'RUNNING' FROM " + attempts
            + " WHERE 1 = 1 ON CONFLICT (version, node_id) DO NOTHING")) { // WHERE: SQLite's parser
          s.setString(1, e.target().toString());
          s.setString(2, nodeId);
          s.setLong(3, now);
          s.executeUpdate();
        }
        return null;
      });
    } else if (event instanceof UpdateEvent.Completed e) {
      update(now, "installed_version = ?, last_result = 'COMPLETED', last_error = NULL",
          e.to().toString());
      attempt(e.to(), Result.COMPLETED);
    } else if (event instanceof UpdateEvent.RolledBack e) {
      update(now, "installed_version = ?, last_result = 'ROLLED_BACK', last_error = ?",
          e.to().map(Version::toString).orElse(null), truncate(e.why()));
      attempt(e.from(), Result.ROLLED_BACK);
    } else if (event instanceof UpdateEvent.Failed e) {
      boolean refused = e.error().step().orElse(Step.CHECK) == Step.CHECK
          && e.error().reason().isConflict();
      update(now, "last_result = CASE WHEN last_result = 'ROLLED_BACK' THEN last_result ELSE ? END,"
          + " last_error = ?", refused ? "REFUSED" : "FAILED", truncate(e.error().getMessage()));
      attempt(e.to(), Result.FAILED);
    }
  }

  /** Sets {@code result} on this node's try of {@code version} unless it has ended already. */
  private void attempt(Version version, Result result)
      throws SQLException, DatabaseUnavailableException {
    run(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE " + attempts + " SET result = ?"
          + " WHERE version = ? AND node_id = ? AND result = 'RUNNING'")) {
        s.setString(1, result.name());
        s.setString(2, version.toString());
        s.setString(3, nodeId);
        s.executeUpdate();
      }
      return null;
    });
  }

  private void update(long now, String set, String... values)
      throws SQLException, DatabaseUnavailableException {
    run(c -> {
      upsert(c, now);
      try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET " + set
          + ", updated_at = ? WHERE node_id = ?")) {
        int i = 1;
        for (String value : values) {
          if (value == null) {
            s.setNull(i++, Types.VARCHAR);
          } else {
            s.setString(i++, value);
          }
        }
        s.setLong(i++, now);
        s.setString(i, nodeId);
        s.executeUpdate();
      }
      return null;
    });
  }

  private void upsert(Connection c, long now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table
        + " (node_id, updated_at) VALUES (?, ?) ON CONFLICT (node_id) DO NOTHING")) {
      s.setString(1, nodeId);
      s.setLong(2, now);
      s.executeUpdate();
    }
  }

  private <T> T run(Connections.Work<T> work) throws SQLException, DatabaseUnavailableException {
    try (Connection c = Connections.open(dataSource, "read or write the fleet table " + table)) {
      if (!created) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS " + table + " (node_id VARCHAR(200) NOT NULL"
              + " PRIMARY KEY, running_version VARCHAR(100), installed_version VARCHAR(100),"
              + " target_version VARCHAR(100), last_check BIGINT, last_result VARCHAR(20),"
              + " last_error VARCHAR(" + MAX_ERROR + "), updated_at BIGINT NOT NULL)");
          s.execute("CREATE TABLE IF NOT EXISTS " + attempts + " (version VARCHAR(100) NOT NULL,"
              + " node_id VARCHAR(200) NOT NULL, seq BIGINT NOT NULL, started_at BIGINT NOT NULL,"
              + " result VARCHAR(20) NOT NULL, PRIMARY KEY (version, node_id))");
        }
        created = true;
      }
      return work.run(c);
    }
  }

  private static void setVersion(PreparedStatement s, int i, Optional<Version> v)
      throws SQLException {
    if (v.isPresent()) {
      s.setString(i, v.get().toString());
    } else {
      s.setNull(i, Types.VARCHAR);
    }
  }

  private static Optional<Version> version(String text) {
    return Optional.ofNullable(text).map(Version::parse);
  }

  private static String truncate(String text) {
    return text == null || text.length() <= MAX_ERROR ? text
        : text.substring(0, MAX_ERROR - 3) + "...";
  }

  @Override
  public String toString() {
    return "FleetStatus[" + table + ", node " + nodeId + "]";
  }

  /** Configures a {@link FleetStatus}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String nodeId;
    private String table = DEFAULT_TABLE;
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource, String nodeId) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      Objects.requireNonNull(nodeId, "nodeId");
      if (nodeId.isBlank() || nodeId.length() > 200) {
        throw new IllegalArgumentException("a node id is 1 to 200 characters, was '" + nodeId + "'");
      }
      this.nodeId = nodeId;
    }

    /** The node table, a plain identifier; the attempts go to {@code <table>_attempts}. */
    public Builder table(String table) {
      Objects.requireNonNull(table, "table");
      if (!IDENTIFIER.matcher(table).matches()) {
        throw new IllegalArgumentException("the fleet table must be a plain identifier of at most"
            + " 51 characters, was '" + table + "'");
      }
      this.table = table;
      return this;
    }

    /** The clock for the recorded times; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds it. Does no I/O. */
    public FleetStatus build() {
      return new FleetStatus(this);
    }
  }
}
