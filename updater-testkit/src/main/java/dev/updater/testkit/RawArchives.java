package dev.updater.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes {@code .tar.gz} and {@code .zip} archives entry by entry, exactly as told: for testing
 * what a {@link dev.updater.core.spi.Stager} does with archives a publisher would never write
 * (entries escaping the tree, links out of it, devices, absolute names, odd modes and owners), and
 * trees whose entry order or explicit directory entries matter. Entry names are written as given:
 * no normalisation, leading slashes kept, no parent directories added. For well-formed releases,
 * {@link ReleaseArchives} is shorter.
 *
 * <pre>{@code
 * RawArchives.tarGz(dir.resolve("app-1.0.0.tar.gz"), Map.of("bin/app", "#!/bin/sh\n"));
 * RawArchives.tar().symlink("l", "/").file("l/etc/passwd", "x").writeTarGz(out);
 * }</pre>
 *
 * <p>The static methods are thread-safe; a {@link Tar} or {@link Zip} builder is not.
 */
public final class RawArchives {
  private RawArchives() {}

  /** Writes a {@code .tar.gz} of regular files (mode 0644) named by the keys. */
  public static Path tarGz(Path out, Map<String, String> files) throws IOException {
    Tar tar = tar();
    files.forEach(tar::file);
    return tar.writeTarGz(out);
  }

  /** Writes a {@code .zip} of regular files (mode 0644) named by the keys. */
  public static Path zip(Path out, Map<String, String> files) throws IOException {
    Zip zip = zip();
    files.forEach(zip::file);
    return zip.writeTo(out);
  }

  /** A builder of tar archives with arbitrary entries, in the order they are added. */
  public static Tar tar() {
    return new Tar();
  }

  /** A builder of zip archives with arbitrary entries, in the order they are added. */
  public static Zip zip() {
    return new Zip();
  }

  /** Builds a tar archive entry by entry. */
  public static final class Tar {
    private record Item(TarArchiveEntry entry, byte[] data) {}

    private final List<Item> items = new ArrayList<>();

    private Tar() {}

    /** A regular file, mode {@code 0644}, with UTF-8 {@code content}. */
    public Tar file(String name, String content) {
      return file(name, content, 0644);
    }

    /** A regular file with UTF-8 {@code content} and permission bits {@code mode}. */
    public Tar file(String name, String content, int mode) {
      return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    /** A regular file with {@code content} and permission bits {@code mode}. */
    public Tar file(String name, byte[] content, int mode) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
      e.setMode(mode);
      e.setSize(content.length);
      return add(e, content);
    }

    /** A regular file owned by {@code uid}/{@code gid} in the archive. */
    public Tar fileOwnedBy(String name, String content, int uid, int gid) {
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
      e.setMode(0644);
      e.setSize(bytes.length);
      e.setUserId(uid);
      e.setGroupId(gid);
      e.setUserName("root");
      e.setGroupName("root");
      return add(e, bytes);
    }

    /** A directory entry, mode {@code 0755}. */
    public Tar dir(String name) {
      return dir(name, 0755);
    }

    /** A directory entry with permission bits {@code mode}. */
    public Tar dir(String name, int mode) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
      e.setMode(mode);
      return add(e, new byte[0]);
    }

