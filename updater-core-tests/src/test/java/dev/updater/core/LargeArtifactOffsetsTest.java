package dev.updater.core;

import dev.updater.core.source.HttpReleaseSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 4.5 GiB artifact resumed near its end. The server sends only the last bytes,
 * so the test needs no large file, but every offset, Range header and Content-Range check is above
 * 2^32.
 */
class LargeArtifactOffsetsTest {
  private static final long SIZE = 4_831_838_208L; // 4.5 GiB
  private static final long OFFSET = SIZE - 1000;

  private HttpServer server;
  private final List<String> ranges = new CopyOnWriteArrayList<>();
  /** The first byte the server claims in its Content-Range; the real offset unless a test lies. */
  private final AtomicLong claimedStart = new AtomicLong(-1);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/big.bin", ex -> {
      String range = ex.getRequestHeaders().getFirst("Range");
      ranges.add(String.valueOf(range));
      long from = Long.parseLong(range.replaceAll("bytes=(\\d+)-", "$1"));
      long claimed = claimedStart.get() < 0 ? from : claimedStart.get();
      ex.getResponseHeaders().add("Content-Range",
          "bytes " + claimed + "-" + (SIZE - 1) + "/" + SIZE);
      ex.sendResponseHeaders(206, SIZE - from);
      try (OutputStream out = ex.getResponseBody()) {
        for (long i = from; i < SIZE; i++) {
          out.write((int) (i % 251));
        }
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private HttpReleaseSource source() {
    return HttpReleaseSource.builder(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/")).maxAttempts(1)
        .readTimeout(Duration.ofSeconds(5)).build();
  }

  private static Artifact big() {
    return new Artifact("big.bin", SIZE, "00".repeat(32), "big.bin");
  }

  @Test
  void shouldResumeAboveFourGibibytesWithLongOffsetsEndToEnd() throws IOException {
    byte[] tail;
    try (InputStream in = source().open(big(), OFFSET)) {
      tail = in.readAllBytes();
    }

    assertThat(ranges).containsExactly("bytes=" + OFFSET + "-");
    assertThat(tail).hasSize(1000);
    assertThat(tail[0] & 0xff).isEqualTo((int) (OFFSET % 251));
    assertThat(tail[999] & 0xff).isEqualTo((int) ((SIZE - 1) % 251));
  }

  @Test
  void shouldRefuseAnAnswerWhoseStartIsTheOffsetTruncatedTo32Bits() {
    claimedStart.set(OFFSET & 0xffff_ffffL);

    assertThatThrownBy(() -> source().open(big(), OFFSET).close())
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("asked for the bytes from " + OFFSET);
  }
}
