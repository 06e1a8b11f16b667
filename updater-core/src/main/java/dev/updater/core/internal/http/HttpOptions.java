package dev.updater.core.internal.http;

import dev.failsafe.RetryPolicy;
import dev.updater.core.source.HttpReleaseSource.Sleeper;
import dev.updater.core.Version;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * The transport settings shared by the builders of the HTTP sources ({@code HttpReleaseSource},
 * {@code GitHubReleaseSource}): each setter checks its argument, and {@link #exchange()} and
 * {@link #settings} check the combination and build what an {@link HttpTransport} needs. Not API.
 */
public final class HttpOptions {
  private Duration connectTimeout;
  private boolean connectTimeoutSet;
  private Duration readTimeout;
  private int maxAttempts;
  private Duration minBackoff;
  private Duration maxBackoff;
  private Duration maxRetryDuration;
  private long minBytesPerSecond;
  private Duration throughputWindow;
  private String userAgent;
  private Version runningVersion;
  private HttpClient httpClient;
  private SSLContext sslContext;
  private Sleeper sleeper = Sleeper.SYSTEM;
  private final Function<Optional<Version>, String> defaultUserAgent;

  /** Options with these defaults; {@code defaultUserAgent} names the running version if known. */
  public HttpOptions(Duration connectTimeout, Duration readTimeout, int maxAttempts,
      Duration minBackoff, Duration maxBackoff, Duration maxRetryDuration, long minBytesPerSecond,
      Duration throughputWindow, Function<Optional<Version>, String> defaultUserAgent) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxAttempts = maxAttempts;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.maxRetryDuration = maxRetryDuration;
    this.minBytesPerSecond = minBytesPerSecond;
    this.throughputWindow = throughputWindow;
    this.defaultUserAgent = defaultUserAgent;
  }

  public void connectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive(connectTimeout, "connectTimeout");
    this.connectTimeoutSet = true;
  }

  public void readTimeout(Duration readTimeout) {
    this.readTimeout = positive(readTimeout, "readTimeout");
  }

  public void maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  public void backoff(Duration min, Duration max) {
    positive(min, "min");
    positive(max, "max");
    if (max.compareTo(min) <= 0) {
      throw new IllegalArgumentException("backoff max " + max + " must be longer than min " + min);
    }
    this.minBackoff = min;
    this.maxBackoff = max;
  }

  public void maxRetryDuration(Duration maxRetryDuration) {
    this.maxRetryDuration = positive(maxRetryDuration, "maxRetryDuration");
  }

  public void minThroughput(long bytesPerSecond, Duration window) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must not be negative, was "
          + bytesPerSecond);
    }
    this.throughputWindow = positive(window, "window");
    this.minBytesPerSecond = bytesPerSecond;
  }

  public void userAgent(String userAgent) {
    Objects.requireNonNull(userAgent, "userAgent");
    if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("userAgent must be non-blank printable text, was '"
          + userAgent + "'");
    }
    this.userAgent = userAgent;
  }

  public void runningVersion(Version runningVersion) {
    this.runningVersion = Objects.requireNonNull(runningVersion, "runningVersion");
  }

  public void httpClient(HttpClient httpClient) {
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
  }

  public void sslContext(SSLContext sslContext) {
    this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
  }

  public void sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * How requests are sent: through the given client as it is, else through the library's own
   * {@link Exchange#ofUrlConnections exchange} with the connect timeout and TLS context, which
   * follows no redirect itself ({@link HttpTransport} follows them, never from https to http).
   *
   * @throws IllegalStateException when both a client and a connect timeout or TLS context were
   *     given, or the retry duration is not longer than the first backoff
   */
  public Exchange exchange() {
    if (httpClient != null && connectTimeoutSet) {
      throw new IllegalStateException("connectTimeout cannot be applied to a supplied "
          + "httpClient: set it with HttpClient.Builder.connectTimeout on that client");
    }
    if (httpClient != null && sslContext != null) {
      throw new IllegalStateException("a trust store or SSLContext cannot be applied to a "
          + "supplied httpClient: set it with HttpClient.Builder.sslContext on that client");
    }
    if (maxRetryDuration.compareTo(minBackoff) <= 0) {
      throw new IllegalStateException("maxRetryDuration " + maxRetryDuration
          + " must be longer than the first backoff " + minBackoff);
    }
    return httpClient != null ? Exchange.ofClient(httpClient)
        : Exchange.ofUrlConnections(connectTimeout, sslContext);
  }

  /** The transport settings for requests sent through {@code exchange}. */
  public HttpTransport.Settings settings(Exchange exchange) {
    RetryPolicy<Object> retryPolicy = RetryPolicy.builder()
        .handleIf((result, failure) -> failure != null && HttpTransport.isTransient(failure))
        .withMaxAttempts(maxAttempts)
        .withBackoff(minBackoff, maxBackoff)
        .withJitter(0.25)
        .withMaxDuration(maxRetryDuration)
        .build();
    return new HttpTransport.Settings(exchange, readTimeout, minBytesPerSecond, throughputWindow,
        retryPolicy, maxAttempts, maxBackoff, sleeper, userAgent != null ? userAgent
            : defaultUserAgent.apply(Optional.ofNullable(runningVersion)));
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }

  /** The User-Agent sent when none is set: the library's version and the running version if known. */
  public static String defaultUserAgent(Optional<Version> runningVersion) {
    String library = HttpOptions.class.getPackage().getImplementationVersion();
    return "updater/" + (library != null ? library : "dev") + " (dev.updater"
        + runningVersion.map(v -> "; running " + v).orElse("") + ")";
  }
}
