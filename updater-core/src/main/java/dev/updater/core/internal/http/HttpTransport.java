package dev.updater.core.internal.http;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.updater.core.source.HttpReleaseSource.Sleeper;
import dev.updater.core.source.HttpSourceException;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET requests for {@link dev.updater.core.source.HttpReleaseSource}: retries of transient failures
 * (connection errors, timeouts, 408, 429, 5xx) through a Failsafe {@link RetryPolicy} with an
 * injected sleeper, {@code Retry-After} honoured up to a cap, capped small bodies, and guarded
 * artifact bodies resumed with {@code Range}. A 404 or 410 is a {@link NoSuchFileException} and is
 * never retried, nor is any other 4xx, a TLS failure or an oversized body. Not API.
 *
 * <p>Thread-safe: it keeps no state between requests.
 */
public final class HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern UNSATISFIED_RANGE =
      Pattern.compile("bytes\\s+\\*/(\\d+)", Pattern.CASE_INSENSITIVE);

  /** Everything a transport needs; checked by the public builder. */
  public record Settings(Exchange exchange, Duration readTimeout, long minBytesPerSecond,
      Duration throughputWindow, RetryPolicy<Object> retryPolicy, int maxAttempts,
      Duration maxRetryAfter, Sleeper sleeper, String userAgent) {}

  private static final int MAX_REDIRECTS = 5;

  private final Settings settings;
  private final Map<String, String> headers;
  private final Credentials credentials;
  private final boolean followRedirects;

  /** A transport without credentials. */
  public HttpTransport(Settings settings) {
    this(settings, Map.of(), Credentials.none("an Authorization header"), true);
  }

  /**
   * A transport that adds {@code credentials}' headers to the requests it may send them with
   * (see {@link Credentials}). They are never logged, nor put in an error message.
   */
  public HttpTransport(Settings settings, Credentials credentials) {
    this(settings, Map.of(), credentials, true);
  }

  /**
   * A transport that adds {@code headers} (not secret, such as {@code Accept}) to every request,
   * and {@code credentials} as {@link #HttpTransport(Settings, Credentials)} does.
   */
  public HttpTransport(Settings settings, Map<String, String> headers, Credentials credentials) {
    this(settings, headers, credentials, true);
  }

  private HttpTransport(Settings settings, Map<String, String> headers, Credentials credentials,
      boolean followRedirects) {
    this.settings = settings;
    this.headers = Map.copyOf(headers);
    this.credentials = credentials;
    this.followRedirects = followRedirects;
  }

  /** This transport, but a redirect is an error instead of being followed. */
  public HttpTransport withoutRedirects() {
    return new HttpTransport(settings, headers, credentials, false);
  }

  /**
   * The body of {@code uri}, at most {@code cap} bytes.
   *
   * @throws NoSuchFileException on 404 or 410
   * @throws VerificationException when the body is larger than {@code cap}; nothing more is read
   */
  public byte[] get(URI uri, int cap, String what) throws IOException {
    return withRetries(uri, what, () -> {
      HttpResponse<InputStream> response = send(uri, Optional.empty(), Optional.empty(), what);
      if (response.statusCode() != 200) {
        response.body().close();
        throw HttpErrors.unexpected(response, what, credentials);
      }
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      if (length.isPresent() && length.getAsLong() > cap) {
        response.body().close();
        throw tooLarge(uri, what, length.getAsLong() + " bytes (Content-Length)", cap);
      }
      byte[] bytes;
      try (InputStream body = guard(response.body(), what, (long) cap + 1)) {
        bytes = body.readAllBytes();
      }
      if (bytes.length > cap) {
        throw tooLarge(uri, what, "more than " + cap + " bytes", cap);
      }
      return bytes;
    });
  }

  /** Like {@link #get}, but a 404 or 410 is an empty result. */
  public Optional<byte[]> getOptional(URI uri, int cap, String what) throws IOException {
    try {
      return Optional.of(get(uri, cap, what));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Opens the body of {@code uri} from byte {@code offset} on, returning at most {@code limit}
   * bytes. A ranged request answered with 200 (the server ignored {@code Range}) has its first
   * {@code offset} bytes skipped. Failures before the first body byte are retried.
   *
   * @throws NoSuchFileException on 404 or 410
   * @throws VerificationException when a 206 answer starts elsewhere than {@code offset}, or the
   *     server's file is shorter than {@code offset}: the resumed part cannot be from this file
   */
  public InputStream open(URI uri, long offset, long limit, String what) throws IOException {
    return open(uri, offset, limit, what, Optional.empty()).body();
  }

  /**
   * Like {@link #open(URI, long, long, String)}, but a resumed request ({@code offset > 0}) with a
   * {@code validator} carries {@code If-Range: <validator>}: a server whose file changed answers
   * 200 with the whole new file, which is then returned from byte 0 ({@link
   * ReleaseSource.Opened#offset()} 0) instead of being skipped into. The answer's validator is its
   * strong {@code ETag}, else its {@code Last-Modified}. {@code limit} counts from {@code offset}.
   */
  public ReleaseSource.Opened open(URI uri, long offset, long limit, String what,
      Optional<String> validator) throws IOException {
    Optional<String> ifRange = offset > 0 ? validator : Optional.empty();
    if (offset > 0) {
      LOG.info("{}: resuming from byte {} with a Range request{}", what, offset,
          ifRange.isPresent() ? " (If-Range " + ifRange.get() + ")" : "");
    }
    HttpResponse<InputStream> response = withRetries(uri, what, () -> {
      HttpResponse<InputStream> r = send(uri, offset > 0
          ? Optional.of("bytes=" + offset + "-") : Optional.empty(), ifRange, what);
      int status = r.statusCode();
      if (status == 200 || status == 206 || (status == 416 && offset > 0)) {
        return r;
      }
      r.body().close();
      throw HttpErrors.unexpected(r, what, credentials);
    });
    Optional<String> served = validatorOf(response);
    InputStream body = response.body();
    try {
      switch (response.statusCode()) {
        case 206:
          checkContentRange(response, offset, what);
          return new ReleaseSource.Opened(guard(body, what, limit), offset, served);
        case 416:
          return new ReleaseSource.Opened(unsatisfiable(response, offset, what), offset, served);
        default:
          if (offset > 0 && ifRange.isPresent()) {
            LOG.warn("{}: the file on the server changed since the partial download (it was {}, "
                + "it is now {}); downloading it again from the start", what, ifRange.get(),
                served.orElse("unnamed"));
            return new ReleaseSource.Opened(guard(body, what, offset + limit), 0, served);
          }
          GuardedInputStream guarded = guard(body, what, offset + limit);
          body = guarded; // closing it also stops its watchdog
          if (offset > 0) {
            LOG.warn("{}: the server ignored the Range request and sent the whole file; "
                + "skipping the {} bytes already downloaded", what, offset);
            guarded.discard(offset);
          }
          return new ReleaseSource.Opened(guarded, offset, served);
      }
    } catch (IOException | RuntimeException e) {
      try {
        body.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Opens {@code length} bytes of {@code uri} from {@code offset} on ({@link PartRequests}). */
  public ReleaseSource.Opened openPart(URI uri, long offset, long length, long fileSize,
      String what) throws IOException {
    return PartRequests.open(this, credentials, uri, offset, length, fileSize, what);
  }

  /** The strong ETag of {@code response}, else its Last-Modified, if any. */
  private static Optional<String> validatorOf(HttpResponse<?> response) {
    Optional<String> etag = response.headers().firstValue("ETag").map(String::trim)
        .filter(t -> t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2);
    if (etag.isPresent()) {
      return etag;
    }
    return response.headers().firstValue("Last-Modified").map(String::trim)
        .filter(v -> !v.isEmpty());
  }

  private InputStream unsatisfiable(HttpResponse<InputStream> response, long offset, String what)
      throws IOException {
    response.body().close();
    String range = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = UNSATISFIED_RANGE.matcher(range.trim());
    if (m.matches() && Long.parseLong(m.group(1)) == offset) {
      LOG.info("{}: the {} bytes already downloaded are the whole file", what, offset);
      return InputStream.nullInputStream();
    }
    throw new VerificationException(what + ": the server cannot resume at byte " + offset
        + " (416, Content-Range '" + range + "'): its file is not the one partly downloaded;"
        + " the partial download is discarded");
  }

  private static void checkContentRange(HttpResponse<InputStream> response, long offset,
      String what) throws VerificationException {
    String range = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(range.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
      throw new VerificationException(what + ": asked for the bytes from " + offset
          + " but the server answered 206 with Content-Range '" + range + "'; the answer was "
          + "refused and the partial download is discarded");
    }
  }

  /**
   * Sends a GET to {@code uri} and follows its redirects (at most five): never from https to http,
   * and without the credentials once a redirect leaves their origin.
   */
  HttpResponse<InputStream> send(URI uri, Optional<String> range, Optional<String> ifRange,
      String what) throws IOException {
    URI current = uri;
    boolean withCredentials = credentials.present() && credentials.allowedFor(uri);
    for (int hop = 0; ; hop++) {
      HttpResponse<InputStream> response =
          sendOnce(current, range, ifRange, withCredentials, what);
      Optional<String> location = response.headers().firstValue("Location");
      if (!followRedirects || !isRedirect(response.statusCode()) || location.isEmpty()
          || hop == MAX_REDIRECTS) {
        return response;
      }
      response.body().close();
      URI next;
      try {
        next = current.resolve(location.get().trim());
      } catch (IllegalArgumentException e) {
        throw new Status(what + ": " + current + " redirects to '" + location.get()
            + "', which is not a URL", false, Optional.empty());
      }
      String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
      if ("https".equalsIgnoreCase(current.getScheme()) && !scheme.equals("https")) {
        throw HttpErrors.insecureRedirect(current, next, what);
      }
      if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
        throw new Status(what + ": " + current + " redirects to " + next
            + ", which is not an http(s) URL", false, Optional.empty());
      }
      if (withCredentials && !Credentials.sameOrigin(current, next)) {
        LOG.info("{}: redirected from {} to {}; the credentials are not sent to another origin",
            what, HttpErrors.authority(current), HttpErrors.authority(next));
        withCredentials = false;
      }
      current = next;
    }
  }

  private static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }

  private HttpResponse<InputStream> sendOnce(URI uri, Optional<String> range,
      Optional<String> ifRange, boolean withCredentials, String what) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .GET()
        .timeout(settings.readTimeout())
        .header("User-Agent", settings.userAgent());
    headers.forEach(request::header);
    if (withCredentials) {
      credentials.headers().forEach(request::header);
    }
    if (range.isPresent()) {
      request.header("Range", range.get());
      ifRange.ifPresent(v -> request.header("If-Range", v));
      LOG.debug("{}: asking for {}{}", what, range.get(),
          ifRange.isPresent() ? " (If-Range " + ifRange.get() + ")" : "");
    }
    try {
      return settings.exchange().send(request.build());
    } catch (SSLException e) {
      throw HttpErrors.tls(e, uri, what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted(what + ": interrupted");
    }
  }

  GuardedInputStream guard(InputStream body, String what, long limit) {
    return GuardedInputStream.guard(body, what, settings.readTimeout(),
        settings.minBytesPerSecond(), settings.throughputWindow(), limit);
  }

  /** A request and the handling of its answer, repeated while its failures are transient. */
  interface Attempt<T> {
    T run() throws IOException;
  }

  <T> T withRetries(URI uri, String what, Attempt<T> attempt) throws IOException {
    Execution<Object> execution = Execution.of(settings.retryPolicy());
    long started = System.nanoTime();
    while (true) {
      try {
        return attempt.run();
      } catch (IOException e) {
        execution.recordException(e);
        if (execution.isComplete()) {
          if (isTransient(e)) {
            LOG.warn("Giving up on {} after {} attempt(s): {}", what,
                execution.getAttemptCount(), e.toString());
            throw HttpErrors.gaveUp(e, uri, what, execution.getAttemptCount(),
                Duration.ofNanos(System.nanoTime() - started));
          }
          throw e;
        }
        Duration delay = execution.getDelay();
        if (e instanceof Status && ((Status) e).retryAfter.isPresent()) {
          Duration asked = ((Status) e).retryAfter.get();
          Duration capped = asked.compareTo(settings.maxRetryAfter()) > 0
              ? settings.maxRetryAfter() : asked;
          delay = capped.compareTo(delay) > 0 ? capped : delay;
        }
        LOG.warn("{} failed (attempt {} of {}): {}; retrying in {} ms", what,
            execution.getAttemptCount(), settings.maxAttempts(), e.toString(),
            delay.toMillis());
        try {
          settings.sleeper().sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          Interrupted failure = new Interrupted(what + ": interrupted while waiting to retry");
          failure.addSuppressed(e);
          throw failure;
        }
      }
    }
  }

  /**
   * Whether a failure may pass by itself: connection errors, timeouts and the statuses 408, 429
   * and 5xx are; a missing file, a refused answer, a TLS failure or an interrupt are not.
   */
  public static boolean isTransient(Throwable e) {
    if (e instanceof Status) {
      return ((Status) e).transientStatus;
    }
    return e instanceof IOException && !(e instanceof HttpSourceException) && !(e instanceof NoSuchFileException)
        && !(e instanceof VerificationException) && !(e instanceof Interrupted)
        && !(e instanceof SSLException) && !(e.getCause() instanceof SSLException);
  }

  private static VerificationException tooLarge(URI uri, String what, String size, int cap) {
    return new VerificationException(what + " at " + uri + " is " + size + ", more than the " + cap
        + " bytes allowed; it was not read further");
  }

  /** An HTTP status that is not the answer asked for. */
  static final class Status extends IOException {
    private static final long serialVersionUID = 1L;
    final boolean transientStatus;
    final transient Optional<Duration> retryAfter;

    Status(String message, boolean transientStatus, Optional<Duration> retryAfter) {
      super(message);
      this.transientStatus = transientStatus;
      this.retryAfter = retryAfter;
    }
  }

  private static final class Interrupted extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    Interrupted(String message) {
      super(message);
    }
  }
}
