package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
}
