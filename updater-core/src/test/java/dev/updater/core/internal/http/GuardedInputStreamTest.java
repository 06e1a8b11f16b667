package dev.updater.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GuardedInputStreamTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  @Test
  void shouldReturnAtMostTheLimit() throws IOException {
    try (InputStream in = GuardedInputStream.guard(new ByteArrayInputStream(new byte[50]), "test",
        LONG, 0, LONG, 11)) {
      assertThat(in.readAllBytes()).hasSize(11);
    }
  }

  @Test
  void shouldSkipBytesAgainstTheLimitWhenDiscarding() throws IOException {
    byte[] bytes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    try (GuardedInputStream in = GuardedInputStream.guard(new ByteArrayInputStream(bytes), "test",
        LONG, 0, LONG, 7)) {
      in.discard(4);
      assertThat(in.readAllBytes()).containsExactly(4, 5, 6);
    }
  }

  @Test
  void shouldFailADiscardThatRunsOutOfBody() {
    GuardedInputStream in = GuardedInputStream.guard(new ByteArrayInputStream(new byte[3]), "test",
        LONG, 0, LONG, 100);

    assertThatThrownBy(() -> in.discard(5))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ended after 3 bytes");
  }

  @Test
  void shouldCloseAReadBlockedLongerThanTheIdleTimeoutAndFailIt() throws IOException {
    Stalled stalled = new Stalled();
    try (InputStream in = GuardedInputStream.guard(stalled, "test", Duration.ofMillis(100), 0,
        LONG, 100)) {
      assertThatThrownBy(in::read)
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("no data for 100 ms");
      assertThat(stalled.closed.getCount()).isZero();
      assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void shouldStopWatchingAStreamOnceClosed() throws IOException {
    int before = GuardedInputStream.watched();
    InputStream in = GuardedInputStream.guard(new ByteArrayInputStream(new byte[5]), "test",
        LONG, 1, LONG, 100);
    assertThat(GuardedInputStream.watched()).isEqualTo(before + 1);

    in.close();

    assertThat(GuardedInputStream.watched()).isEqualTo(before);
  }

  @Test
  void shouldStopWatchingAStreamReadToItsLimit() throws IOException {
    int before = GuardedInputStream.watched();
    InputStream in = GuardedInputStream.guard(new ByteArrayInputStream(new byte[50]), "test",
        LONG, 1, LONG, 10);

    in.readAllBytes();

    assertThat(GuardedInputStream.watched()).isEqualTo(before);
  }

  /** Blocks every read until closed, then reports the end of data as the JDK's body does. */
  private static final class Stalled extends InputStream {
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public int read() throws IOException {
      try {
        closed.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return -1;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }
}
