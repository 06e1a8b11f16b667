package dev.updater.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream ahead on its own thread into a few fixed buffers, so that producing the bytes
 * (inflating a gzip stream) and consuming them (parsing tar entries and writing files) run on two
 * cores at once, the way {@code tar xzf} runs {@code gzip -d} beside {@code tar}. Memory is fixed:
 * {@code depth + 2} buffers of {@code chunk} bytes, whatever the size of the stream. Not API.
 *
 * <p>A failure of the source (an {@link IOException}, a runtime exception or an error) is thrown,
 * as the same object, by the read that reaches it, after every byte read before it. Closing stops
 * the reading thread and waits for it, but does not close the source: its owner does.
 *
 * <p>One thread reads this stream; the reading-ahead thread is private.
 */
final class ReadAheadInputStream extends InputStream {
  private static final long STOP_WAIT_SECONDS = 10;

  /** A filled buffer, the end of the source, or its failure. */
  private record Chunk(byte[] bytes, int length, Throwable failure) {
    static final Chunk END = new Chunk(new byte[0], -1, null);
  }

  private final InputStream source;
  private final BlockingQueue<Chunk> filled;
  private final BlockingQueue<byte[]> free;
  private final Thread thread;
  private Chunk current;
  private int position;
  private boolean ended;
  private volatile boolean closed;

  /**
   * Starts reading {@code source} ahead, in buffers of {@code chunk} bytes, at most {@code depth}
   * of them waiting to be read.
   */
  ReadAheadInputStream(InputStream source, int chunk, int depth, String threadName) {
    this.source = source;
    this.filled = new ArrayBlockingQueue<>(depth + 1);
    this.free = new ArrayBlockingQueue<>(depth + 2);
    for (int i = 0; i < depth + 2; i++) {
      free.add(new byte[chunk]);
    }
    this.thread = new Thread(this::fill, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs on the reading-ahead thread. */
  private void fill() {
    try {
      while (!closed) {
        byte[] buffer = free.take();
        int n = source.readNBytes(buffer, 0, buffer.length);
        if (n > 0) {
          filled.put(new Chunk(buffer, n, null));
        }
        if (n < buffer.length) {
          filled.put(Chunk.END);
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed: nobody reads any more
    } catch (Throwable t) {
      try {
        filled.put(new Chunk(null, -1, t));
      } catch (InterruptedException ignored) {
        // closed meanwhile
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("the stream is closed");
    }
    if (len == 0) {
      return 0;
    }
    if (!next()) {
      return -1;
    }
    int n = Math.min(len, current.length() - position);
    System.arraycopy(current.bytes(), position, b, off, n);
    position += n;
    if (position == current.length()) {
      free.add(current.bytes());
      current = null;
    }
    return n;
  }

  /** Makes {@link #current} a chunk with bytes left; false at the end of the source. */
  private boolean next() throws IOException {
    if (current != null) {
      return true;
    }
    if (ended) {
      return false;
    }
    Chunk chunk;
    try {
      chunk = filled.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the decompressed bytes");
    }
    if (chunk.failure() != null) {
      ended = true;
      Throwable t = chunk.failure();
      if (t instanceof IOException io) {
        throw io;
      }
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error error) {
        throw error;
      }
      throw new IOException(t);
    }
    if (chunk == Chunk.END) {
      ended = true;
      return false;
    }
    current = chunk;
    position = 0;
    return true;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.length() - position;
  }

  /** Stops the reading-ahead thread and waits for it; the source stays open. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the reading-ahead thread still runs (for tests). */
  boolean reading() {
    return thread.isAlive();
  }
}
