package dev.updater.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MigrationPipelineTests} on a real PostgreSQL, one server for the class. */
class MigrationPipelinePostgresTest extends MigrationPipelineTests {
  @RegisterExtension
  static final SharedPostgres POSTGRES = new SharedPostgres();

  @Override
  DataSource newDatabase() throws Exception {
    return POSTGRES.freshDatabase();
  }
}
