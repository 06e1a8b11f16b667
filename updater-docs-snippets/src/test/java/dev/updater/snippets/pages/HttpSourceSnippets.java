package dev.updater.snippets.pages;

import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.source.MirroredReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The Java blocks of docs/http-source.md. */
final class HttpSourceSnippets {
  Authenticator myProxyAuthenticator;
  URI baseUrl;
  TrustedKeys keys;

  /** The application's main class, whose jar carries its version. */
  static final class MyApp {}

  void updates_over_http_httpreleasesource() throws Exception {
    // tag::minimal[]
    Updater updater = Updater.builder()
        .home(Path.of("/opt/myapp"))
        .source(HttpReleaseSource.of(URI.create("https://updates.example.com/myapp/")))
        .build();
    // end::minimal[]
  }

  void configuration() throws Exception {
    // tag::configuration[]
    HttpReleaseSource source = HttpReleaseSource.builder(URI.create("https://updates.example.com/myapp/"))
        .readTimeout(Duration.ofSeconds(20))
        .maxAttempts(6)
        .backoff(Duration.ofSeconds(2), Duration.ofMinutes(1))
        .minThroughput(16 * 1024, Duration.ofSeconds(20))
        .runningVersion(Version.fromManifest(MyApp.class).orElseThrow())
        .build();
    // end::configuration[]
  }

  void proxies() throws Exception {
    // tag::proxies[]
    HttpClient client = HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("proxy.example.com", 3128)))
        .authenticator(myProxyAuthenticator)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER) // the source follows them itself
        .build();
    HttpReleaseSource source = HttpReleaseSource.builder(baseUrl).httpClient(client).build();
    // end::proxies[]
  }

  void tls() throws Exception {
    // tag::trust-store[]
    HttpReleaseSource source = HttpReleaseSource.builder(URI.create("https://updates.internal:8443/myapp/"))
        .trustStore(Path.of("/etc/myapp/updates-ca.p12"), "changeit".toCharArray())
        .build();
    // end::trust-store[]
  }

  void private_repositories() throws Exception {
    // tag::private-repositories[]
    HttpReleaseSource source = HttpReleaseSource.builder(URI.create("https://updates.example.com/myapp/"))
        .bearerToken(System.getenv("MYAPP_UPDATE_TOKEN"))     // Authorization: Bearer <token>
        .build();
    // or .basicAuth("deploy", password), .authorization("Token abc"),
    // or .authorizationFile(Path.of("/run/secrets/updates")) (its first line is the value)
    // end::private-repositories[]
  }

  void mirrors() throws Exception {
    // tag::mirrors[]
    ReleaseSource source = MirroredReleaseSource.of(List.of(
        HttpReleaseSource.builder(URI.create("https://updates.example.com/myapp/")).trustedKeys(keys).build(),
        HttpReleaseSource.builder(URI.create("https://mirror.example.org/myapp/")).trustedKeys(keys).build()));
    // end::mirrors[]
  }
}
