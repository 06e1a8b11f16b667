package dev.updater.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
  void shouldCloseASocketReadWhenItsThreadIsInterrupted() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket silent = server.accept()) {
      InputStream in = GuardedInputStream.guard(client.getInputStream(), "test", LONG, 0, LONG,
          100);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reading = new Thread(() -> {
        try {
          in.read(); // a socket read blocks through an interrupt of its thread
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      reading.start();
      Thread.sleep(50);

      reading.interrupt();
      reading.join(10_000);

      assertThat(reading.isAlive()).isFalse();
      assertThat(client.isClosed()).isTrue();
      assertThat(failure.get()).isInstanceOf(InterruptedIOException.class)
          .hasMessageContaining("interrupted");
    }
  }

  @Test
  void shouldRefuseToReadOnAnInterruptedThread() {
    InputStream in = GuardedInputStream.guard(new ByteArrayInputStream(new byte[5]), "test",
        LONG, 0, LONG, 100);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(in::read).isInstanceOf(InterruptedIOException.class);
    } finally {
      Thread.interrupted();
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
