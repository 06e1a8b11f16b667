package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.updater.core.admin.AdminResponse;
import dev.updater.core.admin.UpdateAdmin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin facade mapped onto the JDK's {@code HttpServer} exactly as
 * {@code docs/modes-and-admin.md} shows it, driven over real HTTP on 127.0.0.1.
 */
class AdminOverHttpTest {
  @TempDir Path tmp;

  private final CountDownLatch stageMayRun = new CountDownLatch(1);
  private HttpServer server;
  private UpdateAdmin admin;
  private final HttpClient client = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Path home;

  // --- the mapping shown in docs/modes-and-admin.md -------------------------------------------

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

  // ---------------------------------------------------------------------------------------------

  @BeforeEach
  void start() throws IOException {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    home = tmp.resolve("home");
    Updater.Builder builder = Updater.builder().home(home).source(repo.source()).freeSpace(0, 3)
        .runningVersion(v("1.0.0"));
    builder.build().install(repo.publish(v("1.0.0")));
    repo.publish(v("1.1.0"));
    admin = UpdateAdmin.of(builder
        .before(Step.STAGE, ctx -> stageMayRun.await(30, TimeUnit.SECONDS)).build());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    mount(server, admin);
    server.start();
  }

  @AfterEach
  void stop() {
    stageMayRun.countDown();
    server.stop(0);
    admin.close();
  }

  private HttpResponse<String> call(String method, String path, String body)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body);
    return client.send(HttpRequest.newBuilder(uri).method(method, publisher).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> body(HttpResponse<String> response) throws IOException {
    return json.readValue(response.body(), Map.class);
  }

  @Test
  void shouldGiveOne202AndOne409ToConcurrentInstallRequests() throws Exception {
    Supplier<CompletableFuture<HttpResponse<String>>> post = () -> CompletableFuture.supplyAsync(
        () -> {
          try {
            return call("POST", "/api/admin/updates/install", "{\"repair\":false}");
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
    List<CompletableFuture<HttpResponse<String>>> both = List.of(post.get(), post.get());
    List<Integer> codes = List.of(both.get(0).get(30, TimeUnit.SECONDS).statusCode(),
        both.get(1).get(30, TimeUnit.SECONDS).statusCode());

    assertThat(codes).containsExactlyInAnyOrder(202, 409);
    HttpResponse<String> conflict = both.get(0).get().statusCode() == 409 ? both.get(0).get()
        : both.get(1).get();
    assertThat(body(conflict)).containsEntry("reason", "LOCKED");
    assertThat(call("POST", "/api/admin/updates/rollback", null).statusCode()).isEqualTo(409);

    stageMayRun.countDown();
    Map<String, Object> progress = null;
    for (int i = 0; i < 3000; i++) {
      progress = body(call("GET", "/api/admin/updates/progress", null));
      if (!Boolean.TRUE.equals(progress.get("running"))) {
        break;
      }
      Thread.sleep(10);
    }

    assertThat(progress).containsEntry("phase", "complete").containsEntry("installedVersion",
        "1.1.0");
    Map<String, Object> status = body(call("GET", "/api/admin/updates?force=true", null));
    assertThat(status).containsEntry("restartRequired", true).containsEntry("updateAvailable",
        false).containsEntry("canRollBack", true);
  }

  @Test
  void shouldRefuseARollbackWithoutAPreviousReleaseWith409() throws Exception {
    HttpResponse<String> response = call("POST", "/api/admin/updates/rollback", null);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(body(response)).containsEntry("reason", "INVALID_STATE");
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
  }
}
