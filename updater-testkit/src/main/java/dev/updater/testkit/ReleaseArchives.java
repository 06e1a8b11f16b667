package dev.updater.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Builds release archives in memory, for {@link InMemoryReleaseSource#publish}: a {@code .tar.gz}
 * (or {@code .zip}) of files given as relative path and content. Parent directories get entries of
 * their own; entries are sorted and time-stamped alike, so the same files always give the same
 * bytes (and the same SHA-256).
 *
 * <pre>{@code
 * byte[] simple = ReleaseArchives.tarGz(Map.of("VERSION", "1.1.0", "README", "hello"));
 * byte[] withScript = ReleaseArchives.builder()
 *     .file("VERSION", "1.1.0")
 *     .executable("bin/app", "#!/bin/sh\nexec java -jar lib/app.jar\n")
 *     .tarGz();
 * }</pre>
 *
 * <p>These are well-formed archives for flows that should succeed; paths must be relative and stay
 * inside the release. Archives a publisher would never write (traversal, links out, devices) are
 * written by {@link RawArchives}.
 * The builder is not thread-safe; the static methods are.
 */
public final class ReleaseArchives {
  /** Mode of regular files: {@code rw-r--r--}. */
  public static final int FILE_MODE = 0644;
  /** Mode of executables and directories: {@code rwxr-xr-x}. */
  public static final int EXECUTABLE_MODE = 0755;
  private static final long MTIME = 1_735_689_600_000L; // 2025-01-01T00:00:00Z

  private ReleaseArchives() {}

  /** A {@code .tar.gz} of regular files, from relative path to UTF-8 content. */
  public static byte[] tarGz(Map<String, String> files) {
    return of(files).tarGz();
  }

  /** A {@code .zip} of regular files, from relative path to UTF-8 content. */
  public static byte[] zip(Map<String, String> files) {
    return of(files).zip();
  }

  /** A builder with no files yet. */
  public static Builder builder() {
    return new Builder();
  }

  private static Builder of(Map<String, String> files) {
    Builder b = builder();
    Objects.requireNonNull(files, "files").forEach(b::file);
    return b;
  }

  /** Collects the files of one archive. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Entry> entries = new TreeMap<>();

    private Builder() {}

    /** Adds a regular file (mode {@code 0644}) with UTF-8 {@code content}. */
    public Builder file(String path, String content) {
      Objects.requireNonNull(content, "content");
      return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a regular file (mode {@code 0644}) with {@code content}. */
    public Builder file(String path, byte[] content) {
      return put(path, new Entry(Kind.FILE, Objects.requireNonNull(content, "content").clone(),
          FILE_MODE));
    }

    /** Adds an executable file (mode {@code 0755}) with UTF-8 {@code content}. */
    public Builder executable(String path, String content) {
      return put(path, new Entry(Kind.FILE,
          Objects.requireNonNull(content, "content").getBytes(StandardCharsets.UTF_8),
          EXECUTABLE_MODE));
    }

    /** Adds an empty directory. */
    public Builder directory(String path) {
      return put(path, new Entry(Kind.DIRECTORY, new byte[0], EXECUTABLE_MODE));
    }

    /** The archive as {@code .tar.gz} bytes. */
    public byte[] tarGz() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Map.Entry<String, Entry> e : withParents().entrySet()) {
          Entry entry = e.getValue();
          boolean dir = entry.kind == Kind.DIRECTORY;
          TarArchiveEntry t = new TarArchiveEntry(dir ? e.getKey() + "/" : e.getKey());
          t.setMode((dir ? 040000 : 0100000) | entry.mode);
          t.setModTime(new Date(MTIME));
          t.setSize(dir ? 0 : entry.content.length);
          tar.putArchiveEntry(t);
          tar.write(entry.content);
          tar.closeArchiveEntry();
        }
        tar.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    /** The archive as {@code .zip} bytes, with Unix modes. */
    public byte[] zip() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
        for (Map.Entry<String, Entry> e : withParents().entrySet()) {
          Entry entry = e.getValue();
          boolean dir = entry.kind == Kind.DIRECTORY;
          ZipArchiveEntry z = new ZipArchiveEntry(dir ? e.getKey() + "/" : e.getKey());
          z.setUnixMode((dir ? 0040000 : 0100000) | entry.mode);
          z.setTime(MTIME);
          zip.putArchiveEntry(z);
          zip.write(entry.content);
          zip.closeArchiveEntry();
        }
        zip.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    private Builder put(String path, Entry entry) {
      String p = checkPath(path);
      if (entries.containsKey(p)) {
        throw new IllegalArgumentException("'" + p + "' is already in the archive");
      }
      entries.put(p, entry);
      return this;
    }

    private Map<String, Entry> withParents() {
      Map<String, Entry> all = new TreeMap<>(entries);
      for (String path : entries.keySet()) {
        for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
          String parent = path.substring(0, i);
          Entry existing = all.get(parent);
          if (existing != null && existing.kind != Kind.DIRECTORY) {
            throw new IllegalArgumentException(
                "'" + parent + "' is a file but '" + path + "' needs it to be a directory");
          }
          all.putIfAbsent(parent, new Entry(Kind.DIRECTORY, new byte[0], EXECUTABLE_MODE));
        }
      }
      return all;
    }

    private static String checkPath(String path) {
      Objects.requireNonNull(path, "path");
      String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      if (p.isEmpty() || p.startsWith("/") || p.contains("\\") || p.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "'" + path + "' must be a relative path with '/' separators");
      }
      for (String segment : p.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          throw new IllegalArgumentException(
              "'" + path + "' must not have empty, '.' or '..' segments");
        }
      }
      return p;
    }
  }

  private enum Kind { FILE, DIRECTORY }

  private record Entry(Kind kind, byte[] content, int mode) {}
}
