package dev.updater.snippets.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.*;
import dev.updater.core.activate.*;
import dev.updater.core.admin.*;
import dev.updater.core.command.*;
import dev.updater.core.confirm.*;
import dev.updater.core.repository.*;
import dev.updater.core.source.*;
import dev.updater.core.source.github.*;
import dev.updater.core.spi.*;
import dev.updater.core.stage.*;
import dev.updater.core.trust.*;
import dev.updater.jdbc.*;
import dev.updater.systemd.*;
import dev.updater.testkit.*;
import java.io.*;
import java.net.*;
import java.net.http.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import javax.sql.DataSource;

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
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    HttpReleaseSource source = HttpReleaseSource.builder(baseUrl).httpClient(client).build();
    // end::proxies[]
  }

  void mirrors() throws Exception {
    // tag::mirrors[]
    ReleaseSource source = MirroredReleaseSource.of(List.of(
        HttpReleaseSource.builder(URI.create("https://updates.example.com/myapp/")).trustedKeys(keys).build(),
        HttpReleaseSource.builder(URI.create("https://mirror.example.org/myapp/")).trustedKeys(keys).build()));
    // end::mirrors[]
  }
}
