package dev.updater.jdbc;

import static dev.updater.jdbc.Fixtures.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.testkit.InMemoryReleaseSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On SQLite: a migration that deletes rows is reverted as DATA_LOSS. */
class RowCountGuardUpdateFlowTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @TempDir Path dir;

  @Test
  void aMigrationThatDeletesAGuardedRowFailsWithDataLossAndPutsTheOldReleaseBack()
      throws Exception {
    DataSource db = Fixtures.sqlite(dir.resolve("app.db"));
    Fixtures.tableWithRows(db, "orders", 10);
    Fixtures.tableWithRows(db, "samples", 4);
    Layout layout = Layout.of(dir.resolve("home"));
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    Release first = source.publish(V1, Fixtures.archive("1.0.0"));
    Release second = source.publish(V2, Fixtures.archive("1.1.0"));
    Updater updater = Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.create(layout))
        .migrationRunner(ctx -> {
          if (ctx.to().equals(V2)) {
            execute(db, "DELETE FROM orders WHERE id = 3");
          }
        })
        .guard(RowCountGuard.tables(db, "orders", "samples"))
        .build();
    updater.install(first);
    Map<Integer, String> before = rows(db, "orders");

    assertThatThrownBy(() -> updater.install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.DATA_LOSS);
          assertThat(e.step()).contains(Step.MIGRATE);
          assertThat(e).hasMessageContaining("orders 10 -> 9").hasMessageContaining("1.0.0 is live");
        });

    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/1.0.0");
    assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.0.0");
    Map<Integer, String> remaining = new LinkedHashMap<>(before);
    remaining.remove(3);
    assertThat(rows(db, "orders")).as("the rows the migration left").isEqualTo(remaining);
    assertThat(Fixtures.queryLong(db, "SELECT COUNT(*) FROM samples")).isEqualTo(4);
    UpdateStatus status = updater.status();
    assertThat(status.state()).isEqualTo(UpdateStatus.State.FAILED);
    assertThat(status.error()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(Reason.DATA_LOSS);
      assertThat(f.message()).contains("orders 10 -> 9");
    });
  }

  private static Map<Integer, String> rows(DataSource db, String table) throws Exception {
    Map<Integer, String> rows = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT id, note FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.put(rs.getInt(1), rs.getString(2));
      }
    }
    return rows;
  }
}
