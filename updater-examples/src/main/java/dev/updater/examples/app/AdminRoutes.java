package dev.updater.examples.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.updater.core.admin.AdminResponse;
import dev.updater.core.admin.UpdateAdmin;
import java.io.IOException;
import java.util.Map;

/**
 * Maps the framework-neutral {@link UpdateAdmin} to routes of the JDK's {@code HttpServer}, one
 * line each (the endpoints of a "Software Updates" admin page):
 * <pre>
 * GET  /api/admin/updates[?force=true]   status (force: check the update source now)
 * POST /api/admin/updates/install        install the latest release; {"repair": true} repairs
 * POST /api/admin/updates/rollback       switch back to the previous release
 * GET  /api/admin/updates/progress       the running or last operation
 * POST /api/admin/updates/clear          discard a failed status
 * </pre>
 * A real host puts these behind its administrator login. Stateless.
 */
final class AdminRoutes {
  private AdminRoutes() {}

  static void register(HttpServer server, UpdateAdmin admin) {
    server.createContext("/api/admin/updates", exchange -> {
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/api/admin/updates", "/api/admin/updates/" -> {
          if (Http.method(exchange, "GET")) {
            send(exchange, admin.status(Http.flag(exchange, "force")));
          }
        }
        case "/api/admin/updates/install" -> {
          if (Http.method(exchange, "POST")) {
            Map<String, Object> body = Http.body(exchange);
            send(exchange, admin.install(Boolean.TRUE.equals(body.get("repair"))));
          }
        }
        case "/api/admin/updates/rollback" -> {
          if (Http.method(exchange, "POST")) {
            send(exchange, admin.rollback());
          }
        }
        case "/api/admin/updates/progress" -> {
          if (Http.method(exchange, "GET")) {
            send(exchange, admin.progress());
          }
        }
        case "/api/admin/updates/clear" -> {
          if (Http.method(exchange, "POST")) {
            send(exchange, admin.clearError());
          }
        }
        case "/api/admin/updates/unquarantine" -> {
          if (Http.method(exchange, "POST")) {
            Object version = Http.body(exchange).get("version");
            send(exchange, admin.unquarantine(version == null ? "" : version.toString()));
          }
        }
        default -> Http.json(exchange, 404, Map.of("error", "no such admin route: " + path));
      }
    });
  }

  private static void send(HttpExchange exchange, AdminResponse<?> response) throws IOException {
    Http.json(exchange, response.status(), response.body());
  }
}
