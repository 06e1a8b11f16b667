package dev.updater.core.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What each regular file of an installed release looked like on disk when its content was checked
 * against the signed manifest: its size, modification time and file key (device and inode on
 * Linux and macOS). A later delta install hard-links a live file into the next release only while
 * it still has the same stamp, so that a file changed in place since (a write sets its
 * modification time; a replacement gives it another inode, where the file system has file keys)
 * is fetched instead, without hashing every live file. Not API.
 *
 * <p>What a stamp cannot see: a change that keeps the size and puts the modification time back
 * (such as {@code cp -p} or {@code touch -r} over the file), or bytes that rot on the device. Both
 * need write access to the release directory or a failing disk; the closed-world check of the
 * staged tree does not read linked files again either. Where no stamps were kept (a release
 * installed by an earlier version of the library), the live files to link are hashed instead.
 *
 * <p>Stateless and thread-safe.
 */
final class FileStamps {
  private static final String HEADER = "updater-file-stamps 1";
  private static final String END = "end";

  /** One file's size, modification time in nanoseconds and file key ({@code -} when none). */
  record Stamp(long size, long modifiedNanos, String fileKey) {
    static Stamp of(BasicFileAttributes attrs) {
      Object key = attrs.fileKey();
      return new Stamp(attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS),
          key == null ? "-" : oneField(key.toString()));
    }

    /** {@code key} without the tabs and line breaks that separate a record's fields. */
    private static String oneField(String key) {
      boolean clean = true;
      for (int i = 0; clean && i < key.length(); i++) {
        char c = key.charAt(i);
        clean = c != '\t' && c != '\n' && c != '\r';
      }
      return clean ? key : key.replace('\t', '_').replace('\n', '_').replace('\r', '_');
    }

    /** True when {@code attrs} describe the same file, unchanged. */
    boolean matches(BasicFileAttributes attrs) {
      return equals(of(attrs));
    }
  }

  private FileStamps() {}

  /** One line per file ({@code size, time, key, path}, tab-separated), then an end marker. */
  static byte[] encode(Map<String, Stamp> stamps) {
    StringBuilder text = new StringBuilder(64 * stamps.size() + 64).append(HEADER).append('\n');
    for (Map.Entry<String, Stamp> e : stamps.entrySet()) {
      Stamp s = e.getValue();
      text.append(s.size()).append('\t').append(s.modifiedNanos()).append('\t')
          .append(s.fileKey()).append('\t').append(e.getKey()).append('\n');
    }
    return text.append(END).append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The stamps {@code bytes} hold; empty when they are not a whole, well-formed record. */
  static Optional<Map<String, Stamp>> decode(byte[] bytes) {
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
    int n = lines.length;
    // a record cut short by a crash lacks its end marker: ignored, so the files are hashed
    if (n < 3 || !lines[0].equals(HEADER) || !lines[n - 2].equals(END) || !lines[n - 1].isEmpty()) {
      return Optional.empty();
    }
    Map<String, Stamp> stamps = new HashMap<>(n * 2);
    try {
      for (int i = 1; i < n - 2; i++) {
        String[] f = lines[i].split("\t", 4);
        if (f.length != 4) {
          return Optional.empty();
        }
        stamps.put(f[3], new Stamp(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2]));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(stamps);
  }
}
