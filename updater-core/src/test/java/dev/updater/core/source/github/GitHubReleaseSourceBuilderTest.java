package dev.updater.core.source.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GitHubReleaseSourceBuilderTest {

  private static GitHubReleaseSource.Builder valid() {
    return GitHubReleaseSource.builder("acme/myapp").assetName("myapp-{version}.tar.gz");
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme/myapp", "a/b", "my-org/my.app_2", "A1/.github"})
  void shouldAcceptOwnerSlashRepo(String repository) {
    assertThat(GitHubReleaseSource.builder(repository).assetName("a.tar.gz").build().describe())
        .isEqualTo("GitHub releases of " + repository + " at https://api.github.com/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "acme", "acme/", "/myapp", "acme/myapp/extra", "-acme/myapp",
      "acme-/myapp", "ac me/myapp", "acme/my app", "acme/..", "acme/.",
      "https://github.com/acme/myapp", "acme_corp/myapp"})
  void shouldRefuseARepositoryThatIsNotOwnerSlashRepo(String repository) {
    assertThatThrownBy(() -> GitHubReleaseSource.builder(repository))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("repository '" + repository + "' is not 'owner/repo'");
  }

  @Test
  void shouldRefuseAnOwnerLongerThanGitHubAllows() {
    assertThatThrownBy(() -> GitHubReleaseSource.builder("a".repeat(40) + "/r"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseANullRepository() {
    assertThatThrownBy(() -> GitHubReleaseSource.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("repository");
  }

  @Test
  void shouldRequireTheAssetName() {
    assertThatThrownBy(() -> GitHubReleaseSource.builder("acme/myapp").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("assetName is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "dist/myapp.tar.gz", "..", "a\\b", "app\n.tar.gz"})
  void shouldRefuseAnAssetNameThatIsNotOneFileName(String name) {
    assertThatThrownBy(() -> valid().assetName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("must be one file name, without path separators or control characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"myapp-{Version}.tar.gz", "myapp-{tag}.tar.gz", "myapp-{version.tar.gz"})
  void shouldRefuseAPlaceholderOtherThanVersion(String pattern) {
    assertThatThrownBy(() -> valid().assetName(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("placeholder other than {version}");
  }

  @Test
  void shouldRefuseAChecksumsNameThatIsAPath() {
    assertThatThrownBy(() -> valid().checksumsName("sums/SHA256SUMS"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseTheSameNameForTheAssetAndTheChecksums() {
    assertThatThrownBy(() -> valid().assetName("SUMS").checksumsName("SUMS").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("assetName and checksumsName are both 'SUMS'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/", "example.com", "https:///nohost",
      "https://example.com/api?x=1", "https://example.com/api#top"})
  void shouldRefuseAnApiBaseThatIsNotAnHttpUrl(String uri) {
    assertThatThrownBy(() -> valid().apiBase(URI.create(uri)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldAddATrailingSlashToTheApiBase() {
    assertThat(valid().apiBase(URI.create("https://ghe.example.com/api/v3")).build().describe())
        .isEqualTo("GitHub releases of acme/myapp at https://ghe.example.com/api/v3/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "tab\there", "line\nbreak", "caf\u00e9"})
  void shouldRefuseATokenThatIsNotVisibleAsciiWithoutRepeatingIt(String token) {
    assertThatThrownBy(() -> valid().token(token))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must be non-empty visible ASCII without spaces");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 101})
  void shouldRefuseAMaxReleasesOutsideOneToAHundred(int n) {
    assertThatThrownBy(() -> valid().maxReleases(n))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxReleases must be 1..100, was " + n);
  }

  @Test
  void shouldRefuseAConnectTimeoutForASuppliedClient() {
    assertThatThrownBy(() -> valid().httpClient(HttpClient.newHttpClient())
        .connectTimeout(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("connectTimeout cannot be applied to a supplied httpClient");
  }

  @Test
  void shouldRefuseARetryDurationNotLongerThanTheFirstBackoff() {
    assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(2), Duration.ofSeconds(4))
        .maxRetryDuration(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldRefuseNonPositiveDurationsAndAttempts() {
    assertThatThrownBy(() -> valid().readTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().minThroughput(-1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseNullsNamingTheArgument() {
    assertThatThrownBy(() -> valid().assetName(null)).hasMessage("pattern");
    assertThatThrownBy(() -> valid().token(null)).hasMessage("token");
    assertThatThrownBy(() -> valid().trustedKeys(null)).hasMessage("keys");
    assertThatThrownBy(() -> valid().apiBase(null)).hasMessage("apiBase");
    assertThatThrownBy(() -> valid().sleeper(null)).hasMessage("sleeper");
  }

  @Test
  void shouldBuildWithATokenAndASuppliedClientThatFollowsRedirects() {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .build();

    assertThat(valid().token("ghp_x").httpClient(client).build()).isNotNull();
  }
}
