package dev.updater.core.source;

import static dev.updater.testkit.Digests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.FaultyHttpServer;
import dev.updater.core.FaultyHttpServer.Fault;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider.Request;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private repository: a real server that answers 401 without the right {@code Authorization}
 * header and 403 with another. The source sends the configured header to the repository's origin
 * only, never after a redirect to another host, and never shows it.
 */
class HttpReleaseSourceAuthorizationTest {
  private static final String TOKEN = "s3cret-t0ken-value";
  private static final String BEARER = "Bearer " + TOKEN;
  private static final String INDEX = "/channels/stable.json";
  private static final String ARTIFACT = "/releases/1.0.0/app.tar.gz";
  private static final byte[] CONTENT = "the artifact's bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path repo;

  @TempDir
  Path tmp;

  private FaultyHttpServer server;
  private Artifact artifact;

  @BeforeEach
  void start() throws IOException {
    artifact = new Artifact("app.tar.gz", CONTENT.length, sha256(CONTENT), ARTIFACT.substring(1));
    write(INDEX, MetadataJson.write(new ReleaseIndex("myapp", "stable", 1, Optional.empty(),
        List.of(Release.of(Version.parse("1.0.0"), "stable", artifact)))));
    write(ARTIFACT, CONTENT);
    server = FaultyHttpServer.serve(repo).requireAuthorization(BEARER);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldReadAPrivateRepositoryWithABearerToken() throws IOException {
    HttpReleaseSource source = source().bearerToken(TOKEN).build();

    assertThat(source.index("stable").releases()).hasSize(1);
    assertThat(read(source, artifact)).isEqualTo(CONTENT);
    assertThat(server.requestHeaders(ARTIFACT).get(0).get("Authorization"))
        .containsExactly(BEARER);
  }

  @Test
  void shouldSendBasicCredentials() throws IOException {
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        "deploy:pa ss:word".getBytes(StandardCharsets.UTF_8));
    server.requireAuthorization(basic);

    assertThat(source().basicAuth("deploy", "pa ss:word").build().index("stable").releases())
        .hasSize(1);
  }

