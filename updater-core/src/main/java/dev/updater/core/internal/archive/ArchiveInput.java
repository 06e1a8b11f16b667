package dev.updater.core.internal.archive;

import dev.updater.core.spi.RejectedArchiveException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an archive's decompressed bytes and reports any failure of the decoder (an {@link
 * IOException} or a runtime exception from a malformed header) as a corrupt archive, so that read
 * failures and write failures are told apart.
 */
final class ArchiveInput extends FilterInputStream {
  private final String what;

  ArchiveInput(InputStream in, String what) {
    super(in);
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (RejectedArchiveException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw Rejections.corrupt(what, e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (RejectedArchiveException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw Rejections.corrupt(what, e);
    }
  }

  /** The stream must not be closed by the entry writer: the archive stream owns it. */
  @Override
  public void close() {}

  /** An operation on the archive decoder that may fail on malformed input. */
  interface Read<T> {
    T run() throws IOException;
  }

  /** Runs {@code read}; a failure of the decoder becomes a corrupt-archive rejection. */
  static <T> T guard(String what, Read<T> read) throws RejectedArchiveException {
    try {
      return read.run();
    } catch (RejectedArchiveException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw Rejections.corrupt(what, e);
    }
  }
}
