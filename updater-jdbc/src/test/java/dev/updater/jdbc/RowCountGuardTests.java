package dev.updater.jdbc;

import static dev.updater.jdbc.Fixtures.execute;
import static dev.updater.jdbc.Fixtures.queryLong;
import static dev.updater.jdbc.Fixtures.tableWithRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.Version;
import dev.updater.core.spi.DataLossException;
import dev.updater.core.spi.DataLossException.Loss;
import dev.updater.core.spi.MigrationGuard;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link RowCountGuard}, run against each real database by a subclass: counts that
 * drop are data loss, counts that grow are not, and names that are not tables never become SQL.
 */
abstract class RowCountGuardTests {
  static final UpdateContext CONTEXT = new UpdateContext(Operation.INSTALL, Step.BACKUP,
      Optional.of(Version.parse("1.0.0")), Version.parse("1.1.0"), Layout.of(Path.of("/opt/app")),
      Path.of("/opt/app/releases/1.1.0"));

  DataSource db;

  /** An empty database of the kind under test, new for each test. */
  abstract DataSource newDatabase() throws Exception;

  @BeforeEach
  void tablesOfOrdersAndSamples() throws Exception {
    db = newDatabase();
    tableWithRows(db, "orders", 10);
    tableWithRows(db, "samples", 5);
  }

  @Test
  void aDropInACountIsDataLossNamingTheTableWithBeforeAndAfter() throws Exception {
    MigrationGuard.Check check = RowCountGuard.tables(db, "orders", "samples").snapshot(CONTEXT);
    execute(db, "DELETE FROM orders WHERE id = 3");

    assertThatThrownBy(check::verify)
        .asInstanceOf(type(DataLossException.class))
        .satisfies(e -> {
          assertThat(e.losses()).containsExactly(new Loss("orders", 10, 9));
          assertThat(e).hasMessageContaining("orders 10 -> 9");
        });
  }

  @Test
  void everyTableWhoseCountDroppedIsListed() throws Exception {
    MigrationGuard.Check check = RowCountGuard.tables(db, "orders", "samples").snapshot(CONTEXT);
    execute(db, "DELETE FROM orders WHERE id > 8", "DELETE FROM samples");

    assertThatThrownBy(check::verify)
        .asInstanceOf(type(DataLossException.class))
        .extracting(DataLossException::losses)
        .isEqualTo(java.util.List.of(new Loss("orders", 10, 8), new Loss("samples", 5, 0)));
  }

  @Test
  void countsThatGrowOrStayAreFine() throws Exception {
    MigrationGuard.Check check = RowCountGuard.tables(db, "orders", "samples").snapshot(CONTEXT);
    execute(db, "INSERT INTO orders (id, note) VALUES (11, 'new')",
        "CREATE TABLE studies (id INTEGER PRIMARY KEY)");

    assertThatCode(check::verify).doesNotThrowAnyException();
  }

  @Test
  void anUnknownTableIsAnErrorAtSnapshotTimeListingTheTablesThatExist() {
    RowCountGuard guard = RowCountGuard.tables(db, "orders", "ordrs");

    assertThatThrownBy(() -> guard.snapshot(CONTEXT))
        .asInstanceOf(type(UnknownTableException.class))
        .satisfies(e -> {
          assertThat(e.table()).isEqualTo("ordrs");
          assertThat(e.getMessage()).contains("no table 'ordrs'", "orders", "samples");
        });
  }

  @Test
  void aNameThatIsSqlIsRefusedAndNeverRun() throws Exception {
    RowCountGuard guard = RowCountGuard.tables(db, "orders; DROP TABLE samples");

    assertThatThrownBy(() -> guard.snapshot(CONTEXT)).isInstanceOf(UnknownTableException.class);
    assertThat(queryLong(db, "SELECT COUNT(*) FROM samples")).isEqualTo(5);
  }

  @Test
  void aNameDifferingOnlyInCaseFindsTheTable() throws Exception {
    assertThat(RowCountGuard.tables(db, "ORDERS").counts()).containsEntry("ORDERS", 10L);
  }

  @Test
  void aNameThatNeedsQuotingIsQuotedFromTheMetadata() throws Exception {
    execute(db, "CREATE TABLE \"order \"\"items\"\"\" (id INTEGER)",
        "INSERT INTO \"order \"\"items\"\"\" (id) VALUES (1)");

    assertThat(RowCountGuard.tables(db, "order \"items\"").counts())
        .containsEntry("order \"items\"", 1L);
  }

  @Test
  void aGuardedTableThatTheMigrationDropsCountsAsEmpty() throws Exception {
    MigrationGuard.Check check = RowCountGuard.tables(db, "orders").snapshot(CONTEXT);
    execute(db, "DROP TABLE orders");

    assertThatThrownBy(check::verify)
        .asInstanceOf(type(DataLossException.class))
        .extracting(DataLossException::losses)
        .isEqualTo(java.util.List.of(new Loss("orders", 10, 0)));
  }

  @Test
  void aCountQueryIsGuardedUnderItsName() throws Exception {
    RowCountGuard guard = RowCountGuard.builder(db)
        .table("samples")
        .query("late orders", "SELECT COUNT(*) FROM orders WHERE id > 5")
        .build();
    MigrationGuard.Check check = guard.snapshot(CONTEXT);
    execute(db, "DELETE FROM orders WHERE id = 7");

    assertThatThrownBy(check::verify)
        .asInstanceOf(type(DataLossException.class))
        .extracting(DataLossException::losses)
        .isEqualTo(java.util.List.of(new Loss("late orders", 5, 4)));
  }

  @Test
  void anUnreachableDatabaseFailsTheSnapshotWithATypedError() {
    RowCountGuard guard = RowCountGuard.tables(Fixtures.unreachablePostgres(), "orders");

    assertThatThrownBy(() -> guard.snapshot(CONTEXT))
        .isInstanceOf(DatabaseUnavailableException.class);
  }
}
