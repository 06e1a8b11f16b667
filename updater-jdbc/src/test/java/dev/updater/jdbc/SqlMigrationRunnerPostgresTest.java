package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SqlMigrationRunnerPostgresTest extends SqlMigrationRunnerTests {
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
  void runsAFunctionWhoseDollarQuotedBodyHoldsSemicolons() throws Exception {
    file("V1__function.sql", "CREATE FUNCTION twice(n INTEGER) RETURNS INTEGER AS $body$\n"
        + "BEGIN\n  RETURN n * 2; -- a semicolon inside\nEND;\n$body$ LANGUAGE plpgsql;\n"
        + "CREATE FUNCTION one() RETURNS INTEGER AS $$ SELECT 1; $$ LANGUAGE sql;");

    SqlMigrationRunner.create(db).migrate(migrations);

    assertThat(Fixtures.queryLong(db, "SELECT twice(21) + one()")).isEqualTo(43);
  }

  @Test
  void aStatementThatCannotRunInATransactionIsRefusedClearlyAndTheFileRollsBack()
      throws Exception {
    // Catalogue 42's variant: CREATE INDEX CONCURRENTLY is not supported inside a file.
    file("V1__orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, paid INTEGER);\n"
        + "CREATE INDEX CONCURRENTLY orders_paid ON orders (paid);");

    assertThatThrownBy(() -> SqlMigrationRunner.create(db).migrate(migrations))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("V1__orders.sql failed in statement 2 of 2 (line 2)")
        .hasMessageContaining("CREATE INDEX CONCURRENTLY cannot run inside a transaction block");

    assertThat(tableExists("orders")).isFalse();
    assertThat(Fixtures.queryLong(db, "SELECT COUNT(*) FROM updater_schema_history")).isZero();
  }
}
