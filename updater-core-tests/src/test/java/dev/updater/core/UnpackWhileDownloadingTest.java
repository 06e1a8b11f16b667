package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.FaultyHttpServer.Fault;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.source.HttpReleaseSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A full install of a {@code .tar.gz} with a signed manifest, over a real HTTP server on
 * 127.0.0.1: the archive is unpacked into staging while it downloads, and still nothing is used
 * before it is verified. Bytes tampered with on the way fail as a SHA-256 mismatch and leave the
 * home as it was; a cut download stops the unpacking, removes the staged files and resumes from
 * its partial file; a hook before STAGE sees no staged file.
 */
class UnpackWhileDownloadingTest extends ServedRepositoryTest {
  /** Incompressible files: about 3 MB of archive, sent in pieces the test can hold back. */
  private static final int FILES = 96;
  private static final int FILE_BYTES = 32 * 1024;


  @Test
  void shouldUnpackTheArchiveWhileItDownloads() throws IOException {
    Release release = repo.publish("1.0.0", tree(1));
    AtomicBoolean stagedBeforeTheEnd = new AtomicBoolean();
    // sends all but the last 64 KiB, and holds them until files are staged (10 s at most)
    server.next(DeltaRepository.archiveUrl(release), (ex, content, srv) -> {
      ex.sendResponseHeaders(200, content.length);
      OutputStream out = ex.getResponseBody();
      int head = content.length - 64 * 1024;
      out.write(content, 0, head);
      out.flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!stagedBeforeTheEnd.get() && System.nanoTime() < deadline) {
        stagedBeforeTheEnd.set(stagedFiles() > 0);
        Thread.sleep(10);
      }
      out.write(content, head, content.length - head);
      out.close();
    });

    updater().install(release);

    assertThat(stagedBeforeTheEnd).isTrue();
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0\n");
    assertThat(home.resolve("current/d2/f7.bin")).hasBinaryContent(content(1, 7 * 8 + 2));
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void shouldFailTamperedBytesAsAShaMismatchAndLeaveTheHomeAsItWas() throws IOException {
    Release release = repo.publish("1.0.0", tree(1));
    // the same length, with a run of bytes in the middle changed: the gzip stream breaks there
    server.next(DeltaRepository.archiveUrl(release), (ex, content, srv) -> {
      byte[] tampered = content.clone();
      for (int i = tampered.length / 2; i < tampered.length / 2 + 4096; i++) {
        tampered[i] ^= 0x5a;
      }
      ex.sendResponseHeaders(200, tampered.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(tampered);
      }
    });
    HomeSnapshot before = HomeSnapshot.of(Layout.of(home));

    assertThatThrownBy(() -> updater().install(release))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.step()).contains(Step.VERIFY);
          assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
          assertThat(e.getMessage()).contains("SHA-256 mismatch");
        });
    assertThat(HomeSnapshot.of(Layout.of(home))).isEqualTo(before);
    assertThat(stagedFiles()).isZero();

    updater().install(release); // the server sends the published bytes now

    assertThat(home.resolve("current/d5/f3.bin")).hasBinaryContent(content(1, 3 * 8 + 5));
  }

  @Test
  void shouldStopUnpackingWhenTheDownloadIsCutAndResumeItLater() throws IOException {
    Release release = repo.publish("1.0.0", tree(1));
    String path = DeltaRepository.archiveUrl(release);
    int cut = (int) (release.primaryArtifact().size() * 2 / 3);
    server.next(path, Fault.cutAfter(cut));
    Updater updater = Updater.builder().home(home).source(HttpReleaseSource.builder(
        server.baseUrl()).trustedKeys(repo.trust()).maxAttempts(1).build()).freeSpace(0, 3)
        .checkCacheTtl(Duration.ZERO).build();
    HomeSnapshot before = HomeSnapshot.of(Layout.of(home));

    assertThatThrownBy(() -> updater.install(release))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.step()).contains(Step.DOWNLOAD));
    assertThat(HomeSnapshot.of(Layout.of(home))).isEqualTo(before);
    assertThat(stagedFiles()).isZero();

    updater.install(release);

    assertThat(home.resolve("current/d0/f0.bin")).hasBinaryContent(content(1, 0));
    assertThat(server.requestHeaders(path).get(1).get("Range"))
        .containsExactly("bytes=" + cut + "-");
  }

  @Test
  void shouldStageNothingBeforeAHookThatRunsBeforeStage() throws IOException {
    Release release = repo.publish("1.0.0", tree(1));
    AtomicBoolean sawStagedFiles = new AtomicBoolean(true);
    Updater updater = Updater.builder().home(home).source(http()).freeSpace(0, 3)
        .before(Step.STAGE, ctx -> sawStagedFiles.set(stagedFiles() > 0)).build();

    updater.install(release);

    assertThat(sawStagedFiles).isFalse();
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0\n");
  }

  // ---------------------------------------------------------------------------------------------

  private Updater updater() {
    return Updater.builder().home(home).source(http()).freeSpace(0, 3)
        .checkCacheTtl(Duration.ZERO).build();
  }

  private HttpReleaseSource http() {
    return HttpReleaseSource.builder(server.baseUrl()).trustedKeys(repo.trust()).build();
  }

  /** Regular files under the staging root, in any staging directory. */
  private long stagedFiles() throws IOException {
    Path root = home.resolve(".updater/staging");
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(Files::isRegularFile).count();
    }
  }

  private static Consumer<dev.updater.testkit.RawArchives.Tar> tree(int seed) {
    return tar -> {
      tar.file("VERSION", "1.0.0\n", 0644);
      for (int i = 0; i < FILES; i++) {
        tar.file("d" + i % 8 + "/f" + i / 8 + ".bin", content(seed, i), 0644); // dD/fF holds F*8+D
      }
    };
  }

  /** The bytes of file {@code index}: incompressible, the same for the same seed. */
  private static byte[] content(int seed, int index) {
    byte[] bytes = new byte[FILE_BYTES];
    new Random(seed * 1_000_003L + index).nextBytes(bytes);
    return bytes;
  }
}
