package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class RowCountGuardBuilderTest {
  final DataSource db = Fixtures.sqlite(Path.of("unused.db"));

  @Test
  void aGuardWithNothingToCountIsRefusedNamingWhatToAdd() {
    assertThatThrownBy(() -> RowCountGuard.builder(db).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("table(...) or query(name, sql)");
    assertThatThrownBy(() -> RowCountGuard.tables(db))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void blankNamesAreRefused() {
    assertThatThrownBy(() -> RowCountGuard.tables(db, " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    assertThatThrownBy(() -> RowCountGuard.builder(db).query("paid", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
  }

  @Test
  void aNameGuardedTwiceIsRefused() {
    assertThatThrownBy(() -> RowCountGuard.builder(db).table("orders").query("orders", "SELECT 1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("guarded twice");
  }

  @Test
  void nullsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> RowCountGuard.builder(null))
        .isInstanceOf(NullPointerException.class).hasMessage("dataSource");
    assertThatThrownBy(() -> RowCountGuard.tables(db, "orders", null))
        .isInstanceOf(NullPointerException.class).hasMessage("table");
  }

  @Test
  void buildingDoesNoIo() {
    assertThat(RowCountGuard.tables(Fixtures.unreachablePostgres(), "orders"))
        .hasToString("RowCountGuard[orders]");
  }
}
