package dev.updater.jdbc;

import dev.updater.core.spi.LockStore;
import dev.updater.testkit.LockStoreContract;
import dev.updater.testkit.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The LockStore contract on a real PostgreSQL, a fresh database per test, every handle a separate
 * store with its own connections (as separate nodes). Time passes by ageing the rows
 * ({@link LockRows}): the store reads only the database clock.
 */
class JdbcLockStorePostgresContractTest extends LockStoreContract {
  static EmbeddedPostgres postgres;
  DataSource db;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  protected LockStore createLockStore(MutableClock clock) throws Exception {
    db = Fixtures.freshDatabase(postgres);
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
