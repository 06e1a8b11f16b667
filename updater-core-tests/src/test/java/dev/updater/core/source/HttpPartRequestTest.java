package dev.updater.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.FaultyHttpServer;
import dev.updater.core.FaultyHttpServer.Fault;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpReleaseSource#openPart} against a real HTTP server on 127.0.0.1: one {@code Range:
 * bytes=<first>-<last>} request; a 206 gives exactly the part, a server that ignores {@code
 * Range} gives the whole file from byte 0 (offset 0), a 416 or a 206 for other bytes is refused,
 * a 404 is a missing file, and a part outside the listed size is refused before any request.
 */
class HttpPartRequestTest {
  private static final byte[] CONTENT = new byte[100_000];

  static {
    new Random(9).nextBytes(CONTENT);
  }

  @TempDir
  Path tmp;

  private FaultyHttpServer server;
  private HttpReleaseSource source;
  private final Artifact pack = new Artifact("p.pack", CONTENT.length, "a".repeat(64),
      "packs/p.pack");

  @BeforeEach
  void start() throws IOException {
    Files.createDirectories(tmp.resolve("packs"));
    Files.write(tmp.resolve("packs/p.pack"), CONTENT);
    server = FaultyHttpServer.serve(tmp);
    source = HttpReleaseSource.builder(server.baseUrl()).maxAttempts(1).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] read(ReleaseSource.Opened opened, int n) throws IOException {
    try (InputStream in = opened.body()) {
      return in.readNBytes(n + 1);
    }
  }

  @Test
  void shouldAskForExactlyThePartWithOneRangeRequest() throws IOException {
    ReleaseSource.Opened opened = source.openPart(pack, 1000, 5000);

    assertThat(opened.offset()).isEqualTo(1000);
    assertThat(read(opened, 5000)).isEqualTo(Arrays.copyOfRange(CONTENT, 1000, 6000));
    assertThat(server.requestHeaders("/packs/p.pack").get(0).get("Range"))
        .containsExactly("bytes=1000-5999");
  }

  @Test
  void shouldHandBackTheWholeFileFromByteZeroWhenTheServerIgnoresRange() throws IOException {
    server.next("/packs/p.pack", Fault.ignoreRange());

    ReleaseSource.Opened opened = source.openPart(pack, 1000, 5000);

    assertThat(opened.offset()).isZero();
    assertThat(read(opened, CONTENT.length)).isEqualTo(CONTENT);
  }

  @Test
  void shouldRefuseA416() {
    server.next("/packs/p.pack", Fault.status(416, "Content-Range", "bytes */10"));

    assertThatThrownBy(() -> source.openPart(pack, 1000, 5000))
        .isInstanceOf(VerificationException.class).hasMessageContaining("416");
  }

  @Test
  void shouldRefuseA206ForOtherBytes() {
    server.next("/packs/p.pack", Fault.wrongContentRange());

    assertThatThrownBy(() -> source.openPart(pack, 1000, 5000))
        .isInstanceOf(VerificationException.class).hasMessageContaining("Content-Range");
  }

  @Test
  void shouldReportAMissingFile() {
    Artifact missing = new Artifact("q.pack", 10, "b".repeat(64), "packs/q.pack");

    assertThatThrownBy(() -> source.openPart(missing, 0, 10))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void shouldRefuseAPartOutsideTheListedSizeBeforeAnyRequest() {
    assertThatThrownBy(() -> source.openPart(pack, CONTENT.length - 10, 11))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> source.openPart(pack, -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests("/packs/p.pack")).isZero();
  }
}