  @Test
  void shouldNeverAskTheJvmDefaultAuthenticatorForTheRepository() throws IOException {
    List<String> asked = new CopyOnWriteArrayList<>();
    List<String> sent = new CopyOnWriteArrayList<>();
    // a Basic challenge, which the JDK answers with the default authenticator when it may
    HttpServer basic = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    basic.createContext("/", ex -> {
      sent.addAll(ex.getRequestHeaders().getOrDefault("Authorization", List.of()));
      ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"updates\"");
      ex.sendResponseHeaders(401, -1);
      ex.close();
    });
    basic.start();
    Authenticator.setDefault(new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        asked.add(getRequestingHost());
        return new PasswordAuthentication("host-user", "host-password".toCharArray());
      }
    });
    try {
      HttpReleaseSource source = HttpReleaseSource.builder(URI.create("http://127.0.0.1:"
          + basic.getAddress().getPort() + "/")).maxAttempts(1).build();

      assertThatThrownBy(() -> source.index("stable"))
          .isInstanceOfSatisfying(HttpSourceException.class, e -> assertThat(e.kind())
              .isEqualTo(HttpSourceException.Kind.UNAUTHORIZED));
      assertThat(asked).isEmpty();
      assertThat(sent).isEmpty();
    } finally {
      Authenticator.setDefault(null);
      basic.stop(0);
    }
  }

  @Test
  void shouldReadTheHeaderValueFromAFile() throws IOException {
    Path secret = tmp.resolve("authorization");
    Files.writeString(secret, BEARER + "\n");

    assertThat(source().authorizationFile(secret).build().index("stable").releases()).hasSize(1);
  }

  @Test
  void shouldReportAMissingCredentialAsUnauthorizedNamingTheSettingWithoutRetrying() {
    HttpReleaseSource source = source().build();

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOfSatisfying(HttpSourceException.class, e -> assertThat(e.kind())
            .isEqualTo(HttpSourceException.Kind.UNAUTHORIZED))
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("no Authorization header was sent")
        .hasMessageContaining("HttpReleaseSource.Builder.authorization");
    assertThat(server.requests(INDEX)).isEqualTo(1);
  }

  @Test
  void shouldReportARefusedCredentialAsForbiddenWithoutShowingIt() {
    HttpReleaseSource source = source().bearerToken("not-the-" + TOKEN).build();

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOfSatisfying(HttpSourceException.class, e -> assertThat(e.kind())
            .isEqualTo(HttpSourceException.Kind.FORBIDDEN))
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("check its value")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void shouldNotSendTheCredentialAfterARedirectToAnotherHost() throws IOException {
    write("/mirror/app.tar.gz", CONTENT);
    server.requireAuthorization(null);
    // localhost and 127.0.0.1 are the same server but another origin for the client
    String otherHost = "http://localhost:" + server.baseUrl().getPort() + "/mirror/app.tar.gz";
    server.next(ARTIFACT, Fault.status(302, "Location", otherHost));

    assertThat(read(source().bearerToken(TOKEN).build(), artifact)).isEqualTo(CONTENT);
    assertThat(server.requestHeaders(ARTIFACT).get(0).get("Authorization"))
        .containsExactly(BEARER);
    assertThat(server.requestHeaders("/mirror/app.tar.gz")).singleElement()
        .satisfies(headers -> assertThat(headers).doesNotContainKey("Authorization"));
  }

  @Test
  void shouldKeepTheCredentialOnARedirectWithinTheOrigin() throws IOException {
    write("/mirror/app.tar.gz", CONTENT);
    server.next(ARTIFACT, Fault.status(302, "Location", "/mirror/app.tar.gz"));

    assertThat(read(source().bearerToken(TOKEN).build(), artifact)).isEqualTo(CONTENT);
    assertThat(server.requestHeaders("/mirror/app.tar.gz").get(0).get("Authorization"))
        .containsExactly(BEARER);
  }

  @Test
  void shouldNotSendTheCredentialToAnArtifactUrlOnAnotherHost() throws IOException {
    server.requireAuthorization(null);
    Artifact elsewhere = new Artifact("app.tar.gz", CONTENT.length, sha256(CONTENT),
        "http://localhost:" + server.baseUrl().getPort() + ARTIFACT);

    assertThat(read(source().bearerToken(TOKEN).build(), elsewhere)).isEqualTo(CONTENT);
    assertThat(server.requestHeaders(ARTIFACT).get(0)).doesNotContainKey("Authorization");
  }

  @Test
  void shouldNeverShowTheCredentialInItsDescription() {
    HttpReleaseSource source = source().bearerToken(TOKEN).build();

    assertThat(source.toString()).doesNotContain(TOKEN);
    assertThat(source.describe()).doesNotContain(TOKEN);
  }

  @Test
  void shouldRefuseAHeaderValueOnSeveralLinesWithoutShowingIt() {
    assertThatThrownBy(() -> source().authorization(BEARER + "\r\nX-Injected: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one line")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void shouldTakeTheCredentialOfASourceOpenedByUrlFromTheEnvironment() throws IOException {
    ReleaseSource source = ReleaseSources.open(Request.unsigned(server.baseUrl())
        .withEnvironment(Map.of(HttpSourceProvider.AUTHORIZATION, BEARER)));

    assertThat(source.index("stable").releases()).hasSize(1);
    assertThat(source.toString()).doesNotContain(TOKEN);
  }

  @Test
  void shouldNameTheEnvironmentVariableWhenASourceOpenedByUrlIsRefused() {
    ReleaseSource source = ReleaseSources.open(Request.unsigned(server.baseUrl())
        .withEnvironment(Map.of()));

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(HttpSourceException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("UPDATER_HTTP_AUTHORIZATION");
  }

  // ---------------------------------------------------------------------------------------------

  private HttpReleaseSource.Builder source() {
    return HttpReleaseSource.builder(server.baseUrl())
        .readTimeout(Duration.ofSeconds(30))
        .maxAttempts(2)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .sleeper(d -> { });
  }

  private static byte[] read(HttpReleaseSource source, Artifact a) throws IOException {
    try (InputStream in = source.open(a, 0)) {
      return in.readAllBytes();
    }
  }

  private void write(String path, byte[] bytes) throws IOException {
    Path file = repo.resolve(path.substring(1));
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }
}
