package dev.updater.core.internal.archive;

import dev.updater.core.spi.RejectedArchiveException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Streams a {@code .tar.gz} into a {@link TreeWriter}, one entry at a time: the archive is never
 * held in memory. Owner, group, times, PAX extended attributes and xattrs are ignored.
 */
final class TarGzReader {
  private static final int BUFFER_SIZE = 64 * 1024;

  private TarGzReader() {}

  static void read(Path file, TreeWriter out) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      read(in, out);
    }
  }

  /** Streams the {@code .tar.gz} read from {@code in} (not closed) into {@code out}. */
  static void read(InputStream in, TreeWriter out) throws IOException {
    InputStream raw = new BufferedInputStream(in, BUFFER_SIZE);
    GzipCompressorInputStream gzip = ArchiveInput.guard("reading the gzip header",
        () -> GzipCompressorInputStream.builder().setInputStream(raw)
            .setDecompressConcatenated(true).get());
    TarArchiveInputStream tar = new TarArchiveInputStream(gzip, "UTF-8");
    TarArchiveEntry entry;
    while ((entry = next(tar)) != null) {
      String rawName = entry.getName();
      out.countEntry(rawName);
      write(entry, rawName, tar, out);
    }
    drain(gzip, out);
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar) throws RejectedArchiveException {
    return ArchiveInput.guard("reading a tar header", tar::getNextEntry);
  }

  private static void write(TarArchiveEntry entry, String rawName, InputStream tar, TreeWriter out)
      throws IOException {
    String name = out.names().entry(rawName);
    if (entry.isSymbolicLink()) {
      out.symlink(rawName, name, entry.getLinkName());
    } else if (entry.isLink()) {
      out.hardLink(rawName, name, entry.getLinkName());
    } else if (entry.isCharacterDevice()) {
      throw special(rawName, "a character device");
    } else if (entry.isBlockDevice()) {
      throw special(rawName, "a block device");
    } else if (entry.isFIFO()) {
      throw special(rawName, "a FIFO (named pipe)");
    } else if (entry.isSparse()) {
      throw special(rawName, "a sparse file");
    } else if (entry.isDirectory()) {
      out.directory(rawName, name, entry.getMode());
    } else if (isRegular(entry.getLinkFlag())) {
      out.file(rawName, name, entry.getMode(), new ArchiveInput(tar, "reading entry '"
          + Rejections.printable(rawName) + "'"), entry.getSize());
    } else {
      throw special(rawName, "of the unsupported tar type '" + (char) entry.getLinkFlag() + "'");
    }
  }

  private static boolean isRegular(byte flag) {
    return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
        || flag == TarConstants.LF_CONTIG;
  }

  private static RejectedArchiveException special(String rawName, String type) {
    return Rejections.entry(rawName, "is " + type
        + " (only files, directories and links inside the release are allowed)");
  }

  /**
   * Reads the gzip stream to its end after the tar end marker, so that the gzip checksum and
   * length of every member are verified; bounded like the entries themselves.
   */
  private static void drain(InputStream gzip, TreeWriter out) throws IOException {
    InputStream in = new ArchiveInput(gzip, "reading the end of the gzip stream");
    byte[] buffer = new byte[8192];
    long budget = Math.max(0, out.maxTotalBytes() - out.totalBytes());
    long n;
    while ((n = in.read(buffer)) != -1) {
      budget -= n;
      if (budget < 0) {
        throw out.tooManyBytes("(data after the tar end marker)");
      }
    }
  }
}
