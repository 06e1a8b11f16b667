package dev.updater.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.FaultyHttpServer;
import dev.updater.core.FaultyHttpServer.Fault;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider.Request;
import dev.updater.testkit.Digests;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HTTPS server (the JDK's {@code HttpsServer}) with certificates made by {@code keytool} in
 * the test: installs work when the certificate is trusted through a configured trust store; an
 * untrusted certificate, a certificate for another host and a redirect from https to http are
 * refused with an {@link HttpSourceException} of their kind, and nothing is installed.
 */
class HttpsReleaseSourceTest {

  @TempDir
  static Path certs;

  /** A certificate for 127.0.0.1 and localhost. */
  private static Path local;
  /** A certificate for updates.example.com only. */
  private static Path elsewhere;
  /** Trusts both certificates. */
  private static Path trustStore;

  @TempDir
  Path repo;

  @TempDir
  Path home;

  private FaultyHttpServer server;
  private FaultyHttpServer plain;

  @BeforeAll
  static void makeCertificates() throws Exception {
    Certificates ca = new Certificates(certs);
    local = ca.keyPair("local", "ip:127.0.0.1,dns:localhost");
    elsewhere = ca.keyPair("elsewhere", "dns:updates.example.com");
    trustStore = ca.trustStore("trust", local, elsewhere);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (plain != null) {
      plain.close();
    }
  }

  @Test
  void shouldInstallOverHttpsWhenTheCertificateIsTrustedByTheConfiguredTrustStore()
      throws Exception {
    Release release = publish("1.0.0");
    server = https(local);
    Updater updater = updater(source().trustStore(trustStore, Certificates.PASSWORD).build());

    UpdateResult result = updater.install(updater.check().orElseThrow());

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.empty(), release.version()));
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0\n");
  }

  @Test
  void shouldRefuseACertificateThatNoTrustedAuthorityIssued() throws Exception {
    publish("1.0.0");
    server = https(local);
    HttpReleaseSource source = source().build(); // the JDK's default trust store

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOfSatisfying(HttpSourceException.class, e -> {
          assertThat(e.kind()).isEqualTo(HttpSourceException.Kind.UNTRUSTED_CERTIFICATE);
          assertThat(e.uri()).isEqualTo(server.baseUrl().resolve("channels/stable.json"));
        })
        .hasMessageContaining("is not trusted")
        .hasMessageContaining("127.0.0.1:" + server.baseUrl().getPort())
        .hasMessageContaining("trust store");
    assertThat(server.requests()).isEmpty(); // refused in the handshake, never retried
  }

  @Test
  void shouldFailTheCheckClearlyAndChangeNothingWhenTheCertificateIsNotTrusted() throws Exception {
    publish("1.0.0");
    server = https(local);
    Updater updater = updater(source().build());

    assertThatThrownBy(updater::check)
        .isInstanceOfSatisfying(UpdateException.class, e -> assertThat(e.reason())
            .isEqualTo(UpdateException.Reason.SOURCE_UNAVAILABLE))
        .hasMessageContaining("certificate")
        .hasMessageContaining("is not trusted");
    assertThat(home.resolve("current")).doesNotExist();
  }

  @Test
  void shouldRefuseATrustedCertificateIssuedForAnotherHost() throws Exception {
    publish("1.0.0");
    server = https(elsewhere);
    HttpReleaseSource source = source().trustStore(trustStore, Certificates.PASSWORD).build();

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOfSatisfying(HttpSourceException.class, e -> assertThat(e.kind())
            .isEqualTo(HttpSourceException.Kind.HOST_NAME_MISMATCH))
        .hasMessageContaining("is not for host 127.0.0.1");
  }

  @Test
  void shouldRefuseARedirectFromHttpsToHttpWithoutFollowingIt() throws Exception {
    Release release = publish("1.0.0");
    server = https(local);
    plain = FaultyHttpServer.serve(repo);
    String artifactPath = "/" + release.primaryArtifact().location();
    server.always(artifactPath, Fault.status(302, "Location",
        plain.baseUrl().resolve(release.primaryArtifact().location()).toString()));
    HttpReleaseSource source = source().trustStore(trustStore, Certificates.PASSWORD).build();

    assertThatThrownBy(() -> source.open(release.primaryArtifact(), 0).close())
        .isInstanceOfSatisfying(HttpSourceException.class, e -> assertThat(e.kind())
            .isEqualTo(HttpSourceException.Kind.INSECURE_REDIRECT))
        .hasMessageContaining("leaves https");
    assertThat(plain.requests()).isEmpty();
    assertThat(server.requests(artifactPath)).isEqualTo(1);
  }

  @Test
  void shouldFollowARedirectThatStaysOnHttps() throws Exception {
    Release release = publish("1.0.0");
    server = https(local);
    Artifact artifact = release.primaryArtifact();
    Files.copy(repo.resolve(artifact.location()), repo.resolve("moved.tar.gz"));
    server.next("/" + artifact.location(), Fault.status(301, "Location", "/moved.tar.gz"));
    HttpReleaseSource source = source().trustStore(trustStore, Certificates.PASSWORD).build();

    try (InputStream in = source.open(artifact, 0)) {
      assertThat(Digests.sha256(in.readAllBytes())).isEqualTo(artifact.sha256());
    }
  }

  @Test
  void shouldTakeTheTrustStoreOfASourceOpenedByUrlFromTheEnvironment() throws Exception {
    publish("1.0.0");
    server = https(local);
    ReleaseSource source = ReleaseSources.open(Request.unsigned(server.baseUrl()).withEnvironment(
        Map.of(HttpSourceProvider.TRUST_STORE, trustStore.toString(),
            HttpSourceProvider.TRUST_STORE_PASSWORD, new String(Certificates.PASSWORD))));

    assertThat(source.index("stable").releases()).hasSize(1);
  }

  @Test
  void shouldRefuseATrustStoreThatCannotBeOpenedNamingTheVariable() throws Exception {
    server = https(local);
    Request request = Request.unsigned(server.baseUrl()).withEnvironment(
        Map.of(HttpSourceProvider.TRUST_STORE, trustStore.toString(),
            HttpSourceProvider.TRUST_STORE_PASSWORD, "wrong"));

    assertThatThrownBy(() -> ReleaseSources.open(request))
        .isInstanceOf(InvalidSourceException.class)
        .hasMessageContaining(HttpSourceProvider.TRUST_STORE)
        .hasMessageContaining(trustStore.toString())
        .hasMessageContaining("password");
  }

  @Test
  void shouldRefuseATrustStoreFileThatDoesNotExist() {
    Path missing = certs.resolve("missing.p12");

    assertThatThrownBy(() -> HttpReleaseSource.builder(java.net.URI.create("https://x.invalid/"))
        .trustStore(missing, Certificates.PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  // ---------------------------------------------------------------------------------------------

  private FaultyHttpServer https(Path keyStore) throws IOException, GeneralSecurityException {
    return FaultyHttpServer.serveHttps(repo, Certificates.serverContext(keyStore));
  }

  private HttpReleaseSource.Builder source() {
    return HttpReleaseSource.builder(server.baseUrl())
        .readTimeout(Duration.ofSeconds(5))
        .maxAttempts(2)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .sleeper(d -> { });
  }

  private Updater updater(HttpReleaseSource source) {
    return Updater.builder().home(home).source(source).freeSpace(0, 3).build();
  }

  private Release publish(String version) throws IOException {
    String location = "releases/" + version + "/app-" + version + ".tar.gz";
    Path archive = repo.resolve(location);
    Files.createDirectories(archive.getParent());
    RawArchives.tarGz(archive, Map.of("VERSION", version + "\n", "bin/app", "echo " + version));
    byte[] bytes = Files.readAllBytes(archive);
    Artifact artifact = new Artifact(archive.getFileName().toString(), bytes.length,
        Digests.sha256(bytes), location);
    Release release = Release.of(Version.parse(version), "stable", artifact);
    Files.createDirectories(repo.resolve("channels"));
    Files.write(repo.resolve("channels/stable.json"), MetadataJson.write(
        new ReleaseIndex("myapp", "stable", 1, Optional.empty(), List.of(release))));
    return release;
  }
}
