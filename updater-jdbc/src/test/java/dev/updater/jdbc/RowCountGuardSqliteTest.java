package dev.updater.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

class RowCountGuardSqliteTest extends RowCountGuardTests {
  @TempDir Path dir;

  @Override
  DataSource newDatabase() {
    return Fixtures.sqlite(dir.resolve("app.db"));
  }
}
