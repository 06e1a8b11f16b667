package dev.updater.core.source;

import dev.updater.core.FaultyHttpServer;
import dev.updater.core.HomeSnapshot;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.TestRepository;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirror failover: one repository behind several HTTP mirrors on 127.0.0.1, one
 * of them down, stale, serving a bad index or cutting a download, and the install still gets the
 * current, verified release.
 */
class MirroredReleaseSourceTest {
  private static final String INDEX = "/channels/stable.json";

  @TempDir Path base;

  private final List<FaultyHttpServer> servers = new ArrayList<>();
  private TestRepository repo;
  private Path stale;
  private Layout layout;

  @BeforeEach
  void publishTwoReleasesAndKeepAStaleCopy() throws IOException {
    repo = new TestRepository(base.resolve("repo"));
    repo.publish(v("1.0.0"));
    stale = copy(repo.root, base.resolve("stale")); // a mirror that stopped syncing here
    repo.publish(v("1.1.0"));
    layout = Layout.of(base.resolve("home"));
  }

  @AfterEach
  void stopServers() {
    servers.forEach(FaultyHttpServer::close);
  }

  @Test
  void shouldInstallFromTheNextMirrorWhenTheFirstIsDown() throws IOException {
    FaultyHttpServer good = serve(repo.root);
    Updater updater = updater(http(downUrl()), http(good.baseUrl()));

    Release latest = updater.check().orElseThrow();
    UpdateResult result = updater.install(latest);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.empty(), v("1.1.0")));
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
  }

  @Test
  void shouldReadAPartFromTheNextMirrorWhenTheFirstLacksTheFile() throws IOException {
    byte[] content = "0123456789abcdefghij".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Files.createDirectories(repo.root.resolve("packs"));
    Files.write(repo.root.resolve("packs/p.pack"), content);
    FaultyHttpServer good = serve(repo.root);
    ReleaseSource mirrors = MirroredReleaseSource.of(List.of(http(serve(stale).baseUrl()),
        http(good.baseUrl())));
    dev.updater.core.Artifact part = new dev.updater.core.Artifact("p.pack", content.length,
        "c".repeat(64), "packs/p.pack");

    ReleaseSource.Opened opened = mirrors.openPart(part, 5, 10);

    assertThat(opened.offset()).isEqualTo(5);
    try (java.io.InputStream in = opened.body()) {
      assertThat(new String(in.readNBytes(11), java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("56789abcde");
    }
  }

  @Test
  void shouldTakeTheFreshestIndexAndItsMirrorsArtifactsWhenTheFirstMirrorIsStale()
      throws IOException {
    FaultyHttpServer old = serve(stale);
    FaultyHttpServer current = serve(repo.root);
    Updater updater = updater(http(old.baseUrl()), http(current.baseUrl()));

    Release latest = updater.check().orElseThrow();
    updater.install(latest);

    assertThat(latest.version()).as("the stale mirror's serial is outvoted").isEqualTo(v("1.1.0"));
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
    String artifact = "/" + latest.primaryArtifact().location();
    assertThat(current.requests(artifact)).isEqualTo(1);
    assertThat(old.requests(artifact)).as("asked of the mirror whose index won").isZero();
  }

  @Test
  void shouldSkipAMirrorServingABadIndex() throws IOException {
    Path badRoot = copy(repo.root, base.resolve("bad"));
    Files.writeString(badRoot.resolve("channels/stable.json"), "{ not json");
    FaultyHttpServer bad = serve(badRoot);
    FaultyHttpServer good = serve(repo.root);
    Updater updater = updater(http(bad.baseUrl()), http(good.baseUrl()));

    assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
    assertThat(bad.requests(INDEX)).isEqualTo(1);
  }

  @Test
  void shouldReportABadIndexRatherThanAnOutageWhenNoMirrorServesAValidOne() throws IOException {
    Path badRoot = copy(repo.root, base.resolve("bad"));
    Files.writeString(badRoot.resolve("channels/stable.json"), "{ not json");
    FaultyHttpServer bad = serve(badRoot);
    Updater updater = updater(http(downUrl()), http(bad.baseUrl()));
    Files.createDirectories(layout.home());
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(updater::check, UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e).hasMessageContaining("not valid");
    assertThat(e.getCause().getSuppressed()).as("the outage of the other mirror is attached")
        .hasSize(1);
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
  }

  @Test
  void shouldReportAnOutageWhenEveryMirrorIsDown() throws IOException {
    Updater updater = updater(http(downUrl()), http(downUrl()));

    UpdateException e = catchThrowableOfType(updater::check, UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.SOURCE_UNAVAILABLE);
  }

  @Test
  void shouldFetchTheArtifactFromAnotherMirrorWhenTheDownloadIsCut() throws IOException {
    FaultyHttpServer first = serve(repo.root);
    FaultyHttpServer second = serve(repo.root);
    Updater updater = updater(http(first.baseUrl()), http(second.baseUrl()));
    Release latest = updater.check().orElseThrow();
    String artifact = "/" + latest.primaryArtifact().location();
    first.always(artifact, FaultyHttpServer.Fault.cutAfter(100));

    UpdateResult result = updater.install(latest);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.empty(), v("1.1.0")));
    assertThat(layout.current().resolve("VERSION")).hasContent("1.1.0");
    assertThat(first.requests(artifact)).isEqualTo(1);
    assertThat(second.requests(artifact)).as("continued after the cut bytes").isEqualTo(1);
    assertThat(second.requestHeaders().get(second.requestHeaders().size() - 1).get("Range"))
        .containsExactly("bytes=100-");
  }

  @Test
  void shouldRefuseAnEmptyOrRepeatedListOfMirrors() throws IOException {
    ReleaseSource one = http(downUrl());

    assertThatThrownBy(() -> MirroredReleaseSource.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> MirroredReleaseSource.of(List.of(one, one)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
    assertThat(MirroredReleaseSource.of(List.of(one)).describe())
        .isEqualTo("mirrors [" + one.describe() + "]");
  }

  private Updater updater(ReleaseSource... mirrors) {
    return Updaters.builder(layout.home(), MirroredReleaseSource.of(List.of(mirrors)))
        .checkCacheTtl(Duration.ZERO).build();
  }

  private static ReleaseSource http(URI url) {
    return HttpReleaseSource.builder(url).maxAttempts(1).connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5)).build();
  }

  private FaultyHttpServer serve(Path root) throws IOException {
    FaultyHttpServer server = FaultyHttpServer.serve(root);
    servers.add(server);
    return server;
  }

  /** An address on 127.0.0.1 where nothing listens (the port was free a moment ago). */
  private static URI downUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
