package dev.updater.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.updater.core.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DataPipelineTests} on a real PostgreSQL, backed up and restored by the real
 * {@code pg_dump} and {@code pg_restore} (Debian's postgresql-client, which {@code .ci/run}
 * installs) through the backup step's dump and restore commands.
 */
class DataPipelinePostgresTest extends DataPipelineTests {
  @RegisterExtension
  static final SharedPostgres POSTGRES = new SharedPostgres();
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private String url;

  @Override
  DataSource newDatabase(Layout layout) throws Exception {
    for (String tool : new String[] {"pg_dump", "pg_restore"}) {
      assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), tool + " is not installed; "
          + ".ci/run installs it (apt-get install -y postgresql-client)");
    }
    String name = "pipeline_" + DATABASES.incrementAndGet();
    Fixtures.execute(POSTGRES.server().getPostgresDatabase(), "CREATE DATABASE " + name);
    url = "postgresql://postgres@127.0.0.1:" + POSTGRES.server().getPort() + "/" + name;
    return POSTGRES.server().getDatabase("postgres", name);
  }

  @Override
  BackupStep backup(Layout layout) {
    return BackupStep.builder(layout)
        .paths("data")
        .dumpCommand("sh", "-c",
            "pg_dump --format=custom --file=\"$UPDATER_BACKUP_DIR/db.dump\" '" + url + "'")
        .restoreCommand("sh", "-c", "pg_restore --clean --if-exists --single-transaction"
            + " --dbname='" + url + "' \"$UPDATER_BACKUP_DIR/db.dump\"")
        .build();
  }
}
