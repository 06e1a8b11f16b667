package dev.updater.core.internal.io;

import java.io.IOException;
import java.io.InputStream;

/** Small helpers for the library's own input streams. Not API. */
public final class InputStreams {
  private InputStreams() {}

  /**
   * Reads one byte from {@code in} through its {@code read(byte[], int, int)}, so that a stream
   * whose checks and counts live there applies them to single bytes too.
   *
   * @return the byte as 0 to 255, or -1 at the end of the stream
   */
  public static int readOne(InputStream in) throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = in.read(one, 0, 1);
    } while (n == 0);
    return n == -1 ? -1 : one[0] & 0xff;
  }
}