    /** A symbolic link to {@code target}, written as given (absolute or {@code ..} allowed). */
    public Tar symlink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      e.setLinkName(target);
      e.setMode(0777);
      return add(e, new byte[0]);
    }

    /** A hard link to the entry {@code target}, written as given. */
    public Tar hardlink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
      e.setLinkName(target);
      e.setMode(0644);
      return add(e, new byte[0]);
    }

    /** A character device entry (1, 3). */
    public Tar charDevice(String name) {
      return device(name, TarConstants.LF_CHR);
    }

    /** A block device entry (1, 3). */
    public Tar blockDevice(String name) {
      return device(name, TarConstants.LF_BLK);
    }

    /** A named pipe entry. */
    public Tar fifo(String name) {
      return device(name, TarConstants.LF_FIFO);
    }

    /** An entry of any type flag, without data (such as {@code 'V'}, a volume header). */
    public Tar rawType(String name, byte flag) {
      return add(new TarArchiveEntry(name, flag, true), new byte[0]);
    }

    /**
     * A PAX extended header ({@code x} entry) with the given records, applying to the next entry.
     * Records are written verbatim ({@code "<len> key=value\n"}), so any value fits, even one the
     * writer would refuse to parse.
     */
    public Tar paxHeader(Map<String, String> records) {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      records.forEach((k, v) -> {
        byte[] body = (" " + k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8);
        int len = body.length;
        while (len != body.length + Integer.toString(len).length()) {
          len = body.length + Integer.toString(len).length();
        }
        data.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
        data.writeBytes(body);
      });
      TarArchiveEntry e = new TarArchiveEntry("PaxHeaders/x",
          TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
      e.setSize(data.size());
      return add(e, data.toByteArray());
    }

    /** The uncompressed tar bytes. */
    public byte[] tarBytes() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Item item : items) {
          tar.putArchiveEntry(item.entry);
          tar.write(item.data);
          tar.closeArchiveEntry();
        }
      }
      return bytes.toByteArray();
    }

    /** Writes the archive gzip-compressed to {@code out} and returns {@code out}. */
    public Path writeTarGz(Path out) throws IOException {
      return gzip(tarBytes(), out);
    }

    private Tar device(String name, byte flag) {
      TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
      e.setMode(0666);
      e.setDevMajor(1);
      e.setDevMinor(3);
      return add(e, new byte[0]);
    }

    private Tar add(TarArchiveEntry entry, byte[] data) {
      items.add(new Item(entry, data));
      return this;
    }
  }

  /** Builds a zip archive entry by entry. */
  public static final class Zip {
    private record Item(String name, int unixMode, byte[] data, boolean stored) {}

    private final List<Item> items = new ArrayList<>();
    private boolean stored;

    private Zip() {}

    /** Writes the entries added from now on uncompressed (method STORED). */
    public Zip stored() {
      stored = true;
      return this;
    }

    /** A regular file, mode {@code 0644}, with UTF-8 {@code content}. */
    public Zip file(String name, String content) {
      return file(name, content, 0644);
    }

    /** A regular file with UTF-8 {@code content} and permission bits {@code mode}. */
    public Zip file(String name, String content, int mode) {
      return entry(name, UnixStat.FILE_FLAG | mode, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file without Unix mode information, as written on Windows. */
    public Zip fileWithoutMode(String name, String content) {
      return entry(name, -1, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A directory entry, mode {@code 0755} (a trailing {@code /} is added when missing). */
    public Zip dir(String name) {
      return entry(name.endsWith("/") ? name : name + "/", UnixStat.DIR_FLAG | 0755, new byte[0]);
    }

    /** A symbolic link to {@code target}, written as given. */
    public Zip symlink(String name, String target) {
      return entry(name, UnixStat.LINK_FLAG | 0777, target.getBytes(StandardCharsets.UTF_8));
    }

    /** An entry with any Unix mode word, type bits included (such as {@code 0020644}). */
    public Zip entry(String name, int unixMode, byte[] data) {
      items.add(new Item(name, unixMode, data, stored));
      return this;
    }

    /** Writes the archive to {@code out} and returns {@code out}. */
    public Path writeTo(Path out) throws IOException {
      try (OutputStream os = Files.newOutputStream(out);
          ZipArchiveOutputStream zip = new ZipArchiveOutputStream(os)) {
        zip.setEncoding("UTF-8");
        for (Item item : items) {
          ZipArchiveEntry e = new ZipArchiveEntry(item.name);
          if (item.unixMode >= 0) {
            e.setUnixMode(item.unixMode);
          }
          if (item.stored) {
            CRC32 crc = new CRC32();
            crc.update(item.data);
            e.setMethod(ZipArchiveEntry.STORED);
            e.setSize(item.data.length);
            e.setCompressedSize(item.data.length);
            e.setCrc(crc.getValue());
          }
          zip.putArchiveEntry(e);
          zip.write(item.data);
          zip.closeArchiveEntry();
        }
      }
      return out;
    }
  }

  /** Gzip-compresses {@code bytes} into {@code out}. */
  public static Path gzip(byte[] bytes, Path out) throws IOException {
    try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(out))) {
      os.write(bytes);
    }
    return out;
  }

  /** A {@link Map} literal that keeps its order (for archives whose entry order matters). */
  public static Map<String, String> ordered(String... nameContentPairs) {
    if (nameContentPairs.length % 2 != 0) {
      throw new IllegalArgumentException("pairs of name and content expected");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameContentPairs.length; i += 2) {
      map.put(nameContentPairs[i], nameContentPairs[i + 1]);
    }
    return map;
  }
}
