package dev.updater.core.source;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.internal.http.Credentials;
import dev.updater.core.internal.http.HttpOptions;
import dev.updater.core.internal.http.HttpTransport;
import dev.updater.core.internal.http.TlsContexts;
import dev.updater.core.internal.format.IndexReader;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReleaseSource} that reads an update repository from any static HTTP(S) file host
 * (nginx, S3, a CDN), with the layout of {@link DirectoryReleaseSource}: {@code
 * <base>/channels/<channel>.json} and artifacts at their {@code url}, relative to the base URL or
 * absolute.
 *
 * <p>Requests go through the JDK's {@code HttpURLConnection} (or a {@link Builder#httpClient}).
 * Transient failures (connection errors, timeouts, 408, 429 and 5xx) are retried with backoff and
 * jitter, honouring {@code Retry-After}; the last failure names the address and the attempts.
 * Artifact downloads resume with {@code Range} and {@code If-Range}; bodies are guarded by an idle
 * timeout, a minimum throughput and the declared size. TLS failures, a redirect from https to
 * http and a 401 or 403 are an {@link HttpSourceException} of their kind. An {@link
 * Builder#authorization} goes only to the base URL's origin. See {@code docs/http-source.md}.
 *
 * <p>The SHA-256 and size in the index, not the URL or TLS, are the authority for an artifact; with
 * {@link Builder#trustedKeys} the index must carry a valid signature ({@code
 * channels/<channel>.json.minisig}) by one of the keys, checked before it is parsed; with {@link
 * Builder#trustRoot}, by the keys of the repository's signed key lists ({@code docs/signing.md}).
 *
 * <pre>{@code
 * ReleaseSource source = HttpReleaseSource.builder(URI.create("https://updates.example.com/myapp/"))
 *     .readTimeout(Duration.ofSeconds(20))
 *     .runningVersion(Version.parse(BuildInfo.VERSION))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe: every call makes its own requests.
 */
public final class HttpReleaseSource implements ReleaseSource {
  private static final Logger LOG = LoggerFactory.getLogger(HttpReleaseSource.class);

  private final URI base;
  private final HttpTransport transport;
  private final IndexReader reader;

  private HttpReleaseSource(URI base, HttpTransport transport, IndexReader reader) {
    this.base = base;
    this.transport = transport;
    this.reader = reader;
  }

  /** A source reading the repository at {@code baseUrl} with the default settings. */
  public static HttpReleaseSource of(URI baseUrl) {
    return builder(baseUrl).build();
  }

  /**
   * A builder for a source reading the repository at {@code baseUrl}, an {@code http} or {@code
   * https} URL without query or fragment; a missing trailing {@code /} is added.
   *
   * @throws IllegalArgumentException when {@code baseUrl} is not such a URL
   */
  public static Builder builder(URI baseUrl) {
    return new Builder(HttpLocations.base(baseUrl));
  }

  /**
   * Fetches and parses {@code <base>/channels/<channel>.json}.
   *
   * @throws IllegalArgumentException when {@code channel} is not a channel name
   * @throws NoSuchFileException when the server answers 404 or 410 (not retried)
   * @throws VerificationException when the index is over 4 MiB, malformed, or for another channel
   * @throws IOException when the server cannot be reached or keeps failing after the retries
   */
  @Override
  public ReleaseIndex index(String channel) throws IOException {
    URI uri = HttpLocations.index(base, channel);
    byte[] bytes = transport.get(uri, MetadataJson.MAX_INDEX_BYTES,
        "the index of channel '" + channel + "'");
    ReleaseIndex index;
    try {
      index = reader.read(channel, bytes, this::fetchOptional);
    } catch (VerificationException e) {
      throw new VerificationException(uri + ": " + e.getMessage(), e);
    }
    LOG.debug("Read the index of channel {} from {}: serial {}, {} release(s)", channel, base,
        index.serial(), index.releases().size());
    return index;
  }

  /** A file of the repository that may be absent (empty on 404 or 410), at most {@code cap}. */
  Optional<byte[]> fetchOptional(String relativePath, int cap) throws IOException {
    return transport.getOptional(base.resolve(relativePath), cap, relativePath);
  }

  /**
   * Opens the artifact at its {@code url} resolved against the base URL, from byte {@code offset}
   * on: with {@code Range: bytes=<offset>-} when {@code offset > 0}. A 206 answer must start at
   * {@code offset}; a 200 answer (the server ignores {@code Range}) has its first {@code offset}
   * bytes skipped. Failures before the first body byte are retried.
   *
   * @throws IllegalArgumentException when {@code offset} is negative or beyond {@code
   *     artifact.size()}
   * @throws NoSuchFileException when the server answers 404 or 410 (not retried)
   * @throws VerificationException when the location is not an http(s) URL or relative path, or a
   *     resumed answer does not start at {@code offset} (the partial download is then discarded)
   */
  @Override
  public InputStream open(Artifact artifact, long offset) throws IOException {
    return resume(artifact, offset, Optional.empty()).body();
  }

  /**
   * Like {@link #open}, and a resumed request carries {@code If-Range} with {@code validator}:
   * when the server's file changed since, the whole new file is returned from byte 0. The
   * answer's own validator is its strong {@code ETag}, else its {@code Last-Modified}.
   */
  @Override
  public Opened resume(Artifact artifact, long offset, Optional<String> validator)
      throws IOException {
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(validator, "validator");
    if (offset < 0 || offset > artifact.size()) {
      throw new IllegalArgumentException("offset " + offset + " is outside 0.." + artifact.size()
          + " for artifact " + artifact.name());
    }
    URI uri = HttpLocations.artifact(base, artifact);
    return transport.open(uri, offset, artifact.size() - offset + 1,
        "artifact " + artifact.name(), validator);
  }

  /** One {@code Range: bytes=<first>-<last>} request: see {@link ReleaseSource#openPart}. */
  @Override
  public Opened openPart(Artifact artifact, long offset, long length) throws IOException {
    return transport.openPart(HttpLocations.artifact(base, artifact), offset, length,
        artifact.size(), "part of " + artifact.name());
  }

  /** True: an HTTP repository serves {@code objects/<aa>/<sha256>} under its base URL. */
  @Override
  public boolean servesObjects() {
    return true;
  }

  /**
   * Opens {@code <base>/objects/<first two hex digits>/<sha256>} like an artifact, at most {@code
   * size + 1} bytes.
   *
   * @throws IllegalArgumentException when {@code sha256} is not 64 lower-case hex digits
   * @throws NoSuchFileException when the server answers 404 or 410 (not retried)
   */
  @Override
  public InputStream openObject(Release release, String sha256, long size) throws IOException {
    URI uri = base.resolve(ObjectPaths.relative(sha256));
    return transport.open(uri, 0, size + 1, "object " + sha256 + " of " + release.version());
  }

  @Override
  public String describe() {
    return "HTTP repository " + base + reader.describeTrust();
  }

  /** The base URL, never a credential. */
  @Override
  public String toString() {
    return describe();
  }

  /** Waits between attempts; tests inject one that records instead of waiting. */
  @FunctionalInterface
  public interface Sleeper {
    /** Sleeps with {@link Thread#sleep}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /** Waits {@code duration}, or less when interrupted. */
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * Configures an {@link HttpReleaseSource}. Setters check their argument at once and return
   * {@code this}; {@link #build()} checks the settings together. Not thread-safe.
   */
  public static final class Builder {
    /** The default time to connect: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default longest wait for headers or for the next body byte: 30 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** The default number of attempts of one request, the first included: 4. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** The default first wait before a retry: 1 second, doubled each time. */
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofSeconds(1);
    /** The default longest wait between two attempts: 30 seconds. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** The default time after which no new attempt starts: 5 minutes. */
    public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.ofMinutes(5);
    /** The default minimum throughput: 1 KiB per second. */
    public static final long DEFAULT_MIN_BYTES_PER_SECOND = 1024;
    /** The default window over which the throughput is measured: 30 seconds. */
    public static final Duration DEFAULT_THROUGHPUT_WINDOW = Duration.ofSeconds(30);

    private final URI base;
    private final HttpOptions options = new HttpOptions(DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_MIN_BACKOFF, DEFAULT_MAX_BACKOFF,
        DEFAULT_MAX_RETRY_DURATION, DEFAULT_MIN_BYTES_PER_SECOND, DEFAULT_THROUGHPUT_WINDOW,
        HttpOptions::defaultUserAgent);
    private IndexReader reader = IndexReader.unsigned();
    private String authorization;
    private String authorizationSetBy = "HttpReleaseSource.Builder.authorization";

    private Builder(URI base) {
      this.base = base;
    }

    /** The longest time to open a connection (default 10 s); a setting of the built client. */
    public Builder connectTimeout(Duration connectTimeout) {
      options.connectTimeout(connectTimeout);
      return this;
    }

    /** Requires every index to be signed by one of {@code keys} (default: not checked). */
    public Builder trustedKeys(TrustedKeys keys) {
      this.reader = IndexReader.signed(Objects.requireNonNull(keys, "keys"));
      return this;
    }

    /** Follows the repository's signed key lists from {@code root} ({@code docs/signing.md}). */
    public Builder trustRoot(TrustRoot root) {
      this.reader = IndexReader.rooted(Objects.requireNonNull(root, "root"));
      return this;
    }

    /**
     * The longest wait for the response headers, and for the next byte of a body (default 30 s).
     * A body that stalls longer is closed by a watchdog and fails with an {@link IOException}.
     */
    public Builder readTimeout(Duration readTimeout) {
      options.readTimeout(readTimeout);
      return this;
    }

    /** How many times one request is tried, the first included (default 4; 1 turns retries off). */
    public Builder maxAttempts(int maxAttempts) {
      options.maxAttempts(maxAttempts);
      return this;
    }

    /**
     * The wait before the first retry, doubled for each next one up to {@code max} (default 1 s
     * to 30 s), with a random jitter of 25 %. {@code Retry-After} may ask for longer, up to {@code
     * max}.
     */
    public Builder backoff(Duration min, Duration max) {
      options.backoff(min, max);
      return this;
    }

    /** The time after the first attempt from which no new attempt starts (default 5 min). */
    public Builder maxRetryDuration(Duration maxRetryDuration) {
      options.maxRetryDuration(maxRetryDuration);
      return this;
    }

    /**
     * The slowest a body may arrive: at least {@code bytesPerSecond} on average over every {@code
     * window} (default 1 KiB/s over 30 s); 0 turns the check off. A slower body is closed and
     * fails with an {@link IOException} (slow-retrieval attack).
     */
    public Builder minThroughput(long bytesPerSecond, Duration window) {
      options.minThroughput(bytesPerSecond, window);
      return this;
    }

    /**
     * The {@code User-Agent} header, replacing the default {@code updater/<version>
     * (dev.updater; running <runningVersion>)}.
     */
    public Builder userAgent(String userAgent) {
      options.userAgent(userAgent);
      return this;
    }

    /** The version of the host application, named in the default {@code User-Agent}. */
    public Builder runningVersion(Version runningVersion) {
      options.runningVersion(runningVersion);
      return this;
    }

    /**
     * A client to send every request with instead of {@code HttpURLConnection}, for a proxy
     * selector, proxy authentication or HTTP/2; its timeouts, TLS and redirects are its own.
     */
    public Builder httpClient(HttpClient httpClient) {
      options.httpClient(httpClient);
      return this;
    }

    /**
     * Trusts only the certificates of the key store {@code file} (PKCS12 or JKS) for https,
     * instead of the JDK's default trust store: for a server whose certificate a private
     * authority issued. Read at once; {@code password} may be empty.
     *
     * @throws IllegalArgumentException when the file cannot be read as a key store with this
     *     password, or holds no certificate
     */
    public Builder trustStore(Path file, char[] password) {
      options.sslContext(TlsContexts.trusting(file, password));
      return this;
    }

    /** The TLS context for https (its trust managers decide which servers are trusted). */
    public Builder sslContext(SSLContext sslContext) {
      options.sslContext(sslContext);
      return this;
    }

    /**
     * The value of the {@code Authorization} header, such as {@code "Bearer <token>"}: sent with
     * every request to the base URL's origin (scheme, host and port), never to another origin,
     * whether by an absolute artifact URL or by a redirect. Never logged nor put in a message.
     *
     * @throws IllegalArgumentException when it is blank or not printable text on one line
     */
    public Builder authorization(String value) {
      this.authorization = Credentials.checkAuthorization(value, authorizationSetBy);
      return this;
    }

    /** {@code Authorization: Bearer <token>}, as {@link #authorization} sends it. */
    public Builder bearerToken(String token) {
      Objects.requireNonNull(token, "token");
      return authorization("Bearer " + Credentials.checkAuthorization(token, "bearerToken"));
    }

    /** {@code Authorization: Basic} with {@code user} and {@code password} (RFC 7617, UTF-8). */
    public Builder basicAuth(String user, String password) {
      return authorization(Credentials.basic(user, password));
    }

    /**
     * Reads the {@code Authorization} value from the first line of {@code file} (such as a
     * mounted secret holding {@code Bearer <token>}), as {@link #authorization} takes it.
     *
     * @throws java.io.UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when its first line is not a header value
     */
    public Builder authorizationFile(Path file) {
      String value = Credentials.firstLine(file);
      authorizationSetBy = "the file " + file;
      return authorization(value);
    }

    /** Names where the Authorization value came from, for the message of a 401 or 403. */
    Builder authorizationSetBy(String what) {
      this.authorizationSetBy = Objects.requireNonNull(what, "what");
      return this;
    }

    /** What waits between attempts (default {@link Sleeper#SYSTEM}). */
    public Builder sleeper(Sleeper sleeper) {
      options.sleeper(sleeper);
      return this;
    }

    /**
     * Builds the source. Does no I/O.
     *
     * @throws IllegalStateException when {@code httpClient} was given with {@code connectTimeout},
     *     a trust store or an {@code sslContext}, or {@code maxRetryDuration} is not longer than the
     *     first backoff
     */
    public HttpReleaseSource build() {
      Credentials credentials = authorization == null ? Credentials.none(authorizationSetBy)
          : new Credentials(Map.of("Authorization", authorization), Optional.of(base),
              authorizationSetBy);
      return new HttpReleaseSource(base,
          new HttpTransport(options.settings(options.exchange()), credentials), reader);
    }
  }
}
