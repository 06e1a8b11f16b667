package dev.updater.core.internal.http;

import dev.updater.core.internal.io.InputStreams;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

/**
 * GET requests through the JDK's {@link HttpURLConnection}: HTTP/1.1 over the JVM's pool of
 * kept-alive connections, reading a body as fast as the caller's buffer allows. Follows no
 * redirect, uses no response cache and never answers an authentication challenge with the JVM's
 * default {@link Authenticator} (credentials go only where {@link Credentials} allows them); the
 * JVM's default proxy selector applies, as it does for a default {@code HttpClient}. Not API.
 *
 * <p>A connect timeout is reported as {@link HttpConnectTimeoutException}, as the {@code
 * HttpClient} reports it; the read timeout bounds every wait for the answer and for each read of
 * the body. A body closed before its end drops its connection instead of reading the rest. A read
 * in progress on another thread then fails at once when much of the body was left (the socket is
 * closed), else at the latest when the read timeout ends it.
 *
 * <p>Immutable and thread-safe.
 */
final class UrlConnectionExchange implements Exchange {
  /** Answers no challenge, so that a host's default authenticator is never asked. */
  private static final Authenticator NO_AUTHENTICATOR = new Authenticator() {
    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      return null;
    }
  };

  private final int connectTimeoutMillis;
  private final SSLContext sslContext;

  UrlConnectionExchange(Duration connectTimeout, SSLContext sslContext) {
    this.connectTimeoutMillis = millis(connectTimeout);
    this.sslContext = sslContext;
  }

  @Override
  public HttpResponse<InputStream> send(HttpRequest request)
      throws IOException, InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    HttpURLConnection connection = open(request);
    try {
      connect(connection, request.uri());
      int status = connection.getResponseCode();
      if (status < 100) {
        throw new IOException(request.uri() + " did not answer with an HTTP status line");
      }
      InputStream body = status >= 400 ? connection.getErrorStream()
          : connection.getInputStream();
      HttpHeaders headers = headers(connection);
      long announced = headers.firstValue("Transfer-Encoding").isPresent() ? -1
          : headers.firstValueAsLong("Content-Length").orElse(-1);
      return new Answer(request, status, headers, new Body(
          body == null ? InputStream.nullInputStream() : body, connection, announced,
          request.uri()));
    } catch (IOException | RuntimeException e) {
      connection.disconnect();
      throw e;
    }
  }

  @Override
  public Exchange withoutRedirects() {
    return this;
  }

  private HttpURLConnection open(HttpRequest request) throws IOException {
    URLConnection opened;
    try {
      opened = request.uri().toURL().openConnection();
    } catch (IllegalArgumentException e) {
      throw new IOException(request.uri() + " is not a URL this JVM can open: " + e.getMessage(),
          e);
    }
    if (!(opened instanceof HttpURLConnection)) {
      throw new IOException(request.uri() + " is not an http(s) URL");
    }
    HttpURLConnection connection = (HttpURLConnection) opened;
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setAuthenticator(NO_AUTHENTICATOR);
    connection.setConnectTimeout(connectTimeoutMillis);
    connection.setReadTimeout(request.timeout().map(UrlConnectionExchange::millis).orElse(0));
    if (sslContext != null && connection instanceof HttpsURLConnection) {
      ((HttpsURLConnection) connection).setSSLSocketFactory(sslContext.getSocketFactory());
    }
    connection.setRequestMethod(request.method());
    request.headers().map().forEach((name, values) ->
        values.forEach(value -> connection.addRequestProperty(name, value)));
    if (request.headers().firstValue("Accept").isEmpty()) {
      connection.setRequestProperty("Accept", "*/*");
    }
    return connection;
  }

  /** Opens the connection (and for https its TLS session), naming a connect timeout as such. */
  private static void connect(HttpURLConnection connection, URI uri) throws IOException {
    try {
      connection.connect();
    } catch (SocketTimeoutException e) {
      HttpConnectTimeoutException timeout =
          new HttpConnectTimeoutException("connecting to " + uri + " timed out");
      timeout.initCause(e);
      throw timeout;
    }
  }

  /** The answer's headers, with names compared regardless of case and the status line left out. */
  private static HttpHeaders headers(HttpURLConnection connection) {
    Map<String, List<String>> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    connection.getHeaderFields().forEach((name, values) -> {
      if (name != null && values != null) {
        merged.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
      }
    });
    return HttpHeaders.of(merged, (name, value) -> true);
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /**
   * A body that gives its connection back when read to the end and drops it otherwise, and that
   * fails when the connection closes before the announced length ({@code HttpURLConnection} would
   * end such a body quietly, as if it were complete).
   */
  private static final class Body extends FilterInputStream {
    private final HttpURLConnection connection;
    private final long announced;
    private final URI uri;
    private long received;
    private volatile boolean ended;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param announced the Content-Length of the body, or -1 when none applies */
    Body(InputStream in, HttpURLConnection connection, long announced, URI uri) {
      super(in);
      this.connection = connection;
      this.announced = announced;
      this.uri = uri;
    }

    @Override
    public int read() throws IOException {
      return InputStreams.readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n == -1) {
        if (announced >= 0 && received < announced) {
          throw new EOFException(uri + ": the connection closed after " + received + " of the "
              + announced + " bytes the server announced");
        }
        ended = true;
      } else {
        received += n;
      }
      return n;
    }

    /** Skips by reading, so that the bytes count towards the announced length. */
    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
      long skipped = 0;
      int read;
      while (skipped < n && (read = read(buf, 0, (int) Math.min(buf.length, n - skipped))) != -1) {
        skipped += read;
      }
      return skipped;
    }

    /**
     * Gives the connection back when the body was read to its end; otherwise drops it without
     * reading the rest on this thread. Only the first call acts: the JDK may hand a dropped
     * body's connection to its clean-up thread, which holds the stream while it drains it (up to
     * 5 s), and a second close would wait for that.
     */
    @Override
    public void close() throws IOException {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      if (ended) {
        super.close();
      } else {
        connection.disconnect(); // closes the socket, or leaves a short rest to the JDK's clean-up
      }
    }
  }

  /** An answer as {@link HttpTransport} reads it. */
  private record Answer(HttpRequest request, int statusCode, HttpHeaders headers,
      InputStream body) implements HttpResponse<InputStream> {
    @Override
    public Optional<HttpResponse<InputStream>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
