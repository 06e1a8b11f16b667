package dev.updater.examples.app;

import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.Layout;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.Updater;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.jdbc.DatabaseCompatibilityGate;
import dev.updater.jdbc.SqlMigrationRunner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The example application's updater wiring, shared by the application and the demo's first
 * install: a signed update repository read over HTTP (or from a directory), symlink activation
 * with {@code shared/data} and {@code shared/logs} linked into every release, the database
 * compatibility gate, and the SQL migrations each release ships in {@code migrations/}.
 *
 * <pre>{@code
 * Updater updater = AppUpdater.builder(home, AppUpdater.source(uri, publicKeyFile), database)
 *     .guard(RowCountGuard.tables(database.dataSource(), "orders"))
 *     .restarter(ExitRestarter.withDefaultCode())
 *     .build();
 * }</pre>
 *
 * <p>Stateless; the builders it returns are not thread-safe.
 */
public final class AppUpdater {
  private AppUpdater() {}

  /**
   * The parts every updater of the install shares. The caller adds what depends on the process:
   * the running version, the restarter, the health check, the row-count guard (which needs the
   * {@code orders} table, so not for the very first install).
   */
  public static Updater.Builder builder(Path home, ReleaseSource source, AppDatabase database) {
    return Updater.builder()
        .home(home)
        .source(source)
        .activator(SymlinkActivator.builder(Layout.of(home)).shared("data", "logs").build())
        .gate(DatabaseCompatibilityGate.of(database.dataSource()))
        .migrationRunner(SqlMigrationRunner.create(database.dataSource()));
  }

  /**
   * The signed update repository at {@code location}: an {@code http(s)} URL, or else a directory.
   * Its channel index must be signed by the minisign public key in {@code publicKeyFile}.
   */
  public static ReleaseSource source(String location, Path publicKeyFile) throws IOException {
    TrustedKeys keys = TrustedKeys.read(publicKeyFile);
    if (location.startsWith("http://") || location.startsWith("https://")) {
      return HttpReleaseSource.builder(URI.create(location)).trustedKeys(keys).build();
    }
    return DirectoryReleaseSource.of(Path.of(location), keys);
  }
}
