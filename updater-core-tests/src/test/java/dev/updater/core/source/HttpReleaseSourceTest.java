package dev.updater.core.source;

import dev.updater.core.Artifact;
import dev.updater.core.FaultyHttpServer;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import static dev.updater.testkit.Digests.sha256;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.FaultyHttpServer.Fault;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class HttpReleaseSourceTest {

  private static final String INDEX = "/channels/stable.json";
  private static final String ARTIFACT = "/releases/1.0.0/app.tar.gz";
  private static final byte[] CONTENT = content(2000);

  @TempDir
  Path repo;

  private FaultyHttpServer server;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private ReleaseIndex published;
  private Artifact artifact;

  @BeforeEach
  void startServer() throws IOException {
    artifact = new Artifact("app.tar.gz", CONTENT.length, sha256(CONTENT), ARTIFACT.substring(1));
    published = new ReleaseIndex("myapp", "stable", 1, Optional.empty(),
        List.of(Release.of(Version.parse("1.0.0"), "stable", artifact)));
    write(INDEX, MetadataJson.write(published));
    write(ARTIFACT, CONTENT);
    server = FaultyHttpServer.serve(repo);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /**
   * Fast backoff and a sleeper that records instead of waiting. The read timeout is long: a
   * server slowed by a busy machine must not time out and be asked again, which would change the
   * request counts the tests assert; the tests of timeouts set their own.
   */
  private HttpReleaseSource.Builder source() {
    return HttpReleaseSource.builder(server.baseUrl())
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(30))
        .maxAttempts(3)
        .backoff(Duration.ofMillis(10), Duration.ofSeconds(5))
        .sleeper(sleeps::add);
  }

  @Test
  void shouldFetchAndParseTheIndexOfAChannel() throws IOException {
    assertThat(source().build().index("stable")).isEqualTo(published);
  }

  @Test
  void shouldReadAnIndexSignedByATrustedKey() throws IOException {
    SigningKey key = SigningKey.generate();
    write(INDEX + ".minisig", key.sign(MetadataJson.write(published), "stable serial 1")
        .getBytes(UTF_8));

    ReleaseIndex index = source().trustedKeys(TrustedKeys.parse(key.publicKeyText())).build()
        .index("stable");

    assertThat(index).isEqualTo(published);
    assertThat(server.requests(INDEX + ".minisig")).isEqualTo(1);
  }

  @Test
  void shouldRefuseATamperedSignedIndexBeforeParsingIt() throws IOException {
    SigningKey key = SigningKey.generate();
    write(INDEX + ".minisig", key.sign(MetadataJson.write(published), "stable serial 1")
        .getBytes(UTF_8));
    write(INDEX, "{ not even json".getBytes(UTF_8));

    HttpReleaseSource signed =
        source().trustedKeys(TrustedKeys.parse(key.publicKeyText())).build();

    assertThatThrownBy(() -> signed.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("bad signature");
  }

  @Test
  void shouldRefuseAnUnsignedIndexWhenKeysAreTrusted() {
    HttpReleaseSource signed = source()
        .trustedKeys(TrustedKeys.parse(SigningKey.generate().publicKeyText())).build();

    assertThatThrownBy(() -> signed.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not signed");
  }

  @Test
  void shouldRefuseAnIndexSignedByAnUntrustedKey() throws IOException {
    write(INDEX + ".minisig", SigningKey.generate().sign(MetadataJson.write(published), "x")
        .getBytes(UTF_8));
    HttpReleaseSource signed = source()
        .trustedKeys(TrustedKeys.parse(SigningKey.generate().publicKeyText())).build();

    assertThatThrownBy(() -> signed.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not trusted");
  }

  @Test
  void shouldReportAMissingChannelAsNoSuchFileAfterExactlyOneRequest() {
    assertThatThrownBy(() -> source().build().index("beta"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("channel 'beta'");
    assertThat(server.requests("/channels/beta.json")).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldRetryA503AfterWaitingAsLongAsRetryAfterAsks() throws IOException {
    server.next(INDEX, Fault.status(503, "Retry-After", "2"));

    assertThat(source().build().index("stable")).isEqualTo(published);
    assertThat(server.requests(INDEX)).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void shouldCapAWaitThatRetryAfterAsksAtTheLongestBackoff() throws IOException {
    server.next(INDEX, Fault.status(429, "Retry-After", "3600"));

    source().build().index("stable");

    assertThat(sleeps).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void shouldGiveUpAfterTheConfiguredAttemptsWhenTheServerKeepsFailing() {
    server.always(INDEX, Fault.status(500));

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 500");
    assertThat(server.requests(INDEX)).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void shouldBackOffExponentiallyBetweenAttempts() {
    server.always(INDEX, Fault.status(502));

    assertThatThrownBy(() -> source().maxAttempts(4).build().index("stable"))
        .isInstanceOf(IOException.class);
    // 10, 20, 40 ms with a jitter of 25 %
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(7), Duration.ofMillis(13));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(30), Duration.ofMillis(50));
  }

  @Test
  void shouldNotRetryAClientError() {
    server.always(INDEX, Fault.status(403));

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 403");
    assertThat(server.requests(INDEX)).isEqualTo(1);
  }

  @Test
  void shouldRefuseAnIndexLargerThanTheCapWithoutRetrying() throws IOException {
    byte[] huge = new byte[MetadataJson.MAX_INDEX_BYTES + 1];
    Arrays.fill(huge, (byte) ' ');
    write(INDEX, huge);

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("more than the " + MetadataJson.MAX_INDEX_BYTES + " bytes");
    assertThat(server.requests(INDEX)).isEqualTo(1);
  }

  @Test
  void shouldStopReadingAnEndlessIndexAfterTheCap() {
    server.always(INDEX, Fault.endless());

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("more than " + MetadataJson.MAX_INDEX_BYTES + " bytes");
  }

  @Test
  void shouldRefuseAnIndexOfAnotherChannel() throws IOException {
    write("/channels/beta.json", MetadataJson.write(published));

    assertThatThrownBy(() -> source().build().index("beta"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("index for channel 'stable' served as 'beta'");
  }

  @Test
  void shouldRejectAnInvalidChannelNameWithoutARequest() {
    assertThatThrownBy(() -> source().build().index("../secrets"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requestHeaders()).isEmpty();
  }

  @Test
  void shouldDownloadAWholeArtifact() throws IOException {
    assertThat(readAll(source().build(), 0)).isEqualTo(CONTENT);
  }

  @Test
  void shouldResumeFromAnOffsetWithARangeRequest() throws IOException {
    assertThat(readAll(source().build(), 700)).isEqualTo(tail(700));
    assertThat(server.requestHeaders().get(0).get("Range")).containsExactly("bytes=700-");
  }

  @Test
  void shouldNameTheETagOfTheAnswerAsTheValidatorOfADownload() throws IOException {
    ReleaseSource.Opened opened = source().build().resume(artifact, 0, Optional.empty());

    try (InputStream in = opened.body()) {
      assertThat(in.readAllBytes()).isEqualTo(CONTENT);
    }
    assertThat(opened.offset()).isZero();
    assertThat(opened.validator()).contains(FaultyHttpServer.etag(CONTENT));
  }

  @Test
  void shouldResumeWithIfRangeWhenTheFileIsStillTheSame() throws IOException {
    String etag = FaultyHttpServer.etag(CONTENT);

    ReleaseSource.Opened opened = source().build().resume(artifact, 700, Optional.of(etag));

    try (InputStream in = opened.body()) {
      assertThat(in.readAllBytes()).isEqualTo(tail(700));
    }
    assertThat(opened.offset()).isEqualTo(700);
    assertThat(server.requestHeaders().get(0).get("If-range")).containsExactly(etag);
    assertThat(server.requestHeaders().get(0).get("Range")).containsExactly("bytes=700-");
  }

  @Test
  void shouldRestartFromByteZeroWhenTheFileChangedSinceTheValidator() throws IOException {
    String before = FaultyHttpServer.etag(tail(1)); // the validator of another copy

    ReleaseSource.Opened opened = source().build().resume(artifact, 700, Optional.of(before));

    try (InputStream in = opened.body()) {
      assertThat(in.readAllBytes()).isEqualTo(CONTENT); // the whole new copy, nothing skipped
    }
    assertThat(opened.offset()).isZero();
    assertThat(opened.validator()).contains(FaultyHttpServer.etag(CONTENT));
  }

  @Test
  void shouldNameTheAddressAndTheAttemptsWhenTheServerCannotBeReached() throws IOException {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed below: nothing listens there any more
    }
    HttpReleaseSource unreachable = HttpReleaseSource.builder(
            URI.create("http://127.0.0.1:" + port + "/myapp/"))
        .maxAttempts(3).backoff(Duration.ofMillis(10), Duration.ofSeconds(5))
        .sleeper(sleeps::add).build();

    assertThatThrownBy(() -> unreachable.index("stable"))
        .isInstanceOfSatisfying(HttpSourceException.class, e -> assertThat(e.kind())
            .isEqualTo(HttpSourceException.Kind.UNREACHABLE))
        .hasMessageContaining("cannot reach 127.0.0.1:" + port)
        .hasMessageContaining("http://127.0.0.1:" + port + "/myapp/channels/stable.json")
        .hasMessageContaining("after 3 attempt(s)")
        .hasMessageContaining("ConnectException");
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void shouldSayHowManyAttemptsWereMadeWhenTheServerKeepsFailing() {
    server.always(INDEX, Fault.status(503));

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 503 from " + server.baseUrl().resolve("channels/stable.json"))
        .hasMessageContaining("after 3 attempt(s)");
  }

  @Test
  void shouldReturnExactlyTheBytesFromTheOffsetWhenTheServerIgnoresRange() throws IOException {
    server.always(ARTIFACT, Fault.ignoreRange());

    assertThat(readAll(source().build(), 700)).isEqualTo(tail(700));
  }

  @Test
  void shouldReturnNoBytesWhenResumingAtTheEndOfACompleteFile() throws IOException {
    assertThat(readAll(source().build(), CONTENT.length)).isEmpty();
  }

  @Test
  void shouldRefuseA206ThatStartsElsewhereThanTheOffset() {
    server.always(ARTIFACT, Fault.wrongContentRange());

    assertThatThrownBy(() -> readAll(source().build(), 700))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("Content-Range 'bytes 0-1999/2000'");
  }

  @Test
  void shouldRetryAnArtifactRequestThatFailsBeforeTheBody() throws IOException {
    server.next(ARTIFACT, Fault.status(500));

    assertThat(readAll(source().build(), 0)).isEqualTo(CONTENT);
    assertThat(server.requests(ARTIFACT)).isEqualTo(2);
  }

  @Test
  void shouldReportAMissingArtifactAsNoSuchFileWithoutRetrying() throws IOException {
    Files.delete(repo.resolve(ARTIFACT.substring(1)));

    assertThatThrownBy(() -> readAll(source().build(), 0)).isInstanceOf(NoSuchFileException.class);
    assertThat(server.requests(ARTIFACT)).isEqualTo(1);
  }

  @Test
  void shouldStopAnEndlessBodyOneByteAfterTheDeclaredSize() throws IOException {
    server.always(ARTIFACT, Fault.endless());
    Artifact small = new Artifact("app.tar.gz", 100, artifact.sha256(), artifact.location());

    try (InputStream in = source().build().open(small, 40)) {
      assertThat(in.readAllBytes()).hasSize(61);
    }
  }

  @Test
  void shouldStopABodyLongerThanTheDeclaredSizeOneByteAfterIt() throws IOException {
    // the server's Content-Length (2000) claims more than the index declares (100)
    Artifact declaredShorter = new Artifact("app.tar.gz", 100, artifact.sha256(), artifact.location());

    try (InputStream in = source().build().open(declaredShorter, 0)) {
      assertThat(in.readAllBytes()).hasSize(101);
    }
  }

  @Test
  void shouldFollowARedirectThatKeepsTheScheme() throws IOException {
    server.next(ARTIFACT, Fault.status(302, "Location", "/mirror/app.tar.gz"));
    write("/mirror/app.tar.gz", CONTENT);

    assertThat(readAll(source().build(), 0)).isEqualTo(CONTENT);
    assertThat(server.requests("/mirror/app.tar.gz")).isEqualTo(1);
  }

  @Test
  void shouldFailAStalledBodyWithinTheIdleTimeout() throws IOException {
    server.always(ARTIFACT, Fault.stallAfter(10));
    long start = System.nanoTime();

    try (InputStream in = source().readTimeout(Duration.ofMillis(300)).build().open(artifact, 0)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no data for 300 ms");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void shouldAbortABodyTricklingBelowTheMinimumThroughput() throws IOException {
    server.always(ARTIFACT, Fault.trickle(20)); // about 50 bytes/s, each byte well within 30 s

    try (InputStream in = source().minThroughput(1000, Duration.ofMillis(300)).build()
        .open(artifact, 0)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("slower than the minimum of 1000 bytes/s");
    }
  }

  @Test
  void shouldFailWhenTheConnectionClosesMidBody() throws IOException {
    server.always(ARTIFACT, Fault.cutAfter(500));

    try (InputStream in = source().build().open(artifact, 0)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
    }
  }

  @Test
  void shouldDownloadAnArtifactFromAnAbsoluteUrl() throws IOException {
    Artifact absolute = new Artifact("app.tar.gz", CONTENT.length, artifact.sha256(),
        server.baseUrl().resolve(ARTIFACT.substring(1)).toString());

    try (InputStream in = source().build().open(absolute, 0)) {
      assertThat(in.readAllBytes()).isEqualTo(CONTENT);
    }
  }

  @Test
  void shouldRefuseAnArtifactLocationThatIsNotHttp() {
    Artifact file = new Artifact("app.tar.gz", CONTENT.length, artifact.sha256(), "file:/etc/passwd");

    assertThatThrownBy(() -> source().build().open(file, 0))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not an http(s) URL");
  }

  @Test
  void shouldSendAUserAgentNamingTheLibraryAndTheRunningVersion() throws IOException {
    source().runningVersion(Version.parse("1.2.3")).build().index("stable");

    assertThat(server.requestHeaders().get(0).get("User-agent"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("updater/")
        .contains("running 1.2.3");
  }

  @Test
  void shouldSendRequestsThroughTheProxyOfASuppliedClient() throws IOException {
    HttpClient viaProxy = HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", server.baseUrl().getPort())))
        .build();
    HttpReleaseSource source = HttpReleaseSource.builder(URI.create("http://updates.invalid/"))
        .httpClient(viaProxy)
        .build();

    // updates.invalid cannot resolve: only the proxy (the local server) can answer
    assertThat(source.index("stable")).isEqualTo(published);
    assertThat(server.requests(INDEX)).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------

  private byte[] readAll(HttpReleaseSource source, long offset) throws IOException {
    try (InputStream in = source.open(artifact, offset)) {
      return in.readAllBytes();
    }
  }

  private static byte[] tail(int offset) {
    return Arrays.copyOfRange(CONTENT, offset, CONTENT.length);
  }

  private void write(String path, byte[] bytes) throws IOException {
    Path file = repo.resolve(path.substring(1));
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(bytes);
    }
  }

  private static byte[] content(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }
}
