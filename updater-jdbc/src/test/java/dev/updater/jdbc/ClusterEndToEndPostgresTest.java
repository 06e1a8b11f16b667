package dev.updater.jdbc;

import static dev.updater.jdbc.Fixtures.execute;
import static dev.updater.jdbc.Fixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.Lease;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.RecordingRestarter;
import dev.updater.testkit.ReleaseArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Nodes with their own homes sharing one real PostgreSQL, each with the whole data stack
 * ({@link JdbcLockStore}, {@link SqlMigrationRunner}) in a real {@link Updater}: one migration
 * run per update across nodes, a paused node fenced out, a runner killed mid-migration, and a
 * connection cut after COMMIT.
 */
class ClusterEndToEndPostgresTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");
  static final String V1_SQL = "CREATE TABLE effects (file VARCHAR(20) NOT NULL);\n"
      + "INSERT INTO effects VALUES ('V1');\n";
  static final String V2_SQL = "INSERT INTO effects VALUES ('V2');\n";
  @RegisterExtension
  static final SharedPostgres POSTGRES = new SharedPostgres();

  @TempDir Path dir;
  DataSource db;
  InMemoryReleaseSource source;
  ExecutorService pool;

  @BeforeEach
  void freshDatabase() throws Exception {
    db = POSTGRES.freshDatabase();
    source = InMemoryReleaseSource.create();
    pool = Executors.newFixedThreadPool(3);
  }

  @AfterEach
  void stopThreads() {
    pool.shutdownNow();
  }

  Release publish(Version version, String... migrations) {
    ReleaseArchives.Builder archive = ReleaseArchives.builder().file("VERSION", version.toString());
    for (int i = 0; i < migrations.length; i += 2) {
      archive.file("migrations/" + migrations[i], migrations[i + 1]);
    }
    return source.publish(version, archive.tarGz());
  }

  /** A node's updater: its own home, the shared database for the lock and the migrations. */
  Updater.Builder node(String id) {
    Layout layout = Layout.of(dir.resolve(id));
    return Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.create(layout))
        .lockStore(JdbcLockStore.create(db))
        .owner(id)
        .migrationRunner(SqlMigrationRunner.create(db));
  }

  @Test
  void threeNodesUpdatingAtOnceMigrateOnceTheOthersAreLockedThenFindTheSchemaMigrated()
      throws Exception {
    Release release = publish(V1, "V1__effects.sql", V1_SQL, "V2__more.sql", V2_SQL);
    List<String> applied = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch losersTried = new CountDownLatch(2);
    CyclicBarrier start = new CyclicBarrier(3);
    List<Updater> nodes = new ArrayList<>();
    for (String id : List.of("node-1", "node-2", "node-3")) {
      SqlMigrationRunner sql = SqlMigrationRunner.create(db);
      nodes.add(node(id).migrationRunner(ctx -> {
        applied.add(id + " " + sql.migrate(ctx.releaseDir().resolve("migrations")));
        // The winner holds the lock until both others have tried, so that they really overlap.
        losersTried.await(30, TimeUnit.SECONDS);
      }).build());
    }
    List<Future<Object>> firstTries = new ArrayList<>();
    for (Updater node : nodes) {
      firstTries.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        try {
          return node.install(release);
        } catch (UpdateException e) {
          losersTried.countDown();
          return e;
        }
      }));
    }
    List<Updater> locked = new ArrayList<>();
    String winner = null;
    for (int i = 0; i < nodes.size(); i++) {
      Object outcome = firstTries.get(i).get(60, TimeUnit.SECONDS);
      if (outcome instanceof UpdateException e) {
        assertThat(e.reason()).isEqualTo(Reason.LOCKED);
        assertThat(e).hasMessageContaining("held by node-");
        assertThat(Files.exists(nodes.get(i).layout().current())).as("a locked node").isFalse();
        locked.add(nodes.get(i));
      } else {
        assertThat(outcome).isInstanceOf(UpdateResult.Updated.class);
        winner = "node-" + (i + 1);
      }
    }
    assertThat(locked).as("nodes that got LOCKED").hasSize(2);
    assertThat(applied).containsExactly(winner + " [V1__effects.sql, V2__more.sql]");

    for (Updater node : locked) {
      assertThat(node.install(release)).isInstanceOf(UpdateResult.Updated.class);
    }

    assertThat(applied).hasSize(3).last().asString().endsWith(" []");
    assertThat(applied.get(1)).endsWith(" []");
    assertThat(queryLong(db, "SELECT COUNT(*) FROM updater_schema_history")).isEqualTo(2);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM effects WHERE file = 'V1'")).isEqualTo(1);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM effects WHERE file = 'V2'")).isEqualTo(1);
    for (Updater node : nodes) {
      assertThat(node.layout().current().resolve("VERSION")).hasContent("1.0.0");
    }
    assertThat(JdbcLockStore.create(db).holder()).as("the lock after the updates").isEmpty();
  }

  @Test
  void aNodePausedPastItsLeaseIsFencedOutBeforeItActivatesAndItsLateReleaseKeepsTheNewLock()
      throws Exception {
    Release first = publish(V1, "V1__effects.sql", V1_SQL);
    Release second = publish(V2, "V1__effects.sql", V1_SQL, "V2__more.sql", V2_SQL);
    CountDownLatch aPaused = new CountDownLatch(1);
    CountDownLatch aResume = new CountDownLatch(1);
    CountDownLatch bHolding = new CountDownLatch(1);
    CountDownLatch bResume = new CountDownLatch(1);
    AtomicInteger aMigrations = new AtomicInteger();
    RecordingRestarter aRestarter = RecordingRestarter.create();
    RecordingRestarter bRestarter = RecordingRestarter.create();
    SqlMigrationRunner sql = SqlMigrationRunner.create(db);
    Updater a = node("node-a")
        .restarter(aRestarter)
        .migrationRunner(ctx -> {
          aMigrations.incrementAndGet();
          sql.migrate(ctx);
        })
        .after(Step.STAGE, ctx -> {
          if (ctx.to().equals(V2)) { // a GC pause, SIGSTOP, a cut network ...
            aPaused.countDown();
            aResume.await(30, TimeUnit.SECONDS);
          }
        })
        .build();
    Updater b = node("node-b")
        .restarter(bRestarter)
        .after(Step.CONFIRM, ctx -> {
          if (ctx.to().equals(V2)) {
            bHolding.countDown();
            bResume.await(30, TimeUnit.SECONDS);
          }
        })
        .build();
    a.install(first);
    b.install(first);
    int aRestarts = aRestarter.callCount();
    int bRestarts = bRestarter.callCount();
    aMigrations.set(0);

    Future<Object> aTry = pool.submit(() -> outcome(a, second));
    assertThat(aPaused.await(30, TimeUnit.SECONDS)).as("node A reached its pause").isTrue();
    Lease aLease = JdbcLockStore.create(db).holder().orElseThrow();
    LockRows.age(db, Updater.Builder.DEFAULT_LOCK_TTL.plusMinutes(1));
    Future<Object> bTry = pool.submit(() -> outcome(b, second));
    assertThat(bHolding.await(30, TimeUnit.SECONDS)).as("node B took over").isTrue();
    Lease bLease = JdbcLockStore.create(db).holder().orElseThrow();
    aResume.countDown();

    assertThat(aTry.get(60, TimeUnit.SECONDS))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.LOCKED);
          assertThat(e.step()).contains(Step.BACKUP);
          assertThat(e).hasMessageContaining("taken over by another process");
        });
    assertThat(bLease.owner()).isEqualTo("node-b");
    assertThat(bLease.token()).isGreaterThan(aLease.token());
    assertThat(JdbcLockStore.create(db).holder()).as("A's late release frees nothing")
        .contains(bLease);
    assertThat(aMigrations).as("A never migrated").hasValue(0);
    assertThat(aRestarter.callCount()).as("A never restarted").isEqualTo(aRestarts);
    assertThat(a.layout().current().resolve("VERSION")).as("A never switched")
        .hasContent("1.0.0");

    bResume.countDown();
    assertThat(bTry.get(60, TimeUnit.SECONDS)).isInstanceOf(UpdateResult.Updated.class);
    assertThat(b.layout().current().resolve("VERSION")).hasContent("1.1.0");
    assertThat(bRestarter.callCount()).isEqualTo(bRestarts + 1);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM effects WHERE file = 'V2'")).isEqualTo(1);
    assertThat(JdbcLockStore.create(db).holder()).isEmpty();
  }

  private static Object outcome(Updater updater, Release release) {
    try {
      return updater.install(release);
    } catch (UpdateException e) {
      return e;
    }
  }

  @Test
  void aRunnerKilledMidMigrationLeavesAConsistentHistoryAndTheNextRunAppliesTheFileOnce()
      throws Exception {
    // Kill -9 while a migration's transaction is open.
    String name = "killed_" + System.nanoTime();
    execute(POSTGRES.server().getPostgresDatabase(), "CREATE DATABASE " + name);
    DataSource killedDb = POSTGRES.server().getDatabase("postgres", name);
    execute(killedDb, "CREATE TABLE gate (id INTEGER)");
    Path migrations = Files.createDirectories(dir.resolve("release/migrations"));
    Files.writeString(migrations.resolve("V1__effects.sql"), V1_SQL);
    Files.writeString(migrations.resolve("V2__more.sql"), V2_SQL + "INSERT INTO gate VALUES (2);");
    Process child;
    try (Connection blocker = killedDb.getConnection(); Statement s = blocker.createStatement()) {
      blocker.setAutoCommit(false);
      s.execute("LOCK TABLE gate IN ACCESS EXCLUSIVE MODE"); // V2's second statement waits here
      child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), MigrateMain.class.getName(),
          POSTGRES.server().getJdbcUrl("postgres", name), "postgres", migrations.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("child.log").toFile())
          .start();
      try {
        awaitBlockedInsert(killedDb, name, child, dir.resolve("child.log"));
      } finally {
        child.destroyForcibly(); // SIGKILL: no rollback, no goodbye to the server
        child.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(queryLong(killedDb, "SELECT COUNT(*) FROM updater_schema_history"))
          .as("history after the kill").isEqualTo(1);
      assertThat(queryLong(killedDb, "SELECT COUNT(*) FROM effects")).as("V1 only").isEqualTo(1);
      blocker.rollback();
    }

    // The next run waits for the server to end the dead session's transaction, then applies V2.
    List<String> applied = SqlMigrationRunner.create(killedDb).migrate(migrations);

    assertThat(applied).containsExactly("V2__more.sql");
    assertThat(rows(killedDb, "SELECT version || ' ' || script FROM updater_schema_history"
        + " ORDER BY version")).containsExactly("1 V1__effects.sql", "2 V2__more.sql");
    assertThat(rows(killedDb, "SELECT file FROM effects ORDER BY file"))
        .containsExactly("V1", "V2");
    assertThat(queryLong(killedDb, "SELECT COUNT(*) FROM gate")).isEqualTo(1);
    assertThat(SqlMigrationRunner.create(killedDb).migrate(migrations)).isEmpty();
  }

  @Test
  void aCommitWhoseAnswerIsLostIsFoundInTheHistoryByTheNextRunAndNotAppliedTwice()
      throws Exception {
    // The connection drops right after COMMIT is sent; the server committed.
    Release first = publish(V1, "V1__effects.sql", V1_SQL);
    Release second = publish(V2, "V1__effects.sql", V1_SQL, "V2__more.sql", V2_SQL);
    node("node-a").build().install(first);
    String name = queryString(db, "SELECT current_database()");
    try (CommitCuttingProxy proxy = new CommitCuttingProxy(POSTGRES.server().getPort(),
        "INSERT INTO effects VALUES ('V2')")) {
      PGSimpleDataSource throughProxy = new PGSimpleDataSource();
      throughProxy.setServerNames(new String[] {"127.0.0.1"});
      throughProxy.setPortNumbers(new int[] {proxy.port()});
      throughProxy.setDatabaseName(name);
      throughProxy.setUser("postgres");
      throughProxy.setPrepareThreshold(0); // COMMIT goes out as text every time
      Updater cutOff = node("node-a").migrationRunner(SqlMigrationRunner.create(throughProxy))
          .build();

      assertThatThrownBy(() -> cutOff.install(second))
          .asInstanceOf(type(UpdateException.class))
          .satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
            assertThat(e).hasMessageContaining("1.0.0 is live again");
          });
      assertThat(proxy.cut()).as("the proxy cut a commit").isTrue();
      assertThat(proxy.awaitWithheldAnswer(60, TimeUnit.SECONDS))
          .as("the server answered the commit the client never heard of").isTrue();
    }
    assertThat(rows(db, "SELECT version || ' ' || script FROM updater_schema_history"
        + " ORDER BY version")).as("the server did commit V2")
        .containsExactly("1 V1__effects.sql", "2 V2__more.sql");

    Updater healed = node("node-a").build();
    assertThat(healed.install(second)).isInstanceOf(UpdateResult.Updated.class);

    assertThat(healed.layout().current().resolve("VERSION")).hasContent("1.1.0");
    assertThat(rows(db, "SELECT file FROM effects ORDER BY file")).as("V2 applied once")
        .containsExactly("V1", "V2");
  }

  private static String queryString(DataSource db, String sql) throws Exception {
    return rows(db, sql).get(0);
  }

  /** Waits until the child's V2 transaction is open and blocked on the gate table's lock. */
  private static void awaitBlockedInsert(DataSource db, String name, Process child, Path log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (queryLong(db, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '" + name
        + "' AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO gate%'") == 0) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the child never reached V2's second statement; its output: "
            + Files.readString(log));
      }
      Thread.sleep(20);
    }
  }

  private static List<String> rows(DataSource db, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
