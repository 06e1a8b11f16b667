package dev.updater.jdbc;

import static dev.updater.jdbc.Fixtures.execute;
import static dev.updater.jdbc.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.Lease;
import dev.updater.core.spi.LockStore;
import dev.updater.testkit.InMemoryReleaseSource;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes sharing one PostgreSQL: one migration among nodes starting at once, a stale
 * holder's late release, expiry judged by the database's clock, independent locks.
 */
class JdbcLockStorePostgresTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Duration TTL = Duration.ofSeconds(60);
  @RegisterExtension
  static final SharedPostgres POSTGRES = new SharedPostgres();

  @TempDir Path dir;
  DataSource db;

  @BeforeEach
  void freshDatabase() throws Exception {
    db = POSTGRES.freshDatabase();
  }

  @Test
  void threeNodesStartingAnUpdateAtOnceRunTheMigrationExactlyOnceAndTheOthersAreLocked()
      throws Exception {
    execute(db, "CREATE TABLE migrations_run (node VARCHAR(40) NOT NULL)");
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    Release release = source.publish(V1, Fixtures.archive("1.0.0"));
    AtomicInteger migrations = new AtomicInteger();
    CountDownLatch losersDone = new CountDownLatch(2);
    CyclicBarrier start = new CyclicBarrier(3);
    List<Updater> nodes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String node = "node-" + i;
      nodes.add(Updater.builder()
          .home(dir.resolve(node))
          .source(source)
          .lockStore(JdbcLockStore.create(db))
          .owner(node)
          .migrationRunner(ctx -> {
            migrations.incrementAndGet();
            try (Connection c = db.getConnection();
                PreparedStatement insert =
                    c.prepareStatement("INSERT INTO migrations_run (node) VALUES (?)")) {
              insert.setString(1, node);
              insert.executeUpdate();
            }
            // Hold the lock until both other nodes have tried, so that they really overlap.
            losersDone.await(30, TimeUnit.SECONDS);
          })
          .build());
    }

    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<Object>> outcomes = new ArrayList<>();
    try {
      for (Updater node : nodes) {
        outcomes.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          try {
            return node.install(release);
          } catch (UpdateException e) {
            losersDone.countDown();
            return e;
          }
        }));
      }
      List<Object> results = new ArrayList<>();
      for (Future<Object> outcome : outcomes) {
        results.add(outcome.get(60, TimeUnit.SECONDS));
      }

      assertThat(results).filteredOn(UpdateResult.Updated.class::isInstance).hasSize(1);
      assertThat(results).filteredOn(UpdateException.class::isInstance)
          .hasSize(2)
          .allSatisfy(e -> assertThat(((UpdateException) e).reason()).isEqualTo(Reason.LOCKED));
      assertThat(migrations).hasValue(1);
      assertThat(queryLong(db, "SELECT COUNT(*) FROM migrations_run")).isEqualTo(1);
      assertThat(nodes.stream().filter(n -> Files.exists(n.layout().current(),
          LinkOption.NOFOLLOW_LINKS))).as("nodes that activated").hasSize(1);
      assertThat(JdbcLockStore.create(db).holder()).as("lock after the update").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theOldHoldersLateReleaseDoesNotFreeTheNewHoldersLock() throws Exception {
    LockStore nodeA = JdbcLockStore.create(db);
    LockStore nodeB = JdbcLockStore.create(db);
    Lease a = nodeA.tryAcquire("node-a", TTL).orElseThrow();
    LockRows.age(db, TTL.plusSeconds(1)); // node A died, or was paused past its expiry

    Lease b = nodeB.tryAcquire("node-b", TTL).orElseThrow();
    nodeA.release(a);

    assertThat(b.token()).isGreaterThan(a.token());
    assertThat(nodeA.renew(a, TTL)).as("A's late renewal").isEmpty();
    assertThat(nodeB.holder()).map(Lease::token).contains(b.token());
    assertThat(JdbcLockStore.create(db).tryAcquire("node-c", TTL)).isEmpty();
  }

  @Test
  void aNodeWhoseClockRunsAnHourAheadCannotTakeTheLockBeforeTheDatabaseSaysItExpired()
      throws Exception {
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    Release release = source.publish(V1, Fixtures.archive("1.0.0"));
    Lease held = JdbcLockStore.create(db).tryAcquire("node-a", TTL).orElseThrow();
    Updater skewed = Updater.builder()
        .home(dir.resolve("node-b"))
        .source(source)
        .lockStore(JdbcLockStore.create(db))
        .owner("node-b")
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)))
        .build();

    assertThatThrownBy(() -> skewed.install(release))
        .asInstanceOf(type(UpdateException.class))
        .extracting(UpdateException::reason).isEqualTo(Reason.LOCKED);

    LockRows.age(db, TTL.plusSeconds(1));
    assertThat(skewed.install(release)).isInstanceOf(UpdateResult.Updated.class);
    assertThat(queryLong(db, "SELECT token FROM updater_lock")).isEqualTo(held.token() + 1);
  }

  @Test
  void leaseTimesAreTheDatabasesClock() throws Exception {
    long before = queryLong(db, "SELECT CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)");
    Lease lease = JdbcLockStore.create(db).tryAcquire("node-a", TTL).orElseThrow();
    long after = queryLong(db, "SELECT CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)");

    assertThat(lease.acquiredAt().toEpochMilli()).isBetween(before - 1, after + 1);
    assertThat(Duration.between(lease.acquiredAt(), lease.expiresAt())).isEqualTo(TTL);
  }

  @Test
  void locksWithDifferentNamesOrTablesAreIndependent() throws Exception {
    LockStore first = JdbcLockStore.builder(db).lockName("app-one").build();
    LockStore second = JdbcLockStore.builder(db).lockName("app-two").build();
    LockStore elsewhere = JdbcLockStore.builder(db).table("Other_Locks").lockName("app-one").build();

    assertThat(first.tryAcquire("node-a", TTL)).isPresent();
    assertThat(second.tryAcquire("node-a", TTL)).isPresent();
    assertThat(elsewhere.tryAcquire("node-a", TTL)).isPresent();
    assertThat(queryLong(db, "SELECT COUNT(*) FROM updater_lock")).isEqualTo(2);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM other_locks")).isEqualTo(1);
  }

  @Test
  void anUpdaterOnTheJdbcLockReleasesItWhenTheInstallEnds() throws Exception {
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    Release release = source.publish(V1, Fixtures.archive("1.0.0"));
    Updater updater = Updater.builder()
        .home(dir.resolve("node-a"))
        .source(source)
        .lockStore(JdbcLockStore.create(db))
        .build();

    updater.install(release);

    assertThat(Files.readString(Layout.of(dir.resolve("node-a")).current().resolve("VERSION")))
        .isEqualTo("1.0.0");
    assertThat(JdbcLockStore.create(db).holder()).isEmpty();
    assertThat(queryLong(db, "SELECT token FROM updater_lock")).isEqualTo(1);
  }
}
