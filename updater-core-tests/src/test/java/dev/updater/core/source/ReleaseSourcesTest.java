package dev.updater.core.source;

import dev.updater.core.FaultyHttpServer;
import dev.updater.core.Release;
import dev.updater.core.TestRepository;
import dev.updater.core.source.github.GitHubFixture;
import dev.updater.core.source.github.GitHubReleaseSource;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import static dev.updater.core.TestRepository.v;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.source.InvalidSourceException.Kind;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider;
import dev.updater.core.spi.ReleaseSourceProvider.Request;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a release source by URI scheme through {@link java.util.ServiceLoader}. */
class ReleaseSourcesTest {

  @TempDir
  Path base;

  private final SigningKey key = SigningKey.generate();
  private TrustedKeys keys;
  private TestRepository repo;
  private FaultyHttpServer server;

  @BeforeEach
  void publishSignedRepository() throws IOException {
    keys = TrustedKeys.parse(key.publicKeyText());
    repo = new TestRepository(base.resolve("repo"));
    repo.publish(v("1.0.0"));
    sign(repo.root);
    server = FaultyHttpServer.serve(repo.root);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private void sign(Path repository) throws IOException {
    Path index = repository.resolve("channels/stable.json");
    Files.writeString(index.resolveSibling("stable.json.minisig"),
        key.sign(Files.readAllBytes(index), "test"), UTF_8);
  }

  @Test
  void shouldOpenAnHttpRepositoryForAnHttpUrl() throws IOException {
    ReleaseSource source = ReleaseSources.open(server.baseUrl(), keys);

    assertThat(source).isInstanceOf(HttpReleaseSource.class);
    assertThat(source.index("stable").releases()).extracting(Release::version)
        .containsExactly(v("1.0.0"));
  }

  @Test
  void shouldOpenADirectoryRepositoryForAFileUri() throws IOException {
    ReleaseSource source = ReleaseSources.open(repo.root.toUri(), keys);

    assertThat(source).isInstanceOf(DirectoryReleaseSource.class);
    assertThat(source.index("stable").serial()).isEqualTo(1);
  }

  @Test
  void shouldOpenADirectoryRepositoryForAPlainPath() throws IOException {
    ReleaseSource source = ReleaseSources.open(ReleaseSources.location(repo.root.toString()), keys);

    assertThat(source).isInstanceOf(DirectoryReleaseSource.class);
    assertThat(source.index("stable").serial()).isEqualTo(1);
  }

  @Test
  void shouldOpenADirectoryRepositoryForAUriWithoutScheme() throws IOException {
    ReleaseSource source = ReleaseSources.open(URI.create(repo.root.toUri().getPath()), keys);

    assertThat(source.index("stable").serial()).isEqualTo(1);
  }

  @Test
  void shouldCheckSignaturesWithTheGivenKeys() {
    TrustedKeys other = TrustedKeys.parse(SigningKey.generate().publicKeyText());
    ReleaseSource source = ReleaseSources.open(server.baseUrl(), other);

    assertThatThrownBy(() -> source.index("stable")).isInstanceOf(VerificationException.class);
  }

  @Test
  void shouldOpenAnUnsignedSourceOnlyWhenAskedTo() throws IOException {
    Files.delete(repo.root.resolve("channels/stable.json.minisig"));

    ReleaseSource unsigned = ReleaseSources.open(Request.unsigned(repo.root.toUri()));
    ReleaseSource signed = ReleaseSources.open(repo.root.toUri(), keys);

    assertThat(unsigned.index("stable").serial()).isEqualTo(1);
    assertThatThrownBy(() -> signed.index("stable")).isInstanceOf(VerificationException.class);
  }

  @Test
  void shouldOpenAGitHubRepositoryWithItsQueryOptions() throws IOException {
    FaultyHttpServer gh = FaultyHttpServer.serve(Files.createDirectories(base.resolve("github")));
    try {
      GitHubFixture github = new GitHubFixture(base.resolve("github"), gh.baseUrl());
      github.release("v1.0.0");
      github.release("v1.1.0");
      github.write();
      URI location = ReleaseSources.location("github:" + GitHubFixture.REPO + "?asset="
          + GitHubFixture.PATTERN + "&api=" + gh.baseUrl() + "&max-releases=1&token-env=GH_TOKEN");

      ReleaseSource source = ReleaseSources.open(
          Request.unsigned(location).withEnvironment(Map.of("GH_TOKEN", "ghp_secret")));

      assertThat(source).isInstanceOf(GitHubReleaseSource.class);
      assertThat(source.describe()).contains(GitHubFixture.REPO, gh.baseUrl().toString())
          .doesNotContain("ghp_secret");
      assertThat(source.index("stable").releases()).extracting(Release::version)
          .containsExactly(v("1.1.0"));
    } finally {
      gh.close();
    }
  }

  @Test
  void shouldRefuseAGitHubLocationWithoutAnAsset() {
    assertThatThrownBy(() -> ReleaseSources.open(URI.create("github:acme/myapp"), keys))
        .isInstanceOfSatisfying(InvalidSourceException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_LOCATION))
        .hasMessageContaining("asset")
        .hasMessageContaining("github:owner/repo?asset=");
  }

