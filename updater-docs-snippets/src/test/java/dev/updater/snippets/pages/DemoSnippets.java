package dev.updater.snippets.pages;

import com.sun.net.httpserver.HttpServer;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.examples.app.AppDatabase;
import dev.updater.jdbc.BackupStep;
import dev.updater.jdbc.DatabaseCompatibilityGate;
import dev.updater.jdbc.RowCountGuard;
import dev.updater.jdbc.SqlMigrationRunner;
import dev.updater.systemd.ExitRestarter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The Java blocks of docs/demo.md. */
final class DemoSnippets {
  Path home;
  String updateServer;
  Path publicKeyFile;
  Release release;
  int port;
  HttpServer server;

  /** The example application's own event log, as in its source. */
  static final class ExampleApp {
    private ExampleApp() {}

    static void log(UpdateEvent event) {
      System.out.println(event);
    }
  }

  void the_wiring_the_reference() throws Exception {
    // tag::wiring[]
    AppDatabase database = AppDatabase.open(home);           // home/shared/data/app.db, WAL, busy timeout
    Updater updater = Updater.builder()
        .home(home)
        .source(HttpReleaseSource.builder(URI.create(updateServer))
            .trustedKeys(TrustedKeys.read(publicKeyFile)).build())   // only a signed index is read
        .activator(SymlinkActivator.builder(Layout.of(home)).shared("data", "logs").build())
        .gate(DatabaseCompatibilityGate.of(database.dataSource()))  // INCOMPATIBLE -> 409
        .migrationRunner(SqlMigrationRunner.create(database.dataSource()))   // <release>/migrations
        .guard(BackupStep.of(Layout.of(home), "data"))       // copy of shared/data, put back on failure
        .guard(RowCountGuard.tables(database.dataSource(), "orders"))        // DATA_LOSS -> reverted
        .runningVersion(release.version())                       // from the release, baked in
        .restarter(ExitRestarter.withDefaultCode())              // exit 75; the supervisor restarts
        .healthCheck(HttpHealthCheck.builder(URI.create("http://127.0.0.1:" + port + "/api/health"))
            .versionField("version")                             // an old process cannot pass for new
            .interval(Duration.ofMillis(250)).timeout(Duration.ofSeconds(5)).build())
        .confirmationTimeout(Duration.ofSeconds(60))
        .listener(ExampleApp::log)
        .build();
    UpdateAdmin admin = UpdateAdmin.of(updater);

    server.start();                        // serve first: confirm() calls our own /api/health
    UpdateStatus s = updater.confirm();    // confirms (or rolls back) the release we restarted into
    // end::wiring[]
  }
}
