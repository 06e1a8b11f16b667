package dev.updater.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link MigrationPipelineTests} on a real PostgreSQL, one server for the class. */
class MigrationPipelinePostgresTest extends MigrationPipelineTests {
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
}
