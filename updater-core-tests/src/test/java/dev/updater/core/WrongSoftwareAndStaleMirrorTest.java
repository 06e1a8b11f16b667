package dev.updater.core;

import dev.updater.core.source.HttpReleaseSource;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index of another application, a release for another channel and a stale CDN serving the
 * new index with the old artifact's bytes, over HTTP on 127.0.0.1, each leaving the install
 * unchanged.
 */
class WrongSoftwareAndStaleMirrorTest {

  @TempDir
  Path base;

  private TestRepository repo;
  private FaultyHttpServer server;
  private CountingSource source;
  private Layout layout;
  private Updater updater;

  @BeforeEach
  void installOneZeroZero() throws IOException {
    repo = new TestRepository(base.resolve("repo"));
    repo.publish(v("1.0.0"));
    server = FaultyHttpServer.serve(repo.root);
    source = new CountingSource(HttpReleaseSource.builder(server.baseUrl())
        .maxAttempts(1).readTimeout(Duration.ofSeconds(5)).build());
    layout = Layout.of(base.resolve("home"));
    updater = Updaters.builder(layout.home(), source)
        .checkCacheTtl(Duration.ZERO).build();
    updater.install(updater.check().orElseThrow());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private List<String> downloads() throws IOException {
    Path dir = layout.state().resolve("downloads");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void shouldRefuseABetaReleaseListedInTheStableIndexBeforeDownloadingIt() throws IOException {
    repo.publish(v("1.1.0"));
    repo.writeIndex(10, Optional.empty(), r -> r.version().equals(v("1.1.0"))
        ? new Release(r.version(), "beta", r.artifacts(), r.requirements(), r.notes(),
            r.publishedAt())
        : r);
    Release beta = updater.find(v("1.1.0")).orElseThrow();
    HomeSnapshot before = HomeSnapshot.of(layout);
    int opened = source.artifactOpens.get();

    assertThat(updater.check()).as("not offered on stable").isEmpty();
    UpdateException e = catchThrowableOfType(() -> updater.install(beta), UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
    assertThat(e).hasMessageContaining("published on channel 'beta'");
    assertThat(source.artifactOpens).as("nothing downloaded").hasValue(opened);
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
  }

  @Test
  void shouldRefuseTheIndexOfAnotherApplicationWithoutRememberingItsSerial() throws IOException {
    Updater expectsApp = Updaters.builder(layout.home(), source)
        .checkCacheTtl(Duration.ZERO).application("app").build();
    Release other = repo.publish(v("2.0.0"));
    byte[] appIndex = repo.writeIndex(7, Optional.empty(), r -> r);
    repo.serveIndexBytes(dev.updater.core.internal.format.MetadataJson.write(new ReleaseIndex(
        "other-product", "stable", 50, Optional.empty(), List.of(other))));
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(expectsApp::check, UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e).hasMessageContaining("application 'other-product', not 'app'");
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    // its serial 50 was not remembered: the application's own index at serial 7 is still fresh
    repo.serveIndexBytes(appIndex);
    assertThat(expectsApp.check()).map(Release::version).contains(v("2.0.0"));
    // without an expected name, any application's index is read (the default)
    assertThat(updater.check()).map(Release::version).contains(v("2.0.0"));
  }

  @Test
  void shouldRejectTheOldArtifactBytesAStaleMirrorServesForTheNewIndex() throws IOException {
    Release old = updater.find(v("1.0.0")).orElseThrow();
    Release next = repo.publish(v("1.1.0"));
    Files.copy(repo.artifactFile(old), repo.artifactFile(next),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(
        () -> updater.install(updater.check().orElseThrow()), UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    // Old bytes of another length stop the download at the declared size; of the same length
    // they fail the SHA-256 check: refused before staging either way.
    assertThat(e.step().orElseThrow()).isIn(Step.DOWNLOAD, Step.VERIFY);
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(downloads()).as("the stale bytes are not kept").isEmpty();
    assertThat(layout.current().resolve("VERSION")).hasContent("1.0.0");
  }
}
