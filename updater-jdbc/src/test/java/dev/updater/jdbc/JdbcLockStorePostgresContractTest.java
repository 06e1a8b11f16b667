package dev.updater.jdbc;

import dev.updater.core.spi.LockStore;
import dev.updater.testkit.LockStoreContract;
import dev.updater.testkit.MutableClock;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The LockStore contract on a real PostgreSQL, a fresh database per test, every handle a separate
 * store with its own connections (as separate nodes). Time passes by ageing the rows
 * ({@link LockRows}): the store reads only the database clock.
 */
class JdbcLockStorePostgresContractTest extends LockStoreContract {
  @RegisterExtension
  static final SharedPostgres POSTGRES = new SharedPostgres();
  DataSource db;

  @Override
  protected LockStore createLockStore(MutableClock clock) throws Exception {
    db = POSTGRES.freshDatabase();
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
