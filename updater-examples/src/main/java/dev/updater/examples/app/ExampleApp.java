package dev.updater.examples.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.updater.core.Layout;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.jdbc.BackupStep;
import dev.updater.jdbc.RowCountGuard;
import dev.updater.systemd.ExitRestarter;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The example application: serves {@code /api/health}, {@code /api/orders}, the admin API under
 * {@code /api/admin/updates} and the "Software Updates" page at {@code /admin}, on 127.0.0.1, from
 * one release directory of its install. It is started by its release's {@code bin/start} script
 * under a supervisor that starts it again from {@code current/} when it exits with code 75 (how
 * its updater restarts it).
 *
 * <pre>{@code
 * APP_HOME=/opt/shop APP_PORT=8080 APP_UPDATE_SOURCE=https://updates.example.com/shop/ \
 * APP_UPDATE_KEY=/etc/shop/updates.pub /opt/shop/current/bin/start
 * }</pre>
 *
 * <p>At start-up it serves first and then calls {@link Updater#confirm()}, so that a release the
 * previous process restarted into confirms itself (or is rolled back) through its own health
 * endpoint. Thread-safe.
 */
public final class ExampleApp implements AutoCloseable {
  /** The exit code that asks the supervisor to start the application again from current/. */
  public static final int RESTART_CODE = ExitRestarter.DEFAULT_CODE;

  private final Settings settings;
  private final ReleaseInfo release;
  private final AppDatabase database;
  private final Updater updater;
  private final UpdateAdmin admin;
  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * How one process of the application is configured.
   *
   * @param home the install's home ({@code releases/}, {@code current}, {@code shared/})
   * @param releaseDir the release directory this process runs from (its real path)
   * @param port the port to serve on 127.0.0.1
   * @param updateSource the update repository: an http(s) URL or a directory
   * @param updateKey the minisign public key file the repository's index must be signed by
   */
  public record Settings(Path home, Path releaseDir, int port, String updateSource,
      Path updateKey) {
    public Settings {
      Objects.requireNonNull(home, "home");
      Objects.requireNonNull(releaseDir, "releaseDir");
      Objects.requireNonNull(updateSource, "updateSource");
      Objects.requireNonNull(updateKey, "updateKey");
    }

    /**
     * Reads {@code APP_HOME}, {@code APP_PORT}, {@code APP_UPDATE_SOURCE} and
     * {@code APP_UPDATE_KEY} from the environment; the release directory is the system property
     * {@code app.release} that {@code bin/start} sets.
     */
    public static Settings fromEnvironment() {
      return new Settings(Path.of(env("APP_HOME")),
          Path.of(Objects.requireNonNull(System.getProperty("app.release"),
              "system property app.release (set by bin/start)")),
          Integer.parseInt(env("APP_PORT")), env("APP_UPDATE_SOURCE"),
          Path.of(env("APP_UPDATE_KEY")));
    }

    private static String env(String name) {
      String value = System.getenv(name);
      if (value == null || value.isBlank()) {
        throw new IllegalStateException("environment variable " + name + " is not set");
      }
      return value;
    }
  }

  private ExampleApp(Settings settings) throws IOException {
    this.settings = settings;
    this.release = ReleaseInfo.read(settings.releaseDir());
    this.database = AppDatabase.open(settings.home());
    URI health = URI.create("http://127.0.0.1:" + settings.port() + "/api/health");
    this.updater = AppUpdater.builder(settings.home(),
            AppUpdater.source(settings.updateSource(), settings.updateKey()), database)
        // First a copy of shared/data (the SQLite file among it), put back if the update fails
        // after activation; then the row counts, checked again after the migrations.
        .guard(BackupStep.of(Layout.of(settings.home()), "data"))
        .guard(RowCountGuard.tables(database.dataSource(), "orders"))
        .runningVersion(release.version())
        .restarter(ExitRestarter.withDefaultCode())
        .healthCheck(HttpHealthCheck.builder(health).versionField("version")
            .interval(Duration.ofMillis(250)).timeout(Duration.ofSeconds(5)).build())
        .confirmationTimeout(Duration.ofSeconds(60))
        .listener(ExampleApp::log)
        .build();
    this.admin = UpdateAdmin.of(updater);
    this.executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    });
    this.server = bind(settings.port());
    server.setExecutor(executor);
    server.createContext("/api/health", this::health);
    server.createContext("/api/orders", this::orders);
    AdminRoutes.register(server, admin);
    server.createContext("/admin", this::adminPage);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().set("Location", "/admin");
      Http.send(exchange, 302, "text/plain", new byte[0]);
    });
  }

  /** Starts the application: binds the port and serves. Does not confirm; see {@link #run}. */
  public static ExampleApp start(Settings settings) throws IOException {
    ExampleApp app = new ExampleApp(settings);
    app.server.start();
    log("started " + app.release.version() + " from " + settings.releaseDir() + " on port "
        + settings.port());
    return app;
  }

  /** Starts the application from the environment, then confirms a pending update. */
  public static void main(String[] args) throws IOException {
    ExampleApp app = start(Settings.fromEnvironment());
    // Only stop serving at exit: the exit may come from the restarter on the admin API's own
    // thread, and UpdateAdmin.close() would wait for that very thread to finish.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> app.server.stop(0), "shutdown"));
    UpdateStatus status = app.updater.confirm();
    log("update status at start-up: " + status.state() + " (" + status.phase().statusName()
        + ")" + status.error().map(e -> ": " + e.message()).orElse(""));
  }

  /** The version this process runs. */
  public Version version() {
    return release.version();
  }

  /** This process's updater. */
  public Updater updater() {
    return updater;
  }

  /** Stops serving and waits (up to 30 s) for an operation the admin API started to end. */
  @Override
  public void close() {
    server.stop(0);
    admin.close();
    executor.shutdownNow();
  }

  private void health(HttpExchange exchange) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", release.version().toString());
    try {
      database.queryOne(release.healthQuery());
      body.put("status", "UP");
      body.put("database", "sqlite");
      Http.json(exchange, 200, body);
    } catch (SQLException e) {
      body.put("status", "DOWN");
      body.put("error", "database check failed: " + e.getMessage());
      Http.json(exchange, 503, body);
    }
  }

  private void orders(HttpExchange exchange) throws IOException {
    try {
      if (exchange.getRequestMethod().equalsIgnoreCase("POST")) {
        Map<String, Object> in = Http.body(exchange);
        long id = database.addOrder(String.valueOf(in.getOrDefault("customer", "anonymous")),
            String.valueOf(in.getOrDefault("item", "something")));
        Http.json(exchange, 201, Map.of("id", id));
      } else if (Http.method(exchange, "GET")) {
        Http.json(exchange, 200, Map.of("version", release.version().toString(),
            "orders", database.orders()));
      }
    } catch (SQLException e) {
      Http.json(exchange, 500, Map.of("error", e.getMessage()));
    }
  }

  private void adminPage(HttpExchange exchange) throws IOException {
    try (InputStream in = ExampleApp.class.getResourceAsStream("admin.html")) {
      Http.send(exchange, 200, "text/html; charset=utf-8", in.readAllBytes());
    }
  }

  private static void log(UpdateEvent event) {
    if (event instanceof UpdateEvent.Started s) {
      log("update started: " + s.operation() + " to " + s.to());
    } else if (event instanceof UpdateEvent.StepStarted s) {
      log("update step " + s.step() + " [" + s.phase().statusName() + "] " + s.target());
    } else if (event instanceof UpdateEvent.Completed c) {
      log("update completed: " + c.to());
    } else if (event instanceof UpdateEvent.RolledBack r) {
      log("update rolled back from " + r.from() + " to "
          + r.to().map(Version::toString).orElse("-") + ": " + r.why());
    } else if (event instanceof UpdateEvent.Failed f) {
      log("update failed: " + f.error().reason() + ": " + f.error().getMessage());
    }
  }

  private static void log(String line) {
    System.out.println(java.time.LocalTime.now() + " [app] " + line);
    System.out.flush();
  }

  /** Binds, retrying for a while: the previous process may have just let go of the port. */
  private static HttpServer bind(int port) throws IOException {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
      } catch (BindException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