  @Test
  void shouldRefuseAnUnknownGitHubOption() {
    assertThatThrownBy(() -> ReleaseSources.open(
        ReleaseSources.location("github:acme/myapp?asset=a-{version}.tgz&tokn=x"), keys))
        .isInstanceOf(InvalidSourceException.class)
        .hasMessageContaining("unknown option 'tokn'");
  }

  @Test
  void shouldRefuseATokenVariableThatIsNotSet() {
    URI location = ReleaseSources.location("github:acme/myapp?asset=a-{version}.tgz&token-env=NOPE");

    assertThatThrownBy(() -> ReleaseSources.open(
        Request.signed(location, keys).withEnvironment(Map.of())))
        .isInstanceOf(InvalidSourceException.class)
        .hasMessageContaining("NOPE");
  }

  @Test
  void shouldRefuseAnUnknownSchemeListingTheKnownOnes() {
    assertThatThrownBy(() -> ReleaseSources.open(URI.create("ftp://host/updates/"), keys))
        .isInstanceOfSatisfying(InvalidSourceException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_SCHEME);
          assertThat(e.location()).isEqualTo("ftp://host/updates/");
          assertThat(e.knownSchemes()).containsExactly("file", "github", "http", "https");
        })
        .hasMessageContaining("'ftp'")
        .hasMessageContaining("[file, github, http, https]");
  }

  @Test
  void shouldWrapAProviderRefusalWithTheLocation() {
    assertThatThrownBy(() -> ReleaseSources.open(URI.create("https://host/updates/?x=1"), keys))
        .isInstanceOfSatisfying(InvalidSourceException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_LOCATION))
        .hasMessageContaining("https://host/updates/?x=1")
        .hasMessageContaining("query");
  }

  @Test
  void shouldQuoteBracesInATextLocation() {
    URI location = ReleaseSources.location("github:acme/myapp?asset=myapp-{version}.tar.gz");

    assertThat(location.getScheme()).isEqualTo("github");
    assertThat(location.getSchemeSpecificPart()).isEqualTo("acme/myapp?asset=myapp-{version}.tar.gz");
  }

  @Test
  void shouldTreatADriveLetterAsAPath() {
    assertThat(ReleaseSources.location("C:updates").getScheme()).isEqualTo("file");
    assertThat(ReleaseSources.location("updates/myapp").getPath())
        .endsWith("/updates/myapp");
  }

  @Test
  void shouldLoadACustomProviderThroughTheServiceLoader() throws IOException {
    Path stick = Files.createDirectories(base.resolve("media/STICK"));
    Files.move(repo.root, stick.resolve("updates"));
    try (URLClassLoader loader = loader("/spi/usb/")) {
      assertThat(ReleaseSources.schemes(loader)).containsExactly("file", "github", "http",
          "https", "usb");

      ReleaseSource source = ReleaseSources.open(
          URI.create("usb:STICK?mounts=" + base.resolve("media")), keys, loader);

      assertThat(source.index("stable").releases()).extracting(Release::version)
          .containsExactly(v("1.0.0"));
    }
  }

  @Test
  void shouldNotSeeACustomProviderThatIsNotOnTheClassPath() {
    assertThat(ReleaseSources.schemes(getClass().getClassLoader())).doesNotContain("usb");
    assertThatThrownBy(() -> ReleaseSources.open(URI.create("usb:STICK"), keys))
        .isInstanceOf(InvalidSourceException.class);
  }

  @Test
  void shouldRefuseASchemeClaimedByTwoProviders() throws IOException {
    try (URLClassLoader loader = loader("/spi/clash/")) {
      assertThat(ReleaseSources.schemes(loader)).doesNotContain("https").contains("http");

      assertThatThrownBy(() -> ReleaseSources.open(URI.create("https://updates.example.com/"),
          keys, loader))
          .isInstanceOfSatisfying(InvalidSourceException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_SCHEME))
          .hasMessageContaining(ClashingHttpsProvider.class.getName())
          .hasMessageContaining("HttpSourceProvider");
    }
  }

  private URLClassLoader loader(String resource) {
    URL url = getClass().getResource(resource);
    assertThat(url).as(resource).isNotNull();
    return new URLClassLoader(new URL[] {url}, getClass().getClassLoader());
  }

  /** Claims https as well: registered in {@code spi/clash/META-INF/services}. */
  public static final class ClashingHttpsProvider implements ReleaseSourceProvider {
    @Override
    public Set<String> schemes() {
      return Set.of("https");
    }

    @Override
    public ReleaseSource open(Request request) {
      throw new AssertionError("never chosen");
    }
  }
}
