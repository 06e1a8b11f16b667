package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RowCountGuardPostgresTest extends RowCountGuardTests {
  @RegisterExtension
  static final SharedPostgres POSTGRES = new SharedPostgres();

  @Override
  DataSource newDatabase() throws Exception {
    return POSTGRES.freshDatabase();
  }

  @Test
  void detectsPostgresql() throws Exception {
    assertThat(DatabaseProvider.detect(db)).isEqualTo(DatabaseProvider.POSTGRESQL);
  }

  @Test
  void findsATableInANamedSchema() throws Exception {
    Fixtures.execute(db, "CREATE SCHEMA audit", "CREATE TABLE audit.events (id INTEGER)",
        "INSERT INTO audit.events VALUES (1), (2)");

    assertThat(RowCountGuard.tables(db, "audit.events", "orders").counts())
        .containsEntry("audit.events", 2L).containsEntry("orders", 10L);
  }
}
