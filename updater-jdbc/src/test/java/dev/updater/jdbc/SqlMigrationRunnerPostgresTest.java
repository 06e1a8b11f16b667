package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqlMigrationRunnerPostgresTest extends SqlMigrationRunnerTests {
  @RegisterExtension
  static final SharedPostgres POSTGRES = new SharedPostgres();

  @Override
  DataSource newDatabase() throws Exception {
    return POSTGRES.freshDatabase();
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
    // CREATE INDEX CONCURRENTLY cannot run inside the transaction a migration file gets.
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
