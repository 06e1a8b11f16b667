package dev.updater.jdbc;

import javax.sql.DataSource;

class SqlMigrationRunnerSqliteTest extends SqlMigrationRunnerTests {
  @Override
  DataSource newDatabase() {
    return Fixtures.sqlite(dir.resolve("app.db"));
  }
}
