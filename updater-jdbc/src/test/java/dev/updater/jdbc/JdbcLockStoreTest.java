package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.spi.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builder and argument checks of {@link JdbcLockStore}, and what it does without a database. */
class JdbcLockStoreTest {
  @TempDir Path dir;

  @Test
  void aTableNameMustBeAPlainIdentifier() {
    var builder = JdbcLockStore.builder(Fixtures.sqlite(dir.resolve("app.db")));
    for (String bad : new String[] {"", "1locks", "locks; DROP TABLE orders", "app.locks",
        "\"locks\"", "x".repeat(64)}) {
      assertThatThrownBy(() -> builder.table(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain identifier");
    }
    assertThat(builder.table("My_Locks_2").build()).hasToString("JdbcLockStore[My_Locks_2/update]");
  }

  @Test
  void aLockNameMustNotBeBlankOrLong() {
    var builder = JdbcLockStore.builder(Fixtures.sqlite(dir.resolve("app.db")));

    assertThatThrownBy(() -> builder.lockName(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.lockName("x".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBlankOwnerOrATtlBelowAMillisecondIsRefusedBeforeAnyIo() {
    JdbcLockStore store = JdbcLockStore.create(Fixtures.unreachablePostgres());

    assertThatThrownBy(() -> store.tryAcquire(" ", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
    assertThatThrownBy(() -> store.tryAcquire("node-a", Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
  }

  @Test
  void anUnreachableDatabaseIsATypedIoError() {
    JdbcLockStore store = JdbcLockStore.create(Fixtures.unreachablePostgres());

    assertThatThrownBy(() -> store.tryAcquire("node-a", Duration.ofMinutes(1)))
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("cannot connect to the database to take the update lock");
  }

  @Test
  void aLeaseOfAnotherLockNeitherRenewsNorReleasesThisOne() throws Exception {
    JdbcLockStore store = JdbcLockStore.create(Fixtures.sqlite(dir.resolve("app.db")));
    Lease held = store.tryAcquire("node-a", Duration.ofMinutes(1)).orElseThrow();
    Lease forged = new Lease("node-b", held.token(), Instant.EPOCH, Instant.MAX);

    store.release(forged);

    assertThat(store.renew(forged, Duration.ofMinutes(1))).isEmpty();
    assertThat(store.holder()).contains(held);
  }
}
