package dev.updater.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small JSON client for the example application's HTTP API. Thread-safe. */
final class AppClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One answer.
   *
   * @param status the HTTP status
   * @param body the JSON object answered (empty when the body was not an object)
   */
  record Reply(int status, Map<String, Object> body) {
    Object get(String field) {
      return body.get(field);
    }

    String text(String field) {
      Object v = body.get(field);
      return v == null ? null : v.toString();
    }
  }

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  AppClient(int port) {
    this.base = URI.create("http://127.0.0.1:" + port + "/");
  }

  URI base() {
    return base;
  }

  Reply get(String path) throws IOException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Reply post(String path, Map<String, Object> body) throws IOException {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
  }

  /** The answer, or empty when the application does not answer (restarting, say). */
  Optional<Reply> tryGet(String path) {
    try {
      return Optional.of(get(path));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The version {@code /api/health} reports with a 200, if it answers so. */
  Optional<String> healthyVersion() {
    return tryGet("api/health").filter(r -> r.status() == 200).map(r -> r.text("version"));
  }

  /** The orders {@code /api/orders} lists. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> orders() throws IOException {
    Reply r = get("api/orders");
    if (r.status() != 200) {
      throw new IOException("GET /api/orders answered " + r.status() + ": " + r.body());
    }
    return (List<Map<String, Object>>) r.get("orders");
  }

  @SuppressWarnings("unchecked")
  private Reply send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      byte[] bytes = response.body();
      Map<String, Object> body = Map.of();
      if (bytes.length > 0 && bytes[0] == '{') {
        body = JSON.readValue(bytes, Map.class);
      }
      return new Reply(response.statusCode(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
