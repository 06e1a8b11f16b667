package dev.updater.core.internal.http;

import dev.updater.core.internal.io.InputStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A response body guarded against slow retrieval and endless data: a watchdog closes it when one
 * read waits longer than the idle timeout for a byte, or when fewer bytes than the minimum
 * throughput arrive over a window; and it ends after {@code limit} bytes however many the server
 * sends. A tripped guard makes the read in progress, and every later one, throw an
 * {@link IOException} naming the reason (closing the JDK's body stream alone would look like a
 * normal end of data). It also closes the body when the reading thread is interrupted, since a
 * read from a socket does not end by itself when its thread is.
 *
 * <p>The watchdog is needed because the JDK {@code HttpClient}'s request timeout does not cover the
 * body (JDK-8208693). One daemon thread serves every guarded stream.
 *
 * <p>One thread reads; the watchdog thread may close the stream at any time. Not API.
 */
final class GuardedInputStream extends InputStream {
  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
  private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final InputStream in;
  private final String what;
  private final long idleNanos;
  private final long minBytesPerSecond;
  private final long windowNanos;
  private final ScheduledFuture<?> task;

  private long remaining;
  /** When the read in progress started, or -1 when no read is in progress. */
  private volatile long readStartedNanos = -1;
  /** The thread of the read in progress, or null. */
  private volatile Thread reader;
  private volatile long received;
  private volatile IOException tripped;
  // only the watchdog thread touches these two
  private long windowStartNanos;
  private long windowStartBytes;

  private GuardedInputStream(InputStream in, String what, Duration idle, long minBytesPerSecond,
      Duration window, long limit) {
    this.in = in;
    this.what = what;
    this.idleNanos = idle.toNanos();
    this.minBytesPerSecond = minBytesPerSecond;
    this.windowNanos = window.toNanos();
    this.remaining = limit;
    this.windowStartNanos = System.nanoTime();
    long tick = Math.min(idleNanos, minBytesPerSecond > 0 ? windowNanos : idleNanos) / 4;
    tick = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, tick));
    this.task = WATCHDOG.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.NANOSECONDS);
  }

  /**
   * Guards {@code in}: no read waits more than {@code idle} for a byte, at least {@code
   * minBytesPerSecond} arrive over every {@code window} (0 turns that check off), and at most
   * {@code limit} bytes are returned.
   */
  static GuardedInputStream guard(InputStream in, String what, Duration idle,
      long minBytesPerSecond, Duration window, long limit) {
    return new GuardedInputStream(in, what, idle, minBytesPerSecond, window, limit);
  }

  @Override
  public int read() throws IOException {
    return InputStreams.readOne(this);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    throwIfTripped(null);
    if (len == 0) {
      return 0;
    }
    if (remaining <= 0) {
      task.cancel(false);
      return -1;
    }
    if (Thread.currentThread().isInterrupted()) {
      trip(interrupted());
      throwIfTripped(null);
    }
    int n;
    reader = Thread.currentThread();
    readStartedNanos = System.nanoTime();
    try {
      n = in.read(b, off, (int) Math.min(len, remaining));
    } catch (SocketTimeoutException e) {
      if (tripped == null) { // the socket's own read timeout, the same as the idle timeout
        trip(idle());
      }
      throwIfTripped(e);
      throw e;
    } catch (IOException e) {
      throwIfTripped(e);
      throw e;
    } finally {
      readStartedNanos = -1;
      reader = null;
    }
    throwIfTripped(null);
    if (n == -1) {
      task.cancel(false);
      return -1;
    }
    remaining -= n;
    received += n;
    return n;
  }

  /**
   * Reads and discards exactly {@code n} bytes, under the same guard; they count against the
   * limit.
   */
  void discard(long n) throws IOException {
    byte[] buf = new byte[8192];
    long left = n;
    while (left > 0) {
      int read = read(buf, 0, (int) Math.min(buf.length, left));
      if (read == -1) {
        throw new IOException(what + ": the body ended after " + (n - left) + " bytes, before the "
            + n + " to skip");
      }
      left -= read;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    byte[] buf = new byte[8192];
    while (skipped < n) {
      int read = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (read == -1) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    throwIfTripped(null);
    return (int) Math.min(in.available(), remaining);
  }

  @Override
  public void close() throws IOException {
    task.cancel(false);
    in.close();
  }

  private void throwIfTripped(IOException cause) throws IOException {
    IOException e = tripped;
    if (e != null) {
      if (cause != null && cause != e) {
        e.addSuppressed(cause);
      }
      throw e;
    }
  }

  private SocketTimeoutException idle() {
    return new SocketTimeoutException(what + ": no data for " + millis(idleNanos)
        + " ms (the idle read timeout); the connection was closed");
  }

  private InterruptedIOException interrupted() {
    return new InterruptedIOException(what + ": interrupted; the connection was closed");
  }

  /** Runs on the watchdog thread. */
  private void check() {
    long now = System.nanoTime();
    long started = readStartedNanos;
    Thread reading = reader;
    if (started != -1 && reading != null && reading.isInterrupted()) {
      trip(interrupted()); // a socket read does not end when its thread is interrupted
      return;
    }
    if (started != -1 && now - started > idleNanos) {
      trip(idle());
      return;
    }
    if (minBytesPerSecond > 0 && now - windowStartNanos >= windowNanos) {
      long bytes = received - windowStartBytes;
      long elapsed = now - windowStartNanos;
      long needed = (long) (minBytesPerSecond * (elapsed / 1e9));
      if (bytes < needed) {
        trip(new IOException(what + ": only " + bytes + " bytes arrived in " + millis(elapsed)
            + " ms, slower than the minimum of " + minBytesPerSecond + " bytes/s; the connection"
            + " was closed (slow retrieval)"));
        return;
      }
      windowStartNanos = now;
      windowStartBytes = received;
    }
  }

  private void trip(IOException e) {
    tripped = e;
    task.cancel(false);
    try {
      in.close();
    } catch (IOException | RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  /** How many guards the watchdog is watching (for tests). */
  static int watched() {
    return WATCHDOG.getQueue().size();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "updater-http-watchdog");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
