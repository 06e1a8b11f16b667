package dev.updater.snippets.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.updater.core.MaintenanceWindow;
import dev.updater.core.UpdateMode;
import dev.updater.core.UpdateScheduler;
import dev.updater.core.Updater;
import dev.updater.core.admin.AdminResponse;
import dev.updater.core.admin.HttpTelemetrySink;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.admin.UpdateNotifications;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.TelemetrySink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The Java blocks of docs/modes-and-admin.md. */
final class ModesAndAdminSnippets {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ModesAndAdminSnippets.class);
  Path home;
  ReleaseSource source;
  Updater updater;
  TelemetrySink sink;

  void modes() throws Exception {
    // tag::modes[]
    Updater updater = Updater.builder()
        .home(home)
        .source(source)
        .mode(UpdateMode.NOTIFY)              // the default
        .modeFromEnv("MYAPP_UPDATE_MODE")     // notify | auto | disabled, any case
        .build();
    // end::modes[]
  }

  void the_scheduler() throws Exception {
    // tag::the-scheduler[]
    UpdateScheduler scheduler = UpdateScheduler.builder(updater)
        .interval(Duration.ofMinutes(5))      // default 5 minutes
        .jitter(Duration.ofSeconds(30))       // default: up to 30 s added to each interval
        .maintenanceWindow(MaintenanceWindow.parse("02:00-04:00"))   // AUTO only; optional
        .onTick(tick -> log.info("update check: {}", tick))
        .build()
        .start();
    // ...
    scheduler.close();                        // at shutdown
    // end::the-scheduler[]
  }

  void the_admin_api() throws Exception {
    // tag::the-admin-api[]
    UpdateAdmin admin = UpdateAdmin.of(updater);
    // or UpdateAdmin.builder(updater).telemetry(sink).closeTimeout(Duration.ofSeconds(30)).build()
    // end::the-admin-api[]
  }

  // tag::mapping-to-the-jdk[]
  static void mount(HttpServer server, UpdateAdmin admin) {
    ObjectMapper json = new ObjectMapper();
    server.createContext("/api/admin/updates", ex -> {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (method.equals("GET") && path.equals("/api/admin/updates")) {
        String query = String.valueOf(ex.getRequestURI().getQuery());
        send(ex, json, admin.status(query.contains("force=true")));
      } else if (method.equals("GET") && path.equals("/api/admin/updates/progress")) {
        send(ex, json, admin.progress());
      } else if (method.equals("POST") && path.equals("/api/admin/updates/install")) {
        byte[] body = ex.getRequestBody().readAllBytes();
        boolean repair = body.length > 0 && json.readTree(body).path("repair").asBoolean(false);
        send(ex, json, admin.install(repair));
      } else if (method.equals("POST") && path.equals("/api/admin/updates/rollback")) {
        send(ex, json, admin.rollback());
      } else if (method.equals("POST") && path.equals("/api/admin/updates/clear")) {
        send(ex, json, admin.clearError());
      } else if (method.equals("POST") && path.equals("/api/admin/updates/unquarantine")) {
        String version = json.readTree(ex.getRequestBody().readAllBytes()).path("version").asText();
        send(ex, json, admin.unquarantine(version));
      } else {
        ex.sendResponseHeaders(404, -1);
        ex.close();
      }
    });
  }

  static void send(HttpExchange ex, ObjectMapper json, AdminResponse<?> r) throws IOException {
    byte[] bytes = json.writeValueAsBytes(r.body());
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(r.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
  // end::mapping-to-the-jdk[]

  /** The application's own way to reach its administrators. */
  interface Inbox {
    void notifyAdmins(String message);
  }

  void notifications(Inbox inbox) throws Exception {
    // tag::notifications[]
    Updater.builder()
        // ...
        .listener(UpdateNotifications.to(n -> inbox.notifyAdmins(n.message())))
        .build();
    // end::notifications[]
  }

  void telemetry() throws Exception {
    // tag::telemetry[]
    TelemetrySink sink = HttpTelemetrySink.to(URI.create("https://telemetry.example.com/heartbeat"));
    UpdateScheduler.builder(updater).telemetry(sink).build();   // a heartbeat after every check
    // or, without a scheduler, after each unforced status check that read the source
    // (not the updater's check cache):
    UpdateAdmin.builder(updater).telemetry(sink).build();
    // end::telemetry[]
  }

  void results_of_updates() throws Exception {
    // tag::results-of-updates[]
    Updater updater = Updater.builder()
        // ...
        .reportResults(HttpTelemetrySink.to(URI.create("https://vendor.example.com/results")))
        .build();
    // end::results-of-updates[]
  }
}
