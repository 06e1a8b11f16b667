package dev.updater.snippets.pages;

import dev.updater.core.Layout;
import dev.updater.core.Updater;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.jdbc.BackupStep;
import java.nio.file.Path;
import java.time.Duration;

/** The Java blocks of docs/backups.md. */
final class BackupsSnippets {
  ReleaseSource source;

  void backups_before_every_update() throws Exception {
    // tag::backups-before-every-update[]
    Layout layout = Layout.of(Path.of("/opt/myapp"));
    Updater updater = Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.builder(layout).shared("data", "config").build())
        .guard(BackupStep.of(layout, "data"))           // keeps the newest 5
        .build();

    BackupStep.builder(layout)
        .paths("data", "config")
        .keep(10)
        .dumpCommand("sh", "-c", "pg_dump -Fc \"$DATABASE_URL\" > \"$UPDATER_BACKUP_DIR/db.dump\"")
        .restoreCommand("sh", "-c",
            "pg_restore --clean --if-exists -d \"$DATABASE_URL\" \"$UPDATER_BACKUP_DIR/db.dump\"")
        .commandTimeout(Duration.ofMinutes(30))
        .build();
    // end::backups-before-every-update[]
  }
}
