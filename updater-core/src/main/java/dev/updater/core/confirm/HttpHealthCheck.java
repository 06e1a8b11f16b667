package dev.updater.core.confirm;

import dev.updater.core.UpdateContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.core.source.HttpReleaseSource.Sleeper;
import dev.updater.core.confirm.HealthPolling;
import dev.updater.core.spi.HealthCheck;
import java.io.IOException;
import java.net.URI;
import dev.updater.core.internal.http.Exchange;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link HealthCheck} that GETs a URL until it answers 2xx, and optionally until a field of its
 * JSON body names the version being confirmed, so that an old process still bound to the port does
 * not pass for the new one.
 *
 * <p>Each attempt is one GET with a per-request timeout; attempts repeat every
 * {@link Builder#interval} (default 1 s) until {@link Builder#timeout} (default 60 s) has passed
 * since the first one. When no attempt passed, the check throws a
 * {@link java.util.concurrent.TimeoutException} whose message carries the last reason (for example
 * {@code HTTP 500}, {@code connection refused}, or {@code version is 1.0.0, expected 1.1.0}).
 *
 * <pre>{@code
 * HealthCheck check = HttpHealthCheck.builder(URI.create("http://127.0.0.1:8080/api/health"))
 *     .versionField("version")        // {"version":"1.1.0"} must match the release confirmed
 *     .timeout(Duration.ofSeconds(90))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class HttpHealthCheck implements HealthCheck {
  /** The default time between attempts: 1 s. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  /** The default time to wait for a healthy answer: 60 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** The default limit on one request: 5 s. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The most bytes of an answer's body read. */
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final URI uri;
  private final Optional<String> versionField;
  private final Duration interval;
  private final Duration timeout;
  private final Duration requestTimeout;
  private final int failFastAfter;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Exchange exchange;

  private HttpHealthCheck(Builder b) {
    this.uri = b.uri;
    this.versionField = Optional.ofNullable(b.versionField);
    this.interval = b.interval;
    this.timeout = b.timeout;
    this.requestTimeout = b.requestTimeout;
    this.failFastAfter = b.failFastAfter;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.exchange = Exchange.ofUrlConnections(b.requestTimeout, null);
  }

  /** A check that expects a 2xx answer from {@code uri}, with the default interval and timeout. */
  public static HttpHealthCheck of(URI uri) {
    return builder(uri).build();
  }

  /** A builder for a check of {@code uri} (http or https). */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  @Override
  public void check(UpdateContext context) throws Exception {
    Objects.requireNonNull(context, "context");
    String expected = context.to().toString();
    HealthPolling.poll("GET " + uri, interval, timeout, failFastAfter, clock, sleeper,
        remaining -> attempt(expected, remaining));
  }

  private void attempt(String expectedVersion, Duration remaining) throws Exception {
    Duration limit = remaining.compareTo(requestTimeout) < 0 ? remaining : requestTimeout;
    HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(limit)
        .header("Accept", "application/json").build();
    int code;
    String text;
    try {
      HttpResponse<InputStream> response = exchange.send(request);
      code = response.statusCode();
      try (InputStream body = response.body()) {
        text = new String(body.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
      }
    } catch (java.net.ConnectException e) {
      throw new IOException("connection refused", e);
    } catch (java.net.http.HttpTimeoutException | SocketTimeoutException e) {
      throw new IOException("no answer within " + HealthPolling.describe(limit), e);
    }
    if (code < 200 || code > 299) {
      throw new IOException("HTTP " + code + bodyHint(text));
    }
    if (versionField.isPresent()) {
      String field = versionField.get();
      JsonNode body;
      try {
        body = JSON.readTree(text);
      } catch (IOException e) {
        throw new IOException("HTTP " + code + " but the body is not JSON" + bodyHint(text));
      }
      JsonNode v = body == null ? null : body.get(field);
      if (v == null || !v.isTextual()) {
        throw new IOException("HTTP " + code + " but the body has no text field '" + field + "'"
            + bodyHint(text));
      }
      if (!v.asText().equals(expectedVersion)) {
        throw new IOException("HTTP " + code + " from " + field + " " + v.asText() + ", expected "
            + expectedVersion + " (an old process may still hold the port)");
      }
    }
  }

  private static String bodyHint(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text = body.length() > 200 ? body.substring(0, 200) + "..." : body;
    return ": " + text.strip();
  }

  @Override
  public String toString() {
    return "GET " + uri + versionField.map(f -> " (" + f + " = version)").orElse("");
  }

  /**
   * Configures an {@link HttpHealthCheck}. Setters reject bad values at once and return
   * {@code this}. Not thread-safe.
   */
  public static final class Builder {
    private final URI uri;
    private String versionField;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int failFastAfter;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("health URL " + uri + " must be http or https");
      }
      this.uri = uri;
    }

    /**
     * Requires the JSON body's text field {@code field} (such as {@code version}) to equal the
     * version being confirmed; default: the body is not read.
     */
    public Builder versionField(String field) {
      Objects.requireNonNull(field, "field");
      if (field.isBlank()) {
        throw new IllegalArgumentException("versionField must not be blank");
      }
      this.versionField = field;
      return this;
    }

    /** Time between attempts; default 1 s. */
    public Builder interval(Duration interval) {
      this.interval = positive(interval, "interval");
      return this;
    }

    /** How long to keep trying after the first attempt; default 60 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** The limit on connecting and on one request; default 5 s. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /**
     * Fails at once, without waiting for the timeout, when the check failed the same way (the
     * same status, body or error) this many times in a row; default 0, never: a restarting
     * server refuses connections the same way until it listens, so enable it only with a count
     * that covers the start-up (such as 30 at a 1 s interval).
     */
    public Builder failFastAfter(int times) {
      this.failFastAfter = notNegative(times);
      return this;
    }

    static int notNegative(int times) {
      if (times < 0) {
        throw new IllegalArgumentException("failFastAfter must be 0 (never) or more, was "
            + times);
      }
      return times;
    }

    /** The clock that measures the timeout; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What waits between attempts; default {@link Sleeper#SYSTEM}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public HttpHealthCheck build() {
      return new HttpHealthCheck(this);
    }

    static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
