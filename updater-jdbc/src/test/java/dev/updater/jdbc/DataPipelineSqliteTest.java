package dev.updater.jdbc;

import dev.updater.core.Layout;
import java.nio.file.Files;
import javax.sql.DataSource;

/**
 * {@link DataPipelineTests} on SQLite: the database is a file in the shared {@code data/}
 * directory, so the backup step's copy of {@code data/} is the database's backup (the host stops
 * writing for the update).
 */
class DataPipelineSqliteTest extends DataPipelineTests {
  @Override
  DataSource newDatabase(Layout layout) throws Exception {
    Files.createDirectories(layout.home().resolve("shared/data"));
    return Fixtures.sqlite(layout.home().resolve("shared/data/app.db"));
  }

  @Override
  BackupStep backup(Layout layout) {
    return BackupStep.of(layout, "data");
  }
}
