package dev.updater.core.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file while another thread is still writing it: the writer says how long the file has
 * grown ({@link #grew}), then that it is complete ({@link #complete}) or will never be ({@link
 * #abandon}); a read waits for bytes that are not written yet, and ends at the complete length. The
 * file is opened at the writer's first {@link #grew} and read by position from that descriptor, so
 * the writer may rename it once complete. Not API.
 *
 * <p>One thread reads, one writes; the writer's calls are safe against the reader's.
 */
public final class GrowingFile extends InputStream {
  private final Path file;
  private FileChannel channel;
  private long position;
  // guarded by this
  private long length;
  private boolean complete;
  private IOException abandoned;
  private boolean closed;

  /** A reader of {@code file}, which need not exist until the first {@link #grew}. */
  public GrowingFile(Path file) {
    this.file = file;
  }

  /**
   * The writer has written the first {@code length} bytes; the first call opens the file.
   *
   * @throws IOException when the file cannot be opened for reading
   */
  public synchronized void grew(long length) throws IOException {
    if (channel == null && !closed) {
      channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }
    if (length > this.length) {
      this.length = length;
      notifyAll();
    }
  }

  /** The file is complete at {@code length} bytes: a read at that length ends the stream. */
  public synchronized void complete(long length) throws IOException {
    grew(length);
    complete = true;
    notifyAll();
  }

  /** The file will not be completed: the read in progress and every later one fail with {@code why}. */
  public synchronized void abandon(IOException why) {
    if (abandoned == null) {
      abandoned = why;
    }
    notifyAll();
  }

  @Override
  public int read() throws IOException {
    return InputStreams.readOne(this);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long readable = awaitBytes();
    if (readable == 0) {
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, readable)), position);
    if (n < 0) {
      throw new IOException(file + " is shorter than the " + (position + readable)
          + " bytes its writer reported");
    }
    position += n;
    return n;
  }

  /** Waits until a byte past the position is written; 0 at the end of a complete file. */
  private synchronized long awaitBytes() throws IOException {
    while (abandoned == null && !closed && position >= length && !complete) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + file + " to grow");
      }
    }
    if (abandoned != null) {
      throw new IOException(abandoned.getMessage(), abandoned);
    }
    if (closed) {
      throw new IOException("the reader of " + file + " is closed");
    }
    return length - position;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    notifyAll();
    if (channel != null) {
      channel.close();
    }
  }
}
