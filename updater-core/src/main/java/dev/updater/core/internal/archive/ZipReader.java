package dev.updater.core.internal.archive;

import dev.updater.core.spi.RejectedArchiveException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads a {@code .zip} into a {@link TreeWriter}. Entries come from the central directory; each
 * entry's local header must carry the same name, so no tool reading the local headers instead can
 * see a different tree. CRC-32 and size of each entry are checked against the central directory
 * while streaming. Unicode extra fields are ignored: the one name is the UTF-8 one.
 */
final class ZipReader {
  private static final int TYPE_MASK = 0170000;
  private static final int TYPE_FIFO = 0010000;
  private static final int TYPE_CHAR = 0020000;
  private static final int TYPE_DIR = 0040000;
  private static final int TYPE_BLOCK = 0060000;
  private static final int TYPE_FILE = 0100000;
  private static final int TYPE_LINK = 0120000;
  private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
  private static final int LOCAL_HEADER_SIZE = 30;

  private ZipReader() {}

  static void read(Path file, TreeWriter out) throws IOException {
    try (SeekableByteChannel headers = Files.newByteChannel(file, StandardOpenOption.READ);
        ZipFile zip = open(file)) {
      Enumeration<ZipArchiveEntry> entries = zip.getEntries();
      while (entries.hasMoreElements()) {
        ZipArchiveEntry entry = entries.nextElement();
        String rawName = entry.getName();
        out.countEntry(rawName);
        checkLocalHeader(headers, entry, rawName);
        write(zip, entry, rawName, out);
      }
    }
  }

  private static ZipFile open(Path file) throws IOException {
    SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ);
    try {
      return ArchiveInput.guard("reading the zip central directory", () -> ZipFile.builder()
          .setSeekableByteChannel(channel)
          .setCharset(StandardCharsets.UTF_8)
          .setUseUnicodeExtraFields(false)
          .get());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static void write(ZipFile zip, ZipArchiveEntry entry, String rawName, TreeWriter out)
      throws IOException {
    String name = out.names().entry(rawName);
    int unixMode = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() : 0;
    int type = unixMode & TYPE_MASK;
    switch (type) {
      case 0, TYPE_FILE, TYPE_DIR, TYPE_LINK -> { }
      case TYPE_CHAR -> throw special(rawName, "a character device");
      case TYPE_BLOCK -> throw special(rawName, "a block device");
      case TYPE_FIFO -> throw special(rawName, "a FIFO (named pipe)");
      default -> throw special(rawName, "a special file (type " + Integer.toOctalString(type) + ")");
    }
    boolean dirByName = entry.isDirectory();
    if (type == TYPE_FILE && dirByName || type == TYPE_LINK && dirByName) {
      throw Rejections.entry(rawName, "is named like a directory but its mode says otherwise");
    }
    boolean directory = type == TYPE_DIR || type == 0 && dirByName;
    if (!directory && !ArchiveInput.guard("reading " + rawName, () -> zip.canReadEntryData(entry))) {
      throw Rejections.entry(rawName,
          "uses a compression method or encryption this stager cannot read");
    }
    int mode = unixMode & 07777;
    if (type == TYPE_LINK) {
      out.symlink(rawName, name, linkTarget(zip, entry, rawName));
    } else if (directory) {
      out.directory(rawName, name, unixMode == 0 ? Modes.DEFAULT_DIRECTORY : mode);
    } else {
      String what = "reading entry '" + Rejections.printable(rawName) + "'";
      try (InputStream data = ArchiveInput.guard(what, () -> zip.getInputStream(entry))) {
        CheckedInputStream checked = new CheckedInputStream(new ArchiveInput(data, what), new CRC32());
        long before = out.totalBytes();
        out.file(rawName, name, unixMode == 0 ? Modes.DEFAULT_FILE : mode, checked,
            entry.getSize());
        verify(entry, rawName, checked.getChecksum().getValue(), out.totalBytes() - before);
      }
    }
  }

  private static String linkTarget(ZipFile zip, ZipArchiveEntry entry, String rawName)
      throws IOException {
    String what = "reading the link target of '" + Rejections.printable(rawName) + "'";
    int limit = 4 * 4096;
    try (InputStream data = ArchiveInput.guard(what, () -> zip.getInputStream(entry))) {
      CheckedInputStream checked = new CheckedInputStream(new ArchiveInput(data, what), new CRC32());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      int n;
      while ((n = checked.read(buffer)) != -1) {
        bytes.write(buffer, 0, n);
        if (bytes.size() > limit) {
          throw Rejections.entry(rawName, "is a symbolic link with a target longer than "
              + limit + " bytes");
        }
      }
      verify(entry, rawName, checked.getChecksum().getValue(), bytes.size());
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private static void verify(ZipArchiveEntry entry, String rawName, long crc, long size)
      throws RejectedArchiveException {
    if (entry.getCrc() != -1 && entry.getCrc() != crc) {
      throw Rejections.corrupt("entry '" + Rejections.printable(rawName)
          + "' has a bad CRC-32", new IOException("expected CRC-32 "
          + Long.toHexString(entry.getCrc()) + ", computed " + Long.toHexString(crc)));
    }
    if (entry.getSize() != ZipArchiveEntry.SIZE_UNKNOWN && entry.getSize() != size) {
      throw Rejections.corrupt("entry '" + Rejections.printable(rawName) + "' has the wrong size",
          new IOException("expected " + entry.getSize() + " bytes, read " + size));
    }
  }

  /** The local file header of {@code entry} must exist and carry the central directory's name. */
  private static void checkLocalHeader(SeekableByteChannel channel, ZipArchiveEntry entry,
      String rawName) throws IOException {
    byte[] expected = entry.getRawName();
    ByteBuffer header = ByteBuffer.allocate(LOCAL_HEADER_SIZE + expected.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    channel.position(entry.getLocalHeaderOffset());
    while (header.hasRemaining() && channel.read(header) > 0) {
      // keep reading
    }
    if (header.hasRemaining() || header.getInt(0) != LOCAL_HEADER_SIGNATURE) {
      throw Rejections.corrupt("entry '" + Rejections.printable(rawName)
          + "' has no local file header where the central directory says", null);
    }
    int nameLength = header.getShort(26) & 0xffff;
    byte[] local = Arrays.copyOfRange(header.array(), LOCAL_HEADER_SIZE, header.capacity());
    if (nameLength != expected.length || !Arrays.equals(local, expected)) {
      throw Rejections.entry(rawName, "has a different name in its local file header than in the"
          + " central directory (a zip parser differential)");
    }
  }

  private static RejectedArchiveException special(String rawName, String type) {
    return Rejections.entry(rawName, "is " + type
        + " (only files, directories and links inside the release are allowed)");
  }
}
