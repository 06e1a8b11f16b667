package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.MigrationRunner;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.MutableClock;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BackupStep}: a backup before every update, put back when the update fails later. */
class BackupStepTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @TempDir Path dir;
  Layout layout;
  Path data;
  InMemoryReleaseSource source;
  Release first;
  Release second;

  @BeforeEach
  void install() throws Exception {
    layout = Layout.of(dir.resolve("home"));
    data = Files.createDirectories(layout.shared().resolve("data"));
    Files.writeString(data.resolve("app.db"), "orders: 1, 2, 3");
    Files.createDirectories(data.resolve("uploads/2024"));
    Files.write(data.resolve("uploads/2024/photo.bin"), new byte[] {0, 1, 2, (byte) 255});
    Files.writeString(data.resolve("settings.json"), "{\"theme\":\"dark\"}");
    Files.setLastModifiedTime(data.resolve("settings.json"),
        FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    source = InMemoryReleaseSource.create();
    first = source.publish(V1, Fixtures.archive("1.0.0"));
    second = source.publish(V2, Fixtures.archive("1.1.0"));
  }

  Updater updater(BackupStep backup, MigrationRunner runner) {
    return Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.builder(layout).shared("data").build())
        .guard(backup)
        .migrationRunner(runner)
        .build();
  }

  @Test
  void filesThatComeAndGoWhileTheBackupRunsAreLeftOutInsteadOfFailingTheUpdate() throws Exception {
    // SQLite in WAL mode creates app.db-wal and app.db-shm when a connection opens and deletes
    // them when the last one closes: a live application does so many times a second
    String url = "jdbc:sqlite:" + data.resolve("live.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE hits (n INTEGER)");
    }
    AtomicBoolean serving = new AtomicBoolean(true);
    Thread traffic = new Thread(() -> {
      while (serving.get()) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
          s.execute("INSERT INTO hits VALUES (1)");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    traffic.start();
    BackupStep backups = BackupStep.builder(layout).paths("data").keep(2).build();
    try {
      for (int i = 0; i < 200; i++) {
        Path backup = backups.backup("live-" + i);
        assertThat(backup.resolve("shared/data/live.db")).isRegularFile();
        assertThat(backup.resolve("shared/data/settings.json")).hasContent("{\"theme\":\"dark\"}");
      }
    } finally {
      serving.set(false);
      traffic.join();
    }
  }

  @Test
  void aFailingMigrationLeavesTheDataDirectoryAsTheBackupHeldItByteForByte() throws Exception {
    Updater updater = updater(BackupStep.of(layout, "data"), ctx -> {
      if (ctx.to().equals(V2)) {
        Path live = ctx.releaseDir().resolve("data"); // the link into shared/data
        Files.writeString(live.resolve("app.db"), "orders: 1, 2"); // changed in place
        Files.delete(live.resolve("uploads/2024/photo.bin")); // deleted
        Files.writeString(live.resolve("new-cache.tmp"), "added"); // added
        Files.createDirectories(live.resolve("added/dir"));
        throw new IllegalStateException("migration 7 failed half way");
      }
    });
    updater.install(first);
    Map<String, String> before = tree(data);

    assertThatThrownBy(() -> updater.install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.step()).contains(Step.MIGRATE);
          assertThat(e).hasMessageContaining("migration 7 failed half way")
              .hasMessageContaining("1.0.0 is live");
        });

    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/1.0.0");
    assertThat(tree(data)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(data.resolve("settings.json")))
        .isEqualTo(FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    assertThat(Files.readString(layout.current().resolve("data/app.db")))
        .isEqualTo("orders: 1, 2, 3");
    assertThat(layout.shared()).isDirectoryNotContaining("glob:**/.*");
  }

  @Test
  void aSuccessfulUpdateKeepsItsBackupUnderTheHomeNamedByTimeAndVersion() throws Exception {
    BackupStep backup = BackupStep.of(layout, "data");
    updater(backup, MigrationRunner.NONE).install(first);
    Files.writeString(data.resolve("app.db"), "orders: 1, 2, 3, 4");
    updater(backup, MigrationRunner.NONE).install(second);

    assertThat(backup.backups()).hasSize(2);
    Path last = backup.backups().get(1);
    assertThat(last.getParent()).isEqualTo(layout.home().resolve("backups"));
    assertThat(last.getFileName().toString()).matches("\\d{8}T\\d{6}\\.\\d{3}Z-1\\.1\\.0");
    assertThat(tree(last.resolve("shared/data"))).isEqualTo(tree(data));
  }

  @Test
  void keepsOnlyTheNewestBackups() throws Exception {
    MutableClock clock = MutableClock.at(Instant.parse("2024-05-01T10:00:00Z"));
    BackupStep backup = BackupStep.builder(layout).paths("data").keep(3).clock(clock).build();
    for (int i = 1; i <= 5; i++) {
      backup.backup("1.0." + i);
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(backup.backups()).extracting(p -> p.getFileName().toString())
        .containsExactly("20240501T100200.000Z-1.0.3", "20240501T100300.000Z-1.0.4",
            "20240501T100400.000Z-1.0.5");
  }

  @Test
  void aFailingDumpCommandStopsTheUpdateBeforeActivationAndLeavesNoHalfBackup()
      throws Exception {
    BackupStep failing = BackupStep.builder(layout).paths("data")
        .dumpCommand("sh", "-c", "echo 'pg_dump: connection refused'; exit 1").build();
    updater(BackupStep.of(layout, "data"), MigrationRunner.NONE).install(first);

    assertThatThrownBy(() -> updater(failing, MigrationRunner.NONE).install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.step()).contains(Step.BACKUP);
          assertThat(e).hasMessageContaining("pg_dump: connection refused");
        });

    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/1.0.0");
    try (Stream<Path> backups = Files.list(layout.home().resolve("backups"))) {
      assertThat(backups).hasSize(1).allMatch(p -> p.getFileName().toString().endsWith("1.0.0"));
    }
  }

  @Test
  void runsTheDumpCommandIntoTheBackupAndTheRestoreCommandFromIt() throws Exception {
    Path database = Files.writeString(dir.resolve("db.txt"), "database before");
    BackupStep backup = BackupStep.builder(layout).paths("data")
        .dumpCommand("sh", "-c", "cp '" + database + "' \"$UPDATER_BACKUP_DIR/db.dump\"")
        .restoreCommand("sh", "-c", "cp \"$UPDATER_BACKUP_DIR/db.dump\" '" + database + "'")
        .build();
    Updater updater = updater(backup, ctx -> {
      if (ctx.to().equals(V2)) {
        Files.writeString(database, "database half migrated");
        throw new IllegalStateException("boom");
      }
    });
    updater.install(first);

    assertThatThrownBy(() -> updater.install(second)).isInstanceOf(UpdateException.class);

    assertThat(Files.readString(database)).isEqualTo("database before");
    assertThat(backup.backups().get(1).resolve("db.dump")).hasContent("database before");
  }

  @Test
  void restoresAPathThatDidNotExistByRemovingIt() throws Exception {
    BackupStep backup = BackupStep.of(layout, "data", "cache");
    Path saved = backup.backup("1.0.0");
    Files.createDirectories(layout.shared().resolve("cache")).resolve("x");
    Files.writeString(layout.shared().resolve("cache/x"), "new");

    backup.restore(saved);

    assertThat(layout.shared().resolve("cache")).doesNotExist();
  }

  @Test
  void theBuilderRefusesPathsOutsideSharedAndNothingToBackUp() {
    assertThatThrownBy(() -> BackupStep.of(layout, "../etc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupStep.of(layout, "/data"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupStep.builder(layout).keep(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupStep.builder(layout).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("backs up nothing");
  }

  /** Every entry under {@code root}: directories as "dir", files as their bytes, links as targets. */
  static Map<String, String> tree(Path root) throws Exception {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        String key = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          entries.put(key, "link " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(key, "dir");
        } else {
          entries.put(key, Arrays.toString(Files.readAllBytes(p)));
        }
      }
    }
    return entries;
  }
}
