package dev.updater.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Test-only time travel for {@link JdbcLockStore}, whose times come from the database clock: moves
 * every stored time of the lock table back by a duration, which is, for the store, exactly that
 * much time passing. Then waits 2 ms so that the database clock has ticked past any time already
 * handed out.
 */
final class LockRows {
  private LockRows() {}

  static void age(DataSource dataSource, Duration duration) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("UPDATE " + JdbcLockStore.DEFAULT_TABLE
            + " SET acquired_at = acquired_at - ?, expires_at = expires_at - ?")) {
      s.setLong(1, duration.toMillis());
      s.setLong(2, duration.toMillis());
      s.executeUpdate();
    }
    Thread.sleep(2);
  }
}
