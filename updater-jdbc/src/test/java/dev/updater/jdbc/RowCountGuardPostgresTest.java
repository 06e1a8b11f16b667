package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RowCountGuardPostgresTest extends RowCountGuardTests {
  static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  DataSource newDatabase() throws Exception {
    return Fixtures.freshDatabase(postgres);
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
