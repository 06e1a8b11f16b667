package dev.updater.jdbc;

import javax.sql.DataSource;

/** {@link MigrationPipelineTests} on a SQLite file. */
class MigrationPipelineSqliteTest extends MigrationPipelineTests {
  @Override
  DataSource newDatabase() {
    return Fixtures.sqlite(dir.resolve("app.db"));
  }
}
