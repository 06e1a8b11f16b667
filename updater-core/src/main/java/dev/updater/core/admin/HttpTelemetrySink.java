package dev.updater.core.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.core.spi.TelemetrySink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link TelemetrySink} that POSTs each heartbeat as a small JSON object to an HTTP(S) endpoint:
 * {@code {"runningVersion":"1.0.0","installedVersion":"1.1.0","updateAvailable":false,
 * "databaseProvider":"postgresql"}} and nothing else (no cookies, no install id; the User-Agent
 * names only the library). Given to {@code Updater.Builder.reportResults}, it also POSTs each
 * operation's {@linkplain TelemetrySink.Result result} to the same endpoint:
 * {@code {"event":"result","installId":"…","at":"…","operation":"INSTALL",
 * "outcome":"ROLLED_BACK","from":"1.0.0","to":"1.1.0","reason":"HEALTH_CHECK_FAILED"}}.
 *
 * <pre>{@code
 * TelemetrySink sink = HttpTelemetrySink.to(URI.create("https://telemetry.example.com/heartbeat"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class HttpTelemetrySink implements TelemetrySink {
  /** How long a heartbeat may take, connect and answer together, by default: 10 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient client;

  private HttpTelemetrySink(URI endpoint, Duration timeout) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** A sink posting to {@code endpoint} (http or https) with the default timeout. */
  public static HttpTelemetrySink to(URI endpoint) {
    return to(endpoint, DEFAULT_TIMEOUT);
  }

  /** A sink posting to {@code endpoint} (http or https), each heartbeat within {@code timeout}. */
  public static HttpTelemetrySink to(URI endpoint, Duration timeout) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(timeout, "timeout");
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("telemetry endpoint " + endpoint
          + " must be an http or https URL");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new HttpTelemetrySink(endpoint, timeout);
  }

  /**
   * Posts {@code heartbeat}.
   *
   * @throws IOException when the endpoint cannot be reached or answers other than 2xx
   */
  @Override
  public void send(Heartbeat heartbeat) throws IOException, InterruptedException {
    post(Objects.requireNonNull(heartbeat, "heartbeat").toJsonFields());
  }

  /**
   * Posts {@code result}.
   *
   * @throws IOException when the endpoint cannot be reached or answers other than 2xx
   */
  @Override
  public void sendResult(Result result) throws IOException, InterruptedException {
    post(Objects.requireNonNull(result, "result").toJsonFields());
  }

  private void post(Map<String, Object> fields) throws IOException, InterruptedException {
    byte[] body = JSON.writeValueAsBytes(fields);
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "dev.updater")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("telemetry endpoint " + endpoint + " answered HTTP "
          + response.statusCode());
    }
  }

  @Override
  public String toString() {
    return "HttpTelemetrySink[" + endpoint + "]";
  }
}
