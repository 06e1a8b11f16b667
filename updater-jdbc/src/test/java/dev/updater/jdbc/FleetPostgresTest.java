package dev.updater.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class FleetPostgresTest extends FleetTests {
  @RegisterExtension
  static final SharedPostgres POSTGRES = new SharedPostgres();

  @Override
  DataSource newDatabase() throws Exception {
    return POSTGRES.freshDatabase();
  }
}
