package dev.updater.core.internal.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The compression of the objects a format-3 manifest names: zlib (RFC 1950, the JDK's {@link
 * Deflater} at level 6). Every JDK reads and writes it without a dependency; it is fast to
 * inflate (an install spends far less time inflating than fetching), and it is what
 * already-compressed content (jar entries, images) costs least to try. Its ratio is lower than
 * zstd's or xz's, which would need a native library or another dependency. Not API.
 *
 * <p>Stateless and thread-safe.
 */
public final class ZlibObjects {
  /** The suffix of a compressed object's file name. */
  public static final String SUFFIX = ".zlib";

  private ZlibObjects() {}

  /**
   * The most bytes the compressed form of {@code size} bytes can take (zlib's own bound, with
   * room to spare): a reader stops there.
   */
  public static long maxCompressedSize(long size) {
    return size + (size >>> 10) + 64;
  }

  /**
   * A stream that compresses what is written to it into {@code out}; closing it ends the
   * compressed stream but leaves {@code out} open.
   */
  public static OutputStream compressingInto(OutputStream out) {
    Deflater deflater = new Deflater(6);
    return new DeflaterOutputStream(out, deflater, 64 * 1024) {
      private boolean closed;

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try {
          finish();
          out.flush();
        } finally {
          deflater.end();
        }
      }
    };
  }

  /**
   * A stream of the uncompressed bytes of {@code in}; closing it reads {@code in} to its end when
   * the compressed stream has ended (so that an HTTP connection is reused rather than dropped
   * with a body not read to its end), then closes it.
   */
  public static InputStream inflating(InputStream in) {
    Inflater inflater = new Inflater();
    return new InflaterInputStream(in, inflater, 64 * 1024) {
      @Override
      public void close() throws IOException {
        try {
          if (inflater.finished()) {
            in.transferTo(OutputStream.nullOutputStream());
          }
          super.close();
        } finally {
          inflater.end();
        }
      }
    };
  }
}
