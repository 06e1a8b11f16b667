package dev.updater.jdbc;

import dev.updater.core.spi.LockStore;
import dev.updater.testkit.LockStoreContract;
import dev.updater.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LockStore contract on a SQLite file, every handle with its own connections. Time passes by
 * ageing the rows ({@link LockRows}): the store reads only the database clock.
 */
class JdbcLockStoreSqliteContractTest extends LockStoreContract {
  @TempDir Path dir;
  DataSource db;

  @Override
  protected LockStore createLockStore(MutableClock clock) throws Exception {
    db = Fixtures.sqlite(dir.resolve("app.db"));
    // The host's database exists before its lock is used: SQLite connections racing to create
    // the file itself fail with SQLITE_READONLY_DBMOVED now and then (the lock table is still
    // created by the racers).
    Fixtures.execute(db, "CREATE TABLE app_data (id INTEGER)");
    return JdbcLockStore.create(db);
  }

  @Override
  protected LockStore anotherHandle(LockStore store, MutableClock clock) {
    return JdbcLockStore.create(db);
  }

  @Override
  protected void elapse(Duration duration) throws Exception {
    LockRows.age(db, duration);
  }
}
