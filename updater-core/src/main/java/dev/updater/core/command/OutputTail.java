package dev.updater.core.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a process's output to its end, keeping only the last {@code limit} bytes, and hands each
 * line to a listener as it arrives (a line longer than {@link #MAX_LINE} bytes is handed over in
 * pieces). A listener that throws is ignored for that line; the output is read on regardless, so
 * the process never blocks on a full pipe.
 *
 * <p>{@link #drain} runs on one reader thread; {@link #text()} and {@link #truncated()} may be
 * called from any thread at any time.
 */
final class OutputTail {
  static final int MAX_LINE = 8 * 1024;

  private final byte[] ring;
  private final Consumer<String> lines;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long total;

  OutputTail(int limit, Consumer<String> lines) {
    this.ring = new byte[limit];
    this.lines = lines;
  }

  /** Reads {@code in} until its end or an error (the process was killed), then closes it. */
  void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        keep(buffer, n);
        split(buffer, n);
      }
    } catch (IOException e) {
      // the pipe was closed under us: what was read is kept
    }
    if (line.size() > 0) {
      emit();
    }
  }

  /** Whether bytes before the kept tail were dropped. */
  synchronized boolean truncated() {
    return total > ring.length;
  }

  /** The kept tail as UTF-8, stripped; a character cut by the limit is left out. */
  synchronized String text() {
    int size = (int) Math.min(total, ring.length);
    byte[] ordered = new byte[size];
    int start = total > ring.length ? (int) (total % ring.length) : 0;
    int first = Math.min(size, ring.length - start);
    System.arraycopy(ring, start, ordered, 0, first);
    System.arraycopy(ring, 0, ordered, first, size - first);
    int from = 0;
    while (truncated() && from < size && (ordered[from] & 0xC0) == 0x80) {
      from++; // a continuation byte whose first byte was dropped
    }
    return new String(ordered, from, size - from, StandardCharsets.UTF_8).strip();
  }

  private synchronized void keep(byte[] buffer, int n) {
    int from = Math.max(0, n - ring.length);
    long position = total + from;
    for (int i = from; i < n; ) {
      int at = (int) (position % ring.length);
      int count = Math.min(n - i, ring.length - at);
      System.arraycopy(buffer, i, ring, at, count);
      i += count;
      position += count;
    }
    total += n;
  }

  private void split(byte[] buffer, int n) {
    if (lines == null) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (buffer[i] == '\n') {
        emit();
      } else {
        line.write(buffer[i]);
        if (line.size() >= MAX_LINE) {
          emit();
        }
      }
    }
  }

  private void emit() {
    byte[] bytes = line.toByteArray();
    line.reset();
    if (lines == null) {
      return;
    }
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    try {
      lines.accept(new String(Arrays.copyOf(bytes, length), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      // a failing listener must not stop the reading, or the process would block on its output
    }
  }
}
