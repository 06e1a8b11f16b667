package dev.updater.core.internal.archive;

import dev.updater.core.internal.FaultPoints;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.Stager.FileListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the entries of one archive into a fresh release directory, whatever the archive format.
 *
 * <p>Keeps a table of every path created (explicit entries and implicit parent directories) keyed
 * by {@link EntryNames#collisionKey}, so a duplicate, a case or normalisation collision, or a path
 * through a file or link is refused before anything touches the disk. Each parent directory is also
 * checked on disk without following links; files are created with {@code CREATE_NEW} and {@code
 * NOFOLLOW_LINKS}; hard links become copies. Counts entries and the bytes really written.
 *
 * <p>One instance per extraction; not thread-safe.
 */
final class TreeWriter {
  private enum Kind { DIRECTORY, FILE, SYMLINK }

  private record Node(String name, Kind kind, int mode) {}

  private static final int BUFFER_SIZE = 64 * 1024;

  private final Path root;
  private final Path realRoot;
  private final boolean posix;
  private final EntryNames names;
  private final int maxEntries;
  private final long maxTotalBytes;
  private final FileListener listener;
  private final Map<String, Node> nodes = new HashMap<>();
  private final List<String> symlinks = new ArrayList<>();
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private int entries;
  private long totalBytes;

  TreeWriter(Path root, EntryNames names, int maxEntries, long maxTotalBytes,
      FileListener listener) throws IOException {
    this.root = root;
    this.listener = listener;
    this.realRoot = root.toRealPath();
    this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    this.names = names;
    this.maxEntries = maxEntries;
    this.maxTotalBytes = maxTotalBytes;
  }

  EntryNames names() {
    return names;
  }

  /** Counts one more entry of the archive; refuses the archive past {@code maxEntries}. */
  void countEntry(String rawName) throws RejectedArchiveException {
    if (++entries > maxEntries) {
      throw Rejections.archive("the archive has more than " + maxEntries
          + " entries (maxEntries; the next is '" + Rejections.printable(rawName) + "')",
          "raise maxEntries if this release really is that large");
    }
  }

  /** A directory entry. The same directory named twice is harmless and accepted. */
  void directory(String rawName, String name, int mode) throws IOException {
    if (name.equals(EntryNames.ROOT)) {
      return;
    }
    Node existing = nodes.get(EntryNames.collisionKey(name));
    if (existing != null && existing.kind == Kind.DIRECTORY && existing.name.equals(name)) {
      setMode(root.resolve(name), Modes.directory(mode));
      return;
    }
    Path path = claim(rawName, name, Kind.DIRECTORY, mode);
    Files.createDirectory(path);
    setMode(path, Modes.directory(mode));
  }

  /**
   * A regular file whose bytes are read from {@code content} until its end; {@code declaredSize}
   * is the size its archive declares, or -1. The listener hears of the declared size before the
   * file is created and of each chunk before it is written, so it can stop the extraction first.
   */
  void file(String rawName, String name, int mode, InputStream content, long declaredSize)
      throws IOException {
    if (declaredSize > maxTotalBytes - totalBytes) {
      throw tooManyBytes(rawName);
    }
    listener.writing(name, 0, declaredSize);
    Path path = claim(rawName, name, Kind.FILE, mode);
    try (OutputStream out = create(path)) {
      int n;
      while ((n = content.read(buffer)) != -1) {
        if (n > maxTotalBytes - totalBytes) {
          throw tooManyBytes(rawName);
        }
        listener.writing(name, n, declaredSize);
        out.write(buffer, 0, n);
        totalBytes += n;
      }
    }
    setMode(path, Modes.file(mode));
    listener.written(name, path);
    FaultPoints.hit("mid-extract"); // a crash test kills here with the tree half written
  }

  /**
   * A hard link: accepted only to a regular file written earlier from this archive, and written as
   * a copy of it (no hard link is ever created).
   */
  void hardLink(String rawName, String name, String rawTarget) throws IOException {
    String targetName = names.hardLinkTarget(rawName, rawTarget);
    Node source = nodes.get(EntryNames.collisionKey(targetName));
    if (source == null || !source.name.equals(targetName) || source.kind != Kind.FILE) {
      String what = source == null || !source.name.equals(targetName)
          ? "does not name a regular file earlier in the archive"
          : source.kind == Kind.SYMLINK ? "is a symbolic link" : "is a directory";
      throw Rejections.entry(rawName, "is a hard link to '" + Rejections.printable(rawTarget)
          + "' which " + what + " (hard links may only repeat an earlier regular file)");
    }
    Path copy = root.resolve(targetName);
    try (InputStream in = Files.newInputStream(copy, LinkOption.NOFOLLOW_LINKS)) {
      file(rawName, name, source.mode, in, Files.size(copy));
    }
  }

  /** A symbolic link with a relative target that stays inside the release. */
  void symlink(String rawName, String name, String target) throws IOException {
    names.symlinkTarget(rawName, name, target);
    Path path = claim(rawName, name, Kind.SYMLINK, 0);
    Files.createSymbolicLink(path, path.getFileSystem().getPath(target));
    symlinks.add(name);
  }

  /**
   * Checks, once every entry is written, that each symbolic link resolves to an existing path
   * inside the release (so neither a dangling link nor a chain of links leads out of it).
   */
  void finish() throws IOException {
    for (String name : symlinks) {
      Path real;
      try {
        real = root.resolve(name).toRealPath();
      } catch (NoSuchFileException e) {
        throw Rejections.entry(name, "is a symbolic link to '" + readLink(name)
            + "' which does not exist in the release (a dangling link)");
      } catch (FileSystemException e) {
        throw Rejections.entry(name, "is a symbolic link to '" + readLink(name)
            + "' which cannot be resolved (a link loop?): " + e.getMessage());
      }
      if (!real.startsWith(realRoot)) {
        throw Rejections.entry(name, "is a symbolic link to '" + readLink(name)
            + "' which resolves outside the release directory (through another link)");
      }
    }
  }

  /** The cap on bytes written. */
  long maxTotalBytes() {
    return maxTotalBytes;
  }

  /** Bytes written so far. */
  long totalBytes() {
    return totalBytes;
  }

  RejectedArchiveException tooManyBytes(String rawName) {
    return Rejections.archive("the archive expands to more than " + maxTotalBytes
        + " bytes (maxTotalBytes; reached while writing '" + Rejections.printable(rawName) + "')",
        "raise maxTotalBytes if this release really is that large");
  }

  /**
   * Registers {@code name} as a new path of {@code kind}: its parents must be directories of this
   * archive (created here when implicit, never links) and the name itself must be new, also
   * ignoring case and Unicode normalisation. Returns the path to create.
   */
  private Path claim(String rawName, String name, Kind kind, int mode) throws IOException {
    if (name.equals(EntryNames.ROOT)) {
      throw Rejections.entry(rawName, "names the release directory itself but is not a directory");
    }
    String[] segments = name.split("/");
    StringBuilder prefix = new StringBuilder(name.length());
    for (int i = 0; i < segments.length - 1; i++) {
      if (i > 0) {
        prefix.append('/');
      }
      prefix.append(segments[i]);
      parentDirectory(rawName, prefix.toString());
    }
    String key = EntryNames.collisionKey(name);
    Node existing = nodes.get(key);
    if (existing != null) {
      throw existing.name.equals(name)
          ? Rejections.entry(rawName, "appears twice (a duplicate " + describe(existing.kind)
              + "; entries are never overwritten)")
          : Rejections.entry(rawName, "collides with the entry '" + Rejections.printable(existing.name)
              + "' (the names differ only in case or Unicode normalisation)");
    }
    nodes.put(key, new Node(name, kind, mode));
    return root.resolve(name);
  }

  private void parentDirectory(String rawName, String prefix) throws IOException {
    String key = EntryNames.collisionKey(prefix);
    Node node = nodes.get(key);
    if (node != null && !node.name.equals(prefix)) {
      throw Rejections.entry(rawName, "has the parent '" + Rejections.printable(prefix)
          + "' which collides with the entry '" + Rejections.printable(node.name)
          + "' (the names differ only in case or Unicode normalisation)");
    }
    if (node != null && node.kind == Kind.SYMLINK) {
      throw Rejections.entry(rawName, "goes through the symbolic link '"
          + Rejections.printable(prefix) + "' (nothing is written through a link)");
    }
    if (node != null && node.kind == Kind.FILE) {
      throw Rejections.entry(rawName, "needs '" + Rejections.printable(prefix)
          + "' to be a directory but it is a file of the archive");
    }
    Path dir = root.resolve(prefix);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      Files.createDirectory(dir);
      setMode(dir, Modes.DEFAULT_DIRECTORY);
      nodes.put(key, new Node(prefix, Kind.DIRECTORY, Modes.DEFAULT_DIRECTORY));
      return;
    }
    if (attrs.isSymbolicLink() || !attrs.isDirectory()) {
      throw Rejections.entry(rawName, "goes through '" + Rejections.printable(prefix)
          + "' which is not a plain directory on disk (nothing is written through a link)");
    }
    if (node == null) {
      nodes.put(key, new Node(prefix, Kind.DIRECTORY, Modes.DEFAULT_DIRECTORY));
    }
  }

  private static OutputStream create(Path path) throws IOException {
    return Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
  }

  private void setMode(Path path, int mode) throws IOException {
    if (posix) {
      Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(Modes.permissions(mode));
    }
  }

  private String readLink(String name) {
    try {
      return Rejections.printable(Files.readSymbolicLink(root.resolve(name)).toString());
    } catch (IOException e) {
      return "?";
    }
  }

  private static String describe(Kind kind) {
    return switch (kind) {
      case DIRECTORY -> "directory";
      case SYMLINK -> "symbolic link";
      case FILE -> "file";
    };
  }
}
