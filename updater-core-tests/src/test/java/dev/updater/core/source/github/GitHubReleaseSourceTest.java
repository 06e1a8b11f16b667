package dev.updater.core.source.github;

import dev.updater.core.Artifact;
import dev.updater.core.FaultyHttpServer;
import dev.updater.core.RecordingLogs;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import static dev.updater.core.source.github.GitHubFixture.LIST;
import static dev.updater.core.source.github.GitHubFixture.archiveName;
import static dev.updater.core.source.github.GitHubFixture.path;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.FaultyHttpServer.Fault;
import dev.updater.core.spi.VerificationException;
import dev.updater.testkit.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubReleaseSourceTest {

  private static final String TOKEN = "ghp_s3cretT0kenValue1234567890";

  @TempDir
  Path root;

  private FaultyHttpServer server;
  private GitHubFixture github;

  @BeforeEach
  void startServer() throws IOException {
    server = FaultyHttpServer.serve(root);
    github = new GitHubFixture(root, server.baseUrl());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private GitHubReleaseSource.Builder source() {
    return GitHubReleaseSource.builder(GitHubFixture.REPO)
        .apiBase(server.baseUrl())
        .assetName(GitHubFixture.PATTERN)
        .readTimeout(Duration.ofSeconds(2))
        .maxAttempts(2)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(10))
        .sleeper(d -> { });
  }

  private static List<String> versions(ReleaseIndex index) {
    return index.releases().stream().map(r -> r.version().toString()).toList();
  }

  @Test
  void shouldOfferTheNewestStableReleaseOnStable() throws IOException {
    github.release("v1.0.0");
    GitHubFixture.Rel newest = github.release("v1.2.0");
    github.release("v1.1.0"); // created last, but an older version
    github.release("v1.3.0-rc.1").prerelease();
    github.write();

    ReleaseIndex index = source().build().index("stable");

    Release release = index.newest().orElseThrow();
    assertThat(release.version()).isEqualTo(Version.parse("1.2.0"));
    assertThat(release.channel()).isEqualTo("stable");
    assertThat(release.notes()).isEqualTo("Notes of v1.2.0");
    assertThat(release.publishedAt()).isPresent();
    assertThat(release.primaryArtifact()).isEqualTo(new Artifact(archiveName("v1.2.0"),
        newest.archive().length, Digests.sha256(newest.archive()),
        server.baseUrl().resolve(path("v1.2.0", archiveName("v1.2.0")).substring(1)).toString()));
    assertThat(versions(index)).containsExactlyInAnyOrder("1.0.0", "1.1.0", "1.2.0");
  }

  @Test
  void shouldDescribeTheIndexAsTheRepositoryWithoutSerialOrExpiry() throws IOException {
    github.release("v1.0.0");
    github.write();

    ReleaseIndex index = source().build().index("stable");

    assertThat(index.application()).isEqualTo("acme/myapp");
    assertThat(index.channel()).isEqualTo("stable");
    assertThat(index.serial()).isZero();
    assertThat(index.expires()).isEmpty();
  }

  @Test
  void shouldOfferPreReleasesOnlyOnBeta() throws IOException {
    github.release("v1.2.0");
    github.release("v1.3.0-rc.1").prerelease();
    github.write();
    GitHubReleaseSource source = source().build();

    assertThat(versions(source.index("stable"))).containsExactly("1.2.0");
    ReleaseIndex beta = source.index("beta");
    assertThat(beta.newest().orElseThrow().version()).isEqualTo(Version.parse("1.3.0-rc.1"));
    assertThat(versions(beta)).containsExactlyInAnyOrder("1.2.0", "1.3.0-rc.1");
    assertThat(beta.releases()).allMatch(r -> r.channel().equals("beta"));
  }

  @Test
  void shouldTreatAPreReleaseTagAsBetaEvenWhenGitHubDoesNotMarkIt() throws IOException {
    github.release("v1.0.0");
    github.release("v2.0.0-beta.1"); // not marked pre-release on GitHub
    github.write();

    assertThat(versions(source().build().index("stable"))).containsExactly("1.0.0");
  }

  @Test
  void shouldOfferAStableReleaseNewerThanTheLastBetaOnBeta() throws IOException {
    github.release("v1.3.0-rc.1").prerelease();
    github.release("v1.3.0");
    github.write();

    assertThat(source().build().index("beta").newest().orElseThrow().version())
        .isEqualTo(Version.parse("1.3.0"));
  }

  @Test
  void shouldSkipDraftsAndTagsThatAreNotSemanticVersions() throws IOException {
    github.release("v1.0.0");
    github.release("v9.0.0").draft();
    github.release("nightly");
    github.release("v1.2");
    github.release("release-1.5.0");
    github.write();

    assertThat(versions(source().build().index("beta"))).containsExactly("1.0.0");
  }

  @Test
  void shouldSkipAReleaseWithoutTheAsset() throws IOException {
    github.release("v1.0.0");
    github.release("v1.1.0").without(archiveName("v1.1.0"));
    github.write();

    try (RecordingLogs.Capture logs = RecordingLogs.capture()) {
      assertThat(versions(source().build().index("stable"))).containsExactly("1.0.0");
      assertThat(logs.lines()).anyMatch(l -> l.startsWith("INFO ")
          && l.contains("Skipping release v1.1.0 of acme/myapp: it has no asset "
              + archiveName("v1.1.0")));
    }
  }

  @Test
  void shouldSkipAReleaseWithoutAChecksumFile() throws IOException {
    github.release("v1.0.0");
    github.release("v1.1.0").without("SHA256SUMS");
    github.write();

    assertThat(versions(source().build().index("stable"))).containsExactly("1.0.0");
  }

  @Test
  void shouldSkipAReleaseWhoseChecksumFileHasNoEntryForTheAsset() throws IOException {
    github.release("v1.0.0");
    github.release("v1.1.0").checksums(Digests.sha256(new byte[0])
        + "  myapp-1.1.0-darwin-arm64.tar.gz\n");
    github.write();

    try (RecordingLogs.Capture logs = RecordingLogs.capture()) {
      assertThat(versions(source().build().index("stable"))).containsExactly("1.0.0");
      assertThat(logs.lines()).anyMatch(l -> l.startsWith("INFO ")
          && l.contains("v1.1.0") && l.contains("SHA256SUMS has no entry for"));
    }
  }

  @Test
  void shouldSkipAReleaseWhoseChecksumFileIsListedButMissing() throws IOException {
    github.release("v1.0.0");
    github.release("v1.1.0");
    github.write();
    server.always(path("v1.1.0", "SHA256SUMS"), Fault.status(404));

    assertThat(versions(source().build().index("stable"))).containsExactly("1.0.0");
  }

  @Test
  void shouldRefuseAChecksumFileThatListsANameTwice() throws IOException {
    GitHubFixture.Rel rel = github.release("v1.0.0");
    String sha = Digests.sha256(rel.archive());
    rel.checksums(sha + "  " + archiveName("v1.0.0") + "\n" + sha + " *" + archiveName("v1.0.0")
        + "\n");
    github.write();

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("SHA256SUMS of acme/myapp v1.0.0 (")
        .hasMessageEndingWith("line 2 lists '" + archiveName("v1.0.0")
            + "' a second time; each name may appear only once");
  }

  @Test
  void shouldRefuseAMalformedChecksumFile() throws IOException {
    github.release("v1.0.0").checksums("not a checksum line\n");
    github.write();

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("SHA256SUMS of acme/myapp v1.0.0")
        .hasMessageContaining("line 1 is not '<64 hex digits>  <name>'");
  }

  @Test
  void shouldReadTheChecksumFilesOfTheNewestReleasesOnly() throws IOException {
    for (int minor = 0; minor < 7; minor++) {
      github.release("v1." + minor + ".0");
    }
    github.write();

    ReleaseIndex index = source().build().index("stable");

    assertThat(versions(index)).containsExactlyInAnyOrder("1.6.0", "1.5.0", "1.4.0", "1.3.0",
        "1.2.0");
    assertThat(server.requests(path("v1.1.0", "SHA256SUMS"))).isZero();
    assertThat(server.requests(path("v1.0.0", "SHA256SUMS"))).isZero();
    assertThat(server.requests(path("v1.6.0", "SHA256SUMS"))).isEqualTo(1);
    assertThat(server.requests(LIST)).isEqualTo(1);
  }

  @Test
  void shouldReadAsManyReleasesAsConfigured() throws IOException {
    for (int minor = 0; minor < 4; minor++) {
      github.release("v1." + minor + ".0");
    }
    github.write();

    assertThat(versions(source().maxReleases(2).build().index("stable")))
        .containsExactlyInAnyOrder("1.3.0", "1.2.0");
  }

  @Test
  void shouldRefuseAChannelOtherThanStableAndBeta() throws IOException {
    github.release("v1.0.0");
    github.write();

    assertThatThrownBy(() -> source().build().index("nightly"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("have only the channels [stable, beta]");
    assertThat(server.requests(LIST)).isZero();
  }

  @Test
  void shouldReportAnUnknownRepositoryAsNotFound() {
    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("the releases list of acme/myapp is not on the server (HTTP 404)");
  }

  @Test
  void shouldRefuseAReleasesListThatIsNotTheGitHubShape() throws IOException {
    github.writeList("{\"message\":\"Moved Permanently\"}".getBytes(UTF_8));

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageEndingWith("/repos/acme/myapp/releases?per_page=100: the releases list is not "
            + "a JSON array");
  }

  @Test
  void shouldRefuseAReleaseWithAMistypedField() throws IOException {
    github.writeList(("[{\"tag_name\":\"v1.0.0\",\"draft\":\"no\",\"prerelease\":false,"
        + "\"assets\":[]}]").getBytes(UTF_8));

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageEndingWith("release #1 (v1.0.0): draft is not a boolean");
  }

  @Test
  void shouldRefuseAnAssetWhoseDownloadUrlIsNotHttp() throws IOException {
    github.writeList(("[{\"tag_name\":\"v1.0.0\",\"draft\":false,\"prerelease\":false,"
        + "\"assets\":[{\"name\":\"SHA256SUMS\",\"size\":10,"
        + "\"browser_download_url\":\"file:/etc/passwd\"}]}]").getBytes(UTF_8));

    assertThatThrownBy(() -> source().build().index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageEndingWith("release #1 (v1.0.0), asset #1 (SHA256SUMS): browser_download_url "
            + "'file:/etc/passwd' is not an absolute http(s) URL");
  }

  @Test
  void shouldSkipBothReleasesWhenTwoTagsAreTheSameVersion() throws IOException {
    github.release("v1.0.0");
    github.release("v1.1.0");
    github.release("1.1.0");
    github.write();

    assertThat(versions(source().build().index("stable"))).containsExactly("1.0.0");
  }

  @Test
  void shouldStreamTheAssetAndResumeItWithRange() throws IOException {
    GitHubFixture.Rel rel = github.release("v1.0.0");
    github.write();
    GitHubReleaseSource source = source().build();
    Artifact artifact = source.index("stable").newest().orElseThrow().primaryArtifact();

    byte[] whole;
    try (InputStream in = source.open(artifact, 0)) {
      whole = in.readAllBytes();
    }
    byte[] tail;
    try (InputStream in = source.open(artifact, 100)) {
      tail = in.readAllBytes();
    }

    assertThat(whole).isEqualTo(rel.archive());
    assertThat(tail).isEqualTo(Arrays.copyOfRange(rel.archive(), 100, rel.archive().length));
    assertThat(server.requestHeaders().get(server.requestHeaders().size() - 1).get("Range"))
        .containsExactly("bytes=100-");
  }

  @Test
  void shouldRefuseToOpenAnArtifactThatIsNotAtAnHttpUrl() {
    Artifact local = new Artifact("app.tar.gz", 10, Digests.sha256(new byte[0]),
        "releases/app.tar.gz");

    assertThatThrownBy(() -> source().build().open(local, 0))
        .isInstanceOf(VerificationException.class)
        .hasMessage("the location 'releases/app.tar.gz' of artifact app.tar.gz is not an "
            + "absolute http(s) URL");
  }

  // --- signed checksum files ---------------------------------------------------------------------

  @Test
  void shouldAcceptAChecksumFileSignedByATrustedKey() throws IOException {
    SigningKey key = SigningKey.generate();
    github.release("v1.0.0").signedBy(key);
    github.write();

    ReleaseIndex index = source().trustedKeys(TrustedKeys.parse(key.publicKeyText())).build()
        .index("stable");

    assertThat(versions(index)).containsExactly("1.0.0");
  }

  @Test
  void shouldRefuseATamperedChecksumFileWhenKeysAreTrusted() throws IOException {
    SigningKey key = SigningKey.generate();
    GitHubFixture.Rel rel = github.release("v1.0.0").signedBy(key);
    rel.checksums(Digests.sha256("evil".getBytes(UTF_8)) + "  "
        + archiveName("v1.0.0") + "\n");
    github.write();

    assertThatThrownBy(() -> source().trustedKeys(TrustedKeys.parse(key.publicKeyText())).build()
        .index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("SHA256SUMS of acme/myapp v1.0.0: SHA256SUMS.minisig: bad signature");
  }

  @Test
  void shouldRefuseAChecksumFileSignedByAKeyThatIsNotTrusted() throws IOException {
    SigningKey trusted = SigningKey.generate();
    SigningKey other = SigningKey.generate();
    github.release("v1.0.0").signedBy(other);
    github.write();

    assertThatThrownBy(() -> source().trustedKeys(TrustedKeys.parse(trusted.publicKeyText()))
        .build().index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("signed by key " + other.keyId() + " which is not trusted");
  }

  @Test
  void shouldSkipAReleaseWithoutASignatureWhenKeysAreTrusted() throws IOException {
    SigningKey key = SigningKey.generate();
    github.release("v1.0.0").signedBy(key);
    github.release("v1.1.0"); // published without SHA256SUMS.minisig
    github.write();

    try (RecordingLogs.Capture logs = RecordingLogs.capture()) {
      assertThat(versions(source().trustedKeys(TrustedKeys.parse(key.publicKeyText())).build()
          .index("stable"))).containsExactly("1.0.0");
      assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN ")
          && l.contains("Skipping release v1.1.0 of acme/myapp: it has no SHA256SUMS.minisig"));
    }
  }

  @Test
  void shouldIgnoreSignaturesWhenNoKeysAreTrusted() throws IOException {
    github.release("v1.0.0").asset("SHA256SUMS.minisig", "garbage".getBytes(UTF_8));
    github.write();

    assertThat(versions(source().build().index("stable"))).containsExactly("1.0.0");
    assertThat(server.requests(path("v1.0.0", "SHA256SUMS.minisig"))).isZero();
  }

  // --- the token ---------------------------------------------------------------------------------

  @Test
  void shouldSendTheTokenWithTheApiRequestOnly() throws IOException {
    github.release("v1.0.0");
    github.write();
    GitHubReleaseSource source = source().token(TOKEN).build();

    Artifact artifact = source.index("stable").newest().orElseThrow().primaryArtifact();
    source.open(artifact, 0).close();

    List<Map<String, List<String>>> headers = server.requestHeaders();
    assertThat(headers).hasSize(3); // the list, SHA256SUMS, the archive
    assertThat(headers.get(0).get("Authorization")).containsExactly("Bearer " + TOKEN);
    assertThat(headers.get(0).get("Accept")).containsExactly("application/vnd.github+json");
    assertThat(headers.get(0).get("X-github-api-version")).containsExactly("2022-11-28");
    assertThat(headers.subList(1, 3)).allSatisfy(h -> assertThat(h).doesNotContainKey(
        "Authorization"));
  }

  @Test
  void shouldSendNoAuthorizationWithoutAToken() throws IOException {
    github.release("v1.0.0");
    github.write();

    source().build().index("stable");

    assertThat(server.requestHeaders()).allSatisfy(h -> assertThat(h)
        .doesNotContainKey("Authorization"));
  }

  @Test
  void shouldNotFollowARedirectWithTheToken() throws IOException {
    github.release("v1.0.0");
    github.write();
    String elsewhere = "http://localhost:" + server.baseUrl().getPort() + LIST;
    server.next(LIST, Fault.status(301, "Location", elsewhere));

    assertThatThrownBy(() -> source().token(TOKEN).build().index("stable"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 301")
        .hasMessageNotContaining(TOKEN);
    assertThat(server.requests(LIST)).isEqualTo(1);
  }

  @Test
  void shouldFollowARedirectOfTheApiRequestWithoutAToken() throws IOException {
    github.release("v1.0.0");
    github.write();
    String elsewhere = "http://localhost:" + server.baseUrl().getPort() + LIST;
    server.next(LIST, Fault.status(301, "Location", elsewhere));

    assertThat(versions(source().build().index("stable"))).containsExactly("1.0.0");
    assertThat(server.requests(LIST)).isEqualTo(2);
  }

  @Test
  void shouldNeverLogTheToken() throws IOException {
    github.release("v1.0.0");
    github.release("v1.1.0").without("SHA256SUMS");
    github.write();
    server.next(LIST, Fault.status(503), Fault.status(401));
    GitHubReleaseSource source = source().token(TOKEN).maxAttempts(3).build();

    try (RecordingLogs.Capture logs = RecordingLogs.capture()) {
      assertThatThrownBy(() -> source.index("stable"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP 401")
          .hasMessageNotContaining(TOKEN);
      source.index("stable");

      assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains(TOKEN));
      assertThat(logs.lines()).anyMatch(l -> l.contains("attempt 1 of 3"));
    }
    assertThat(source.toString()).doesNotContain(TOKEN);
    assertThat(source.describe()).isEqualTo("GitHub releases of acme/myapp at " + server.baseUrl());
  }

  @Test
  void shouldReportThePublishTimeOfARelease() throws IOException {
    github.release("v1.0.0");
    github.write();

    assertThat(source().build().index("stable").newest().orElseThrow().publishedAt())
        .isEqualTo(Optional.of(Instant.parse("2025-01-01T10:00:00Z")));
  }
}
