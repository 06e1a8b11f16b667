package dev.updater.core.source.github;

import dev.updater.core.Artifact;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.source.HttpReleaseSource.Sleeper;
import dev.updater.core.internal.http.HttpOptions;
import dev.updater.core.internal.http.HttpTransport;
import dev.updater.core.internal.http.Exchange;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ReleaseSource} that reads the releases of a GitHub repository (or of any server that
 * answers the same REST API, such as GitHub Enterprise): releases are Git tags {@code
 * vMAJOR.MINOR.PATCH}, each with the archive to install and a {@code SHA256SUMS} file as assets.
 *
 * <p>{@link #index} sends one API request, {@code GET <apiBase>/repos/<owner>/<repo>/releases
 * ?per_page=100} (the first page: the 100 most recently created releases), then downloads the
 * checksum file of each of the newest {@link Builder#maxReleases} eligible releases (5 by
 * default). Drafts and tags that are not semantic versions are skipped. Channel {@code stable}
 * lists releases that are neither marked pre-release on GitHub nor have a pre-release tag ({@code
 * v2.0.0-rc.1}); channel {@code beta} lists pre-releases <em>and</em> stable releases, so a beta
 * install also gets a stable release newer than its last beta; any other channel is a {@link
 * NoSuchFileException}. A release without the asset named by {@link Builder#assetName}, without
 * the checksum file, or whose checksum file has no line for the asset is skipped (logged at INFO).
 * The artifact's SHA-256 comes from the checksum file, its size from the asset, its location is the
 * asset's {@code browser_download_url}.
 *
 * <p>What is trusted: GitHub's release metadata is not signed, and the index has serial 0 and no
 * expiry, so the source offers no protection of its own against an old or frozen list. Without
 * {@link Builder#trustedKeys} the checksum file is trusted as GitHub (over TLS) serves it. With
 * keys, each checksum file must have a {@code SHA256SUMS.minisig} asset, a minisign signature by a
 * trusted key over its exact bytes: a release without one is skipped (WARN), one whose signature
 * does not verify fails the whole index with a {@link VerificationException}. The signed checksum
 * file (and the trusted comment in its signature) is then the only authenticated, and only
 * fresh, statement about a release. See {@code docs/github-source.md}.
 *
 * <p>The token, when given, is sent as {@code Authorization: Bearer} with the API request only
 * (never with asset downloads), over a client that does not follow redirects so it cannot be
 * forwarded to another host; it is never logged nor put in an error message.
 *
 * <pre>{@code
 * String repo = GitHubReleaseSource.resolveRepository(System.getenv(), settings.updateRepo(),
 *     Path.of("/opt/myapp")).orElse("my-org/myapp");
 * ReleaseSource source = GitHubReleaseSource.builder(repo)
 *     .assetName("myapp-{version}-linux-amd64.tar.gz")
 *     .trustedKeys(TrustedKeys.read(Path.of("/etc/myapp/updater.pub")))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe: every call makes its own requests.
 */
public final class GitHubReleaseSource implements ReleaseSource {

  /** The environment variable naming the repository, read first by {@link #resolveRepository}. */
  public static final String REPOSITORY_ENV = "UPDATE_REPO";

  private final String repository;
  private final URI apiBase;
  private final GitHubIndexReader reader;
  private final HttpTransport downloads;

  private GitHubReleaseSource(String repository, URI apiBase, GitHubIndexReader reader,
      HttpTransport downloads) {
    this.repository = repository;
    this.apiBase = apiBase;
    this.reader = reader;
    this.downloads = downloads;
  }

  /**
   * A builder for a source reading the releases of {@code repository}, {@code owner/repo}.
   *
   * @throws IllegalArgumentException when {@code repository} is not {@code owner/repo}
   */
  public static Builder builder(String repository) {
    return new Builder(RepositoryName.check(repository, "repository"));
  }

  /**
   * Which repository to update from, in the order of a git-checkout install: the environment
   * variable {@value #REPOSITORY_ENV}, then {@code stored} (a value the host keeps, such as one
   * set from its admin page), then the {@code owner/repo} of the {@code origin} remote in {@code
   * <gitCheckout>/.git/config} (https, ssh and {@code git@host:owner/repo.git} URLs). A blank
   * variable or stored value counts as absent.
   *
   * @return the repository, or empty when none of the three names one
   * @throws IllegalArgumentException when the variable or the stored value is set but is not
   *     {@code owner/repo} (a configuration mistake is not passed over silently)
   * @throws IOException when the checkout's Git files are there but cannot be read
   */
  public static Optional<String> resolveRepository(Map<String, String> env,
      Optional<String> stored, Path gitCheckout) throws IOException {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(stored, "stored");
    Objects.requireNonNull(gitCheckout, "gitCheckout");
    String fromEnv = env.get(REPOSITORY_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(RepositoryName.check(fromEnv.strip(),
          "environment variable " + REPOSITORY_ENV));
    }
    if (stored.isPresent() && !stored.get().isBlank()) {
      return Optional.of(RepositoryName.check(stored.get().strip(), "stored repository"));
    }
    return GitRemote.originRepository(gitCheckout).filter(RepositoryName::isValid);
  }

  /**
   * Lists the releases of {@code channel} ({@code stable} or {@code beta}), as the class
   * description says.
   *
   * @throws NoSuchFileException when the channel is another one, or the repository is not found
   *     (404; also what GitHub answers for a private repository without a token)
   * @throws VerificationException when the releases list is larger than 16 MiB or malformed, a
   *     checksum file is malformed or lists a name twice, or (with trusted keys) a checksum file's
   *     signature does not verify
   * @throws IOException when GitHub cannot be reached, refuses (403, often the rate limit), or
   *     keeps failing after the retries
   */
  @Override
  public ReleaseIndex index(String channel) throws IOException {
    return reader.read(channel);
  }

  /**
   * Streams the artifact from its {@code browser_download_url}, from byte {@code offset} on (with
   * {@code Range}), through the same guarded, retrying transport as {@link HttpReleaseSource#open}.
   *
   * @throws IllegalArgumentException when {@code offset} is outside {@code 0..artifact.size()}
   * @throws NoSuchFileException when the server answers 404 or 410
   * @throws VerificationException when the location is not an absolute http(s) URL, or a resumed
   *     answer does not start at {@code offset}
   */
  @Override
  public InputStream open(Artifact artifact, long offset) throws IOException {
    Objects.requireNonNull(artifact, "artifact");
    if (offset < 0 || offset > artifact.size()) {
      throw new IllegalArgumentException("offset " + offset + " is outside 0.." + artifact.size()
          + " for artifact " + artifact.name());
    }
    URI location = GitHubTransports.downloadUri(artifact);
    return downloads.open(location, offset, artifact.size() - offset + 1,
        "artifact " + artifact.name());
  }

  @Override
  public String describe() {
    return "GitHub releases of " + repository + " at " + apiBase;
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * Configures a {@link GitHubReleaseSource}. {@link #assetName} is required. Setters check their
   * argument at once and return {@code this}; {@link #build()} checks the settings together. The
   * HTTP settings mean what they mean for {@link HttpReleaseSource.Builder}, with the same
   * defaults. Not thread-safe.
   */
  public static final class Builder {
    /** The default API base: {@code https://api.github.com/}. */
    public static final URI DEFAULT_API_BASE = URI.create("https://api.github.com/");
    /** The default checksum file name: {@code SHA256SUMS}. */
    public static final String DEFAULT_CHECKSUMS_NAME = "SHA256SUMS";
    /** The default number of newest releases whose checksum file is read: 5. */
    public static final int DEFAULT_MAX_RELEASES = 5;
    /** The GitHub REST API version asked for. */
    static final String API_VERSION = "2022-11-28";

    private final String repository;
    private URI apiBase = DEFAULT_API_BASE;
    private String assetPattern;
    private String checksumsName = DEFAULT_CHECKSUMS_NAME;
    private TrustedKeys keys;
    private String token;
    private int maxReleases = DEFAULT_MAX_RELEASES;
    private final HttpOptions options = new HttpOptions(
        HttpReleaseSource.Builder.DEFAULT_CONNECT_TIMEOUT,
        HttpReleaseSource.Builder.DEFAULT_READ_TIMEOUT,
        HttpReleaseSource.Builder.DEFAULT_MAX_ATTEMPTS,
        HttpReleaseSource.Builder.DEFAULT_MIN_BACKOFF,
        HttpReleaseSource.Builder.DEFAULT_MAX_BACKOFF,
        HttpReleaseSource.Builder.DEFAULT_MAX_RETRY_DURATION,
        HttpReleaseSource.Builder.DEFAULT_MIN_BYTES_PER_SECOND,
        HttpReleaseSource.Builder.DEFAULT_THROUGHPUT_WINDOW,
        HttpOptions::defaultUserAgent);

    private Builder(String repository) {
      this.repository = repository;
    }

    /**
     * The REST API root (default {@code https://api.github.com/}; GitHub Enterprise: {@code
     * https://<host>/api/v3/}), an http(s) URL without query or fragment; a missing trailing
     * {@code /} is added.
     */
    public Builder apiBase(URI apiBase) {
      Objects.requireNonNull(apiBase, "apiBase");
      String scheme =
          apiBase.getScheme() == null ? "" : apiBase.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || apiBase.getHost() == null) {
        throw new IllegalArgumentException(
            "apiBase " + apiBase + " must be an http(s) URL with a host");
      }
      if (apiBase.getRawQuery() != null || apiBase.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "apiBase " + apiBase + " must not have a query or fragment");
      }
      String path = apiBase.getRawPath() == null ? "" : apiBase.getRawPath();
      this.apiBase = path.endsWith("/") ? apiBase : URI.create(apiBase + "/");
      return this;
    }

    /**
     * The name of the release asset to install, where {@code {version}} stands for the tag without
     * its leading {@code v}: {@code myapp-{version}-linux-amd64.tar.gz} is {@code
     * myapp-1.2.0-linux-amd64.tar.gz} in release {@code v1.2.0}. Required.
     *
     * <p>With {@code {os}} and {@code {arch}} ({@code myapp-{version}-{os}-{arch}.tar.gz}), every
     * matching asset becomes an artifact for the platform its name says ({@code linux-amd64} is
     * {@code linux-x86_64}); an install takes its own ({@code Updater.Builder#platform}).
     *
     * @throws IllegalArgumentException when it is blank, holds a path separator or a control
     *     character, a placeholder other than {@code {version}}, {@code {os}} and {@code {arch}},
     *     or only one of the last two
     */
    public Builder assetName(String pattern) {
      Objects.requireNonNull(pattern, "pattern");
      checkFileName(pattern, "assetName");
      GitHubIndexReader.checkPattern(pattern);
      this.assetPattern = pattern;
      return this;
    }

    /** The name of the checksum file asset (default {@code SHA256SUMS}). */
    public Builder checksumsName(String checksumsName) {
      Objects.requireNonNull(checksumsName, "checksumsName");
      this.checksumsName = checkFileName(checksumsName, "checksumsName");
      return this;
    }

    /**
     * Requires the checksum file of every listed release to be signed by one of {@code keys}: the
     * release's {@code <checksumsName>.minisig} asset is checked over the file's exact bytes.
     * Default: checksum files are trusted as served.
     */
    public Builder trustedKeys(TrustedKeys keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * A GitHub token, sent as {@code Authorization: Bearer <token>} with the API request only: it
     * raises the rate limit and reaches private repositories' release lists. Default: none.
     *
     * @throws IllegalArgumentException when it is empty or holds anything but visible ASCII (the
     *     message does not repeat it)
     */
    public Builder token(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("token must be non-empty visible ASCII without spaces");
      }
      this.token = token;
      return this;
    }

    /**
     * How many releases, newest version first, have their checksum file read and are listed
     * (default 5, at most 100): each costs one download per check.
     */
    public Builder maxReleases(int maxReleases) {
      if (maxReleases < 1 || maxReleases > 100) {
        throw new IllegalArgumentException("maxReleases must be 1..100, was " + maxReleases);
      }
      this.maxReleases = maxReleases;
      return this;
    }

    /** The longest time to open a connection (default 10 s); a setting of the built client. */
    public Builder connectTimeout(Duration connectTimeout) {
      options.connectTimeout(connectTimeout);
      return this;
    }

    /** The longest wait for response headers and for the next body byte (default 30 s). */
    public Builder readTimeout(Duration readTimeout) {
      options.readTimeout(readTimeout);
      return this;
    }

    /** How many times one request is tried, the first included (default 4; 1 turns retries off). */
    public Builder maxAttempts(int maxAttempts) {
      options.maxAttempts(maxAttempts);
      return this;
    }

    /** The wait before the first retry, doubled each time up to {@code max} (1 s to 30 s). */
    public Builder backoff(Duration min, Duration max) {
      options.backoff(min, max);
      return this;
    }

    /** The time after the first attempt from which no new attempt starts (default 5 min). */
    public Builder maxRetryDuration(Duration maxRetryDuration) {
      options.maxRetryDuration(maxRetryDuration);
      return this;
    }

    /** The slowest a body may arrive (default 1 KiB/s over 30 s); 0 turns the check off. */
    public Builder minThroughput(long bytesPerSecond, Duration window) {
      options.minThroughput(bytesPerSecond, window);
      return this;
    }

    /** The {@code User-Agent} header (GitHub requires one; a default names the library). */
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
     * A client to send requests with instead of the JDK's {@code HttpURLConnection}, for a proxy
     * selector, a proxy authenticator or HTTP/2. Downloads use it as is; with a token, the API
     * request uses a copy of its settings that does not follow redirects.
     */
    public Builder httpClient(HttpClient httpClient) {
      options.httpClient(httpClient);
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
     * @throws IllegalStateException when {@code assetName} was not given, both {@code httpClient}
     *     and {@code connectTimeout} were, or {@code maxRetryDuration} is not longer than the first
     *     backoff
     */
    public GitHubReleaseSource build() {
      if (assetPattern == null) {
        throw new IllegalStateException("assetName is required: the name of the release asset to "
            + "install, such as myapp-{version}-linux-amd64.tar.gz");
      }
      Exchange exchange = options.exchange();
      if (assetPattern.equals(checksumsName)) {
        throw new IllegalStateException("assetName and checksumsName are both '" + checksumsName
            + "'");
      }
      HttpTransport api = GitHubTransports.api(options, exchange, token, API_VERSION);
      HttpTransport downloads = new HttpTransport(options.settings(exchange));
      URI listUri = apiBase.resolve("repos/" + repository + "/releases?per_page=100");
      GitHubIndexReader reader = new GitHubIndexReader(new GitHubIndexReader.Settings(repository,
          listUri, assetPattern, checksumsName, Optional.ofNullable(keys), maxReleases), api,
          downloads);
      return new GitHubReleaseSource(repository, apiBase, reader, downloads);
    }



    private static String checkFileName(String name, String what) {
      if (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".")
          || name.equals("..") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException(what + " '" + name + "' must be one file name, without "
            + "path separators or control characters");
      }
      return name;
    }
  }
}
