package dev.updater.core.source;

import dev.updater.core.Artifact;
import dev.updater.core.FaultyHttpServer;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.FaultyHttpServer.Fault;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.testkit.Digests;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real pipeline installing releases that a local HTTP server serves. */
class HttpReleaseSourceEndToEndTest {

  @TempDir
  Path repo;

  @TempDir
  Path home;

  private FaultyHttpServer server;
  private final List<Release> releases = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = FaultyHttpServer.serve(repo);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void shouldInstallAReleaseServedOverHttp() throws IOException {
    publish("1.0.0");
    Updater updater = updater(HttpReleaseSource.of(server.baseUrl()));

    Release release = updater.check().orElseThrow();
    UpdateResult result = updater.install(release);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.empty(), Version.parse("1.0.0")));
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0\n");
  }

  @Test
  void shouldUpdateToTheNewestReleaseOverHttp() throws IOException {
    publish("1.0.0");
    Updater updater = updater(HttpReleaseSource.of(server.baseUrl()));
    updater.install(updater.check().orElseThrow());
    publish("1.1.0");

    Release newest = updater.check(true).orElseThrow();
    updater.install(newest);

    assertThat(newest.version()).isEqualTo(Version.parse("1.1.0"));
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0\n");
  }

  @Test
  void shouldResumeWithRangeAfterAConnectionCutMidDownload() throws IOException {
    Release release = publish("1.0.0");
    String path = "/" + release.primaryArtifact().location();
    server.next(path, Fault.cutAfter(100));
    Updater updater = updater(HttpReleaseSource.builder(server.baseUrl())
        .readTimeout(Duration.ofSeconds(2)).build());

    assertThatThrownBy(() -> updater.install(release))
        .isInstanceOf(UpdateException.class)
        .satisfies(e -> assertThat(((UpdateException) e).step()).contains(Step.DOWNLOAD));
    assertThat(home.resolve("current")).doesNotExist();

    updater.install(release);

    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0\n");
    assertThat(server.requests(path)).isEqualTo(2);
    assertThat(server.requestHeaders().get(server.requestHeaders().size() - 1).get("Range"))
        .containsExactly("bytes=100-");
    assertThat(server.requestHeaders(path).get(1).get("If-range")).containsExactly(
        FaultyHttpServer.etag(Files.readAllBytes(repo.resolve(release.primaryArtifact().location()))));
  }

  @Test
  void shouldRestartFromZeroWhenTheFileChangedOnTheServerBetweenTwoRanges() throws IOException {
    // The first answer comes from a stale copy (an older build of the same release, as a CDN may
    // still hold), cut after 100 bytes; then the server holds the published bytes. Finishing the
    // stale prefix with the new bytes would mix two files; If-Range makes the server send the
    // whole new file instead.
    Release release = publish("1.0.0");
    Path file = repo.resolve(release.primaryArtifact().location());
    byte[] published = Files.readAllBytes(file);
    RawArchives.tarGz(file, Map.of("STALE-BUILD", "stale\n"));
    byte[] stale = Files.readAllBytes(file);
    // a mix is detectable only if the stale prefix differs from the published one
    assertThat(Arrays.copyOf(stale, 100)).isNotEqualTo(Arrays.copyOf(published, 100));
    String path = "/" + release.primaryArtifact().location();
    server.next(path, Fault.cutAfter(100));
    Updater updater = updater(HttpReleaseSource.builder(server.baseUrl())
        .readTimeout(Duration.ofSeconds(10)).maxAttempts(1).build());
    assertThatThrownBy(() -> updater.install(release)).isInstanceOf(UpdateException.class);

    Files.write(file, published); // the file changes on the server between the two ranges
    updater.install(release);

    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0\n");
    List<Map<String, List<String>>> asked = server.requestHeaders(path);
    assertThat(asked).hasSize(2);
    assertThat(asked.get(1).get("Range")).containsExactly("bytes=100-");
    assertThat(asked.get(1).get("If-range")).containsExactly(FaultyHttpServer.etag(stale));
  }

  // ---------------------------------------------------------------------------------------------

  private Updater updater(HttpReleaseSource source) {
    return Updater.builder().home(home).source(source).freeSpace(0, 3).build();
  }

  /** Adds a release to the repository and rewrites the stable index with every release so far. */
  private Release publish(String version) throws IOException {
    String location = "releases/" + version + "/app-" + version + ".tar.gz";
    Path archive = repo.resolve(location);
    Files.createDirectories(archive.getParent());
    RawArchives.tarGz(archive, Map.of("VERSION", version + "\n", "bin/app", "echo " + version));
    byte[] bytes = Files.readAllBytes(archive);
    Artifact artifact = new Artifact(archive.getFileName().toString(), bytes.length,
        Digests.sha256(bytes), location);
    Release release = Release.of(Version.parse(version), "stable", artifact);
    releases.add(release);
    Files.createDirectories(repo.resolve("channels"));
    Files.write(repo.resolve("channels/stable.json"), MetadataJson.write(
        new ReleaseIndex("myapp", "stable", releases.size(), Optional.empty(), releases)));
    return release;
  }
}
