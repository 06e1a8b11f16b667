package dev.updater.jdbc;

import javax.sql.DataSource;

class FleetSqliteTest extends FleetTests {
  @Override
  DataSource newDatabase() {
    return Fixtures.sqlite(dir.resolve("fleet.db"));
  }
}
