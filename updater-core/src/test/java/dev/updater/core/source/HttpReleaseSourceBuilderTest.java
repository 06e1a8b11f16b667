package dev.updater.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.internal.http.HttpOptions;
import dev.updater.core.Version;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpReleaseSourceBuilderTest {

  private static final URI BASE = URI.create("https://updates.example.com/myapp/");

  @Test
  void shouldAddTheMissingTrailingSlashToTheBaseUrl() {
    assertThat(HttpReleaseSource.of(URI.create("https://updates.example.com/myapp")).describe())
        .isEqualTo("HTTP repository https://updates.example.com/myapp/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/", "file:/srv/updates/", "/srv/updates/",
      "https://example.com/a/?x=1", "https://example.com/a/#top", "https:///nohost/"})
  void shouldRejectABaseUrlThatIsNotAPlainHttpUrl(String url) {
    assertThatThrownBy(() -> HttpReleaseSource.builder(URI.create(url)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base URL");
  }

  @Test
  void shouldRejectNullsAtOnceNamingTheArgument() {
    HttpReleaseSource.Builder builder = HttpReleaseSource.builder(BASE);
    assertThatThrownBy(() -> HttpReleaseSource.builder(null)).hasMessage("baseUrl");
    assertThatThrownBy(() -> builder.readTimeout(null)).hasMessage("readTimeout");
    assertThatThrownBy(() -> builder.httpClient(null)).hasMessage("httpClient");
    assertThatThrownBy(() -> builder.sleeper(null)).hasMessage("sleeper");
    assertThatThrownBy(() -> builder.runningVersion(null)).hasMessage("runningVersion");
  }

  @Test
  void shouldRefuseATlsContextTogetherWithASuppliedClient() throws Exception {
    HttpReleaseSource.Builder builder = HttpReleaseSource.builder(BASE)
        .httpClient(HttpClient.newHttpClient())
        .sslContext(javax.net.ssl.SSLContext.getDefault());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HttpClient.Builder.sslContext");
  }

  @Test
  void shouldRefuseAnAuthorizationThatIsBlankOrSpansLines() {
    HttpReleaseSource.Builder builder = HttpReleaseSource.builder(BASE);
    assertThatThrownBy(() -> builder.authorization(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank");
    assertThatThrownBy(() -> builder.bearerToken("abc\ndef"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("abc");
    assertThatThrownBy(() -> builder.basicAuth("a:b", "pw"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("':'");
    assertThatThrownBy(() -> builder.authorization(null)).hasMessage("authorization");
  }

  @Test
  void shouldRejectDurationsThatAreNotPositive() {
    HttpReleaseSource.Builder builder = HttpReleaseSource.builder(BASE);
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> builder.readTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> builder.maxRetryDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetryDuration");
    assertThatThrownBy(() -> builder.minThroughput(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
  }

  @Test
  void shouldRejectFewerThanOneAttempt() {
    assertThatThrownBy(() -> HttpReleaseSource.builder(BASE).maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }

  @Test
  void shouldRejectABackoffWhoseMaximumIsNotLongerThanItsMinimum() {
    assertThatThrownBy(() -> HttpReleaseSource.builder(BASE)
        .backoff(Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be longer");
  }

  @Test
  void shouldRejectANegativeMinimumThroughput() {
    assertThatThrownBy(() -> HttpReleaseSource.builder(BASE).minThroughput(-1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytesPerSecond");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "updater\r\nX-Injected: 1"})
  void shouldRejectAUserAgentThatIsBlankOrHoldsControlCharacters(String userAgent) {
    assertThatThrownBy(() -> HttpReleaseSource.builder(BASE).userAgent(userAgent))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userAgent");
  }

  @Test
  void shouldRefuseAConnectTimeoutForASuppliedClientItCannotChange() {
    HttpReleaseSource.Builder builder = HttpReleaseSource.builder(BASE)
        .httpClient(HttpClient.newHttpClient())
        .connectTimeout(Duration.ofSeconds(3));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HttpClient.Builder.connectTimeout");
  }

  @Test
  void shouldRefuseARetryDurationNoLongerThanTheFirstBackoff() {
    HttpReleaseSource.Builder builder = HttpReleaseSource.builder(BASE)
        .backoff(Duration.ofSeconds(10), Duration.ofSeconds(60))
        .maxRetryDuration(Duration.ofSeconds(10));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxRetryDuration");
  }

  @Test
  void shouldNameTheLibraryTheProjectAndTheRunningVersionInTheDefaultUserAgent() {
    assertThat(HttpOptions.defaultUserAgent(Optional.of(Version.parse("2.4.0"))))
        .matches("updater/\\S+ \\(dev\\.updater; running 2\\.4\\.0\\)");
    assertThat(HttpOptions.defaultUserAgent(Optional.empty()))
        .matches("updater/\\S+ \\(dev\\.updater\\)");
  }
}
