package dev.updater.snippets.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.*;
import dev.updater.core.activate.*;
import dev.updater.core.admin.*;
import dev.updater.core.command.*;
import dev.updater.core.confirm.*;
import dev.updater.core.repository.*;
import dev.updater.core.source.*;
import dev.updater.core.source.github.*;
import dev.updater.core.spi.*;
import dev.updater.core.stage.*;
import dev.updater.core.trust.*;
import dev.updater.jdbc.*;
import dev.updater.systemd.*;
import dev.updater.testkit.*;
import java.io.*;
import java.net.*;
import java.net.http.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import javax.sql.DataSource;

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
