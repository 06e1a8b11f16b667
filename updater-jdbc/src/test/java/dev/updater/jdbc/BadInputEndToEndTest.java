package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.core.spi.MigrationRunner;
import dev.updater.testkit.InMemoryReleaseSource;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the real {@link Updater} on real disk: an unknown guarded table, a
 * database that cannot be reached, a migration command that does not exist or runs too long. Each
 * is a typed error before anything is activated, or a full revert (code and shared data) after.
 */
class BadInputEndToEndTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @TempDir Path dir;
  DataSource db;
  Layout layout;
  InMemoryReleaseSource source;
  Release first;
  Release second;
  final AtomicInteger migrations = new AtomicInteger();
  final MigrationRunner countingRunner = ctx -> migrations.incrementAndGet();

  @BeforeEach
  void liveOnFirstRelease() throws Exception {
    db = Fixtures.sqlite(dir.resolve("app.db"));
    Fixtures.tableWithRows(db, "orders", 3);
    layout = Layout.of(dir.resolve("home"));
    Files.createDirectories(layout.shared().resolve("data"));
    Files.writeString(layout.shared().resolve("data/app.state"), "state before the update");
    source = InMemoryReleaseSource.create();
    first = source.publish(V1, Fixtures.archive("1.0.0"));
    second = source.publish(V2, Fixtures.archive("1.1.0"));
    updater(MigrationRunner.NONE, RowCountGuard.tables(db, "orders")).install(first);
  }

  Updater updater(MigrationRunner runner, MigrationGuard guard) {
    return Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.builder(layout).shared("data").build())
        .migrationRunner(runner)
        .guard(guard)
        .build();
  }

  @Test
  void anUnknownTableInTheGuardStopsTheUpdateBeforeActivationAndNoMigrationRuns()
      throws Exception {
    Updater updater = updater(countingRunner, RowCountGuard.tables(db, "orders", "ordrs"));

    assertThatThrownBy(() -> updater.install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.step()).contains(Step.BACKUP);
          assertThat(e.getCause()).asInstanceOf(type(UnknownTableException.class))
              .extracting(UnknownTableException::table).isEqualTo("ordrs");
          assertThat(e).hasMessageContaining("no table 'ordrs'").hasMessageContaining("orders");
        });

    assertNothingActivated();
    assertThat(migrations).hasValue(0);
  }

  @Test
  void aGuardWhoseDatabaseCannotBeReachedStopsTheUpdateBeforeActivation() throws Exception {
    Updater updater = updater(countingRunner,
        RowCountGuard.tables(Fixtures.unreachablePostgres(), "orders"));

    assertThatThrownBy(() -> updater.install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.step()).contains(Step.BACKUP);
          assertThat(e.getCause()).isInstanceOf(DatabaseUnavailableException.class);
          assertThat(e).hasMessageContaining("cannot connect to the database");
        });

    assertNothingActivated();
    assertThat(migrations).hasValue(0);
  }

  @Test
  void aLockStoreWhoseDatabaseCannotBeReachedStopsTheUpdateBeforeAnyDownload() throws Exception {
    Updater updater = Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.builder(layout).shared("data").build())
        .lockStore(JdbcLockStore.create(Fixtures.unreachablePostgres()))
        .migrationRunner(countingRunner)
        .build();
    int opened = source.openCount();

    assertThatThrownBy(() -> updater.install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.IO_ERROR);
          assertThat(e).hasMessageContaining("cannot take the update lock")
              .hasMessageContaining("cannot connect to the database");
        });

    assertThat(source.openCount()).as("artifacts opened").isEqualTo(opened);
    assertLive(V1);
    assertThat(migrations).hasValue(0);
  }

  @Test
  void aMigrationRunnerWhoseDatabaseCannotBeReachedFailsAfterActivationAndIsFullyReverted()
      throws Exception {
    Updater updater = updater(SqlMigrationRunner.create(Fixtures.unreachablePostgres()),
        BackupStep.of(layout, "data"));

    assertThatThrownBy(() -> updater.install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
          assertThat(e.step()).contains(Step.MIGRATE);
          assertThat(e.getCause()).isInstanceOf(DatabaseUnavailableException.class);
          assertThat(e).hasMessageContaining("cannot connect to the database")
              .hasMessageContaining("1.0.0 is live again");
        });

    assertLive(V1);
    assertThat(updater.status().state()).isEqualTo(UpdateStatus.State.FAILED);
  }

  @Test
  void aMigrationCommandThatDoesNotExistFailsAndTheActivationIsReverted() throws Exception {
    Updater updater = updater(CommandMigrationRunner.of("no-such-migrate-tool", "deploy"),
        BackupStep.of(layout, "data"));

    assertThatThrownBy(() -> updater.install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
          assertThat(e.getCause()).isInstanceOf(MigrationException.class);
          assertThat(e).hasMessageContaining("cannot start 'no-such-migrate-tool deploy'")
              .hasMessageContaining("1.0.0 is live again");
        });

    assertLive(V1);
    assertThat(layout.shared().resolve("data/app.state")).hasContent("state before the update");
  }

  @Test
  void aMigrationCommandThatTimesOutIsKilledAndCodeAndDataAreReverted() throws Exception {
    Updater updater = updater(CommandMigrationRunner.builder("sh", "-c",
            "echo half-migrated > data/app.state; echo started; sleep 30")
            .timeout(Duration.ofMillis(500)).build(),
        BackupStep.of(layout, "data"));

    assertThatThrownBy(() -> updater.install(second))
        .asInstanceOf(type(UpdateException.class))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED);
          assertThat(e).hasMessageContaining("did not finish within PT0.5S and was killed")
              .hasMessageContaining("1.0.0 is live again");
        });

    assertLive(V1);
    assertThat(layout.shared().resolve("data/app.state")).as("restored from the backup")
        .hasContent("state before the update");
  }

  void assertNothingActivated() throws Exception {
    assertLive(V1);
    assertThat(Fixtures.queryLong(db, "SELECT COUNT(*) FROM orders")).isEqualTo(3);
    assertThat(layout.shared().resolve("data/app.state")).hasContent("state before the update");
    assertThat(Files.exists(layout.release(V2), LinkOption.NOFOLLOW_LINKS))
        .as("the staged release is removed").isFalse();
  }

  void assertLive(Version version) throws Exception {
    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/" + version);
    assertThat(layout.current().resolve("VERSION")).hasContent(version.toString());
  }
}
