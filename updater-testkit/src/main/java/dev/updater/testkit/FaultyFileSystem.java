package dev.updater.testkit;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A file system for tests that wraps another one and injects the faults of a real disk: a
 * limited free space ({@link #limitSpace}: writes past it fail with "No space left on device",
 * and the file store reports what is left) and a power cut at any write ({@link
 * #cutPowerAtWrite}), after which {@link #afterPowerCut} gives the tree a machine would find on
 * its disk when it boots again.
 *
 * <p><b>The power-loss model.</b> Every call that changes the tree counts as one write: each
 * write to a file channel, creating, renaming, copying or deleting an entry, creating a link,
 * and changing permissions. A power cut fails the chosen write and every call after it. What
 * survives is only what was forced:
 * <ul>
 *   <li>a file's bytes as they were at its last {@code FileChannel.force} (a file whose entry
 *       survives but whose bytes were never forced comes back empty, as a freshly written file
 *       does on ext4 with delayed allocation when its directory was committed first);
 *   <li>a directory's entries (names, and the files, directories and links they name) as they
 *       were at its last {@code fsync}, which is {@code FileChannel.open(dir, READ).force(true)};
 *       an entry created, renamed or deleted since is undone.
 * </ul>
 * This is the POSIX contract, stricter than ext4's default {@code data=ordered} mode: there, a
 * commit of the journal (every few seconds, or at any {@code fsync}) makes all earlier entry
 * changes durable at once, and writes data before the metadata that points at it. Code that
 * survives every cut of this model survives ext4, XFS and btrfs; an {@code fsync} this model
 * shows to be unneeded is unneeded on them too. Hard links come back as separate copies, and
 * times are not kept. Power cuts need a delegate whose file keys are never reused, such as the
 * in-memory one of {@link #inMemory()}.
 *
 * <pre>{@code
 * try (FaultyFileSystem disk = FaultyFileSystem.inMemory()) {
 *   Path home = Files.createDirectories(disk.path("/opt/app"));
 *   disk.markDurable();
 *   disk.cutPowerAtWrite(12);
 *   assertThatThrownBy(() -> updater(home).install(release)).isNotNull();
 *   try (FaultyFileSystem rebooted = disk.afterPowerCut()) {
 *     updater(rebooted.path("/opt/app")).recover();
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FaultyFileSystem implements Closeable {
  /** The failure of every call from the write where the power was cut on. */
  public static final class PowerCutException extends IOException {
    private static final long serialVersionUID = 1L;

    PowerCutException(String message) {
      super(message);
    }
  }

  private enum Kind { FILE, DIRECTORY, LINK }

  private record Entry(Kind kind, Object key, String target) {}

  private final FaultyFs fs;
  private final FileSystem delegate;
  private final Map<Object, Map<String, Entry>> directories = new HashMap<>();
  private final Map<Object, byte[]> data = new HashMap<>();
  private final Map<Object, Set<PosixFilePermission>> modes = new HashMap<>();
  private final List<String> forces = new ArrayList<>();
  private final List<String> writeLog = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private java.util.function.Predicate<String> forgotten = path -> false;
  private long capacity = -1;
  private long writes;
  private long cutAt = Long.MAX_VALUE;
  private volatile String cut;

  private FaultyFileSystem(FileSystem delegate) {
    this.delegate = delegate;
    this.fs = new FaultyFs(delegate, this);
  }

  /** A faulty file system over a fresh in-memory Unix file system, all of it durable. */
  public static FaultyFileSystem inMemory() {
    FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setAttributeViews("basic", "owner", "posix", "unix").build());
    FaultyFileSystem disk = new FaultyFileSystem(jimfs);
    disk.markDurable();
    return disk;
  }

  /**
   * A faulty file system over {@code delegate} (the real disk's, to limit its space; an
   * in-memory one, to cut its power). Closing it closes the delegate, unless it is the default.
   */
  public static FaultyFileSystem over(FileSystem delegate) {
    return new FaultyFileSystem(delegate);
  }

  /** The file system to hand to the code under test. */
  public FileSystem fileSystem() {
    return fs;
  }

  /** A path of this file system. */
  public Path path(String first, String... more) {
    return fs.getPath(first, more);
  }

  /**
   * Limits the space of this file system to {@code bytes} in all (the files it holds count
   * against it): its file stores report what is left, and a write past it fails with "No space
   * left on device", as a full disk does.
   */
  public synchronized FaultyFileSystem limitSpace(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
    }
    this.capacity = bytes;
    return this;
  }

  /** How many writes were made so far. */
  public synchronized long writes() {
    return writes;
  }

  /**
   * Makes the forces of the paths {@code paths} accepts do nothing for durability, as if the code
   * under test had not called them: to show that a power cut then loses something, that is,
   * that the force is needed.
   */
  public synchronized FaultyFileSystem forgetForces(java.util.function.Predicate<String> paths) {
    this.forgotten = java.util.Objects.requireNonNull(paths, "paths");
    return this;
  }

  /** Every write made so far, in order: what it did and where, such as {@code "rename /a/b"}. */
  public synchronized List<String> writeLog() {
    return List.copyOf(writeLog);
  }

  /**
   * The writes and forces so far, in the order they happened: {@code "write: <what> <path>"} and
   * {@code "force: file <path>"} or {@code "force: directory <path>"}. Every power cut between
   * two forces leaves the same tree, so one cut per stretch between forces covers them all.
   */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** Cuts the power at the {@code n}-th write from now ({@code n} >= 1). */
  public synchronized void cutPowerAtWrite(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    cutAt = writes + n;
  }

  /** The write at which the power was cut, if it was. */
  public java.util.Optional<String> powerCut() {
    return java.util.Optional.ofNullable(cut);
  }

  /** What was forced so far, in order: {@code "file <path>"} or {@code "directory <path>"}. */
  public synchronized List<String> forces() {
    return List.copyOf(forces);
  }

  /** Takes the whole tree as it is now as durable, as if every file and directory were forced. */
  public synchronized void markDurable() {
    try (Stream<Path> all = Files.walk(root())) {
      for (Path p : (Iterable<Path>) all::iterator) {
        BasicFileAttributes a = attributes(p);
        if (a.isDirectory()) {
          recordDirectory(p);
        } else if (a.isRegularFile()) {
          recordFile(p);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the tree to mark it durable", e);
    }
  }

  /**
   * The tree a machine finds on its disk after the power cut (or, without one, after a power
   * loss now): a new in-memory faulty file system holding only what was durable, all of it
   * durable again.
   */
  public synchronized FaultyFileSystem afterPowerCut() throws IOException {
    if (delegate == FileSystems.getDefault()) {
      throw new IllegalStateException("a power cut needs an in-memory delegate (file keys of the"
          + " real disk are reused); use FaultyFileSystem.inMemory()");
    }
    FaultyFileSystem next = inMemory();
    Path root = root();
    restore(attributes(root).fileKey(), next.delegate.getPath("/"), new HashSet<>());
    next.markDurable();
    return next;
  }

  @Override public void close() throws IOException {
    if (delegate != FileSystems.getDefault()) {
      delegate.close();
    }
  }

  // ---- called by the provider and channels ----

  /** Fails when the power is cut. */
  void check() throws IOException {
    String at = cut;
    if (at != null) {
      throw new PowerCutException("the power was cut (at " + at + ")");
    }
  }

  /** Counts one write; cuts the power when it is the chosen one. */
  synchronized void beforeWrite(String what, Path path) throws IOException {
    check();
    writes++;
    writeLog.add(what + " " + path);
    events.add("write: " + what + " " + path);
    if (writes >= cutAt) {
      cut = "write " + writes + ": " + what + " " + path;
      check();
    }
  }

  /** Fails a write of {@code bytes} that would pass the space limit. */
  void reserve(Path path, long bytes) throws IOException {
    long limit;
    synchronized (this) {
      limit = capacity;
    }
    if (limit >= 0 && used() + bytes > limit) {
      throw new FileSystemException(path.toString(), null, "No space left on device");
    }
  }

  synchronized void forced(Path file) throws IOException {
    check();
    if (!forgotten.test(file.toString())) {
      recordFile(file);
      forces.add("file " + file);
      events.add("force: file " + file);
    }
  }

  synchronized void forcedDirectory(Path dir) throws IOException {
    check();
    if (!forgotten.test(dir.toString())) {
      recordDirectory(dir);
      forces.add("directory " + dir);
      events.add("force: directory " + dir);
    }
  }

  long totalSpace(FileStore store) throws IOException {
    long limit;
    synchronized (this) {
      limit = capacity;
    }
    return limit >= 0 ? limit : store.getTotalSpace();
  }

  long usableSpace(FileStore store) throws IOException {
    long limit;
    synchronized (this) {
      limit = capacity;
    }
    return limit >= 0 ? Math.max(0, limit - used()) : store.getUsableSpace();
  }

  // ---- the durable image ----

  private Path root() {
    return delegate.getRootDirectories().iterator().next();
  }

  private static BasicFileAttributes attributes(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  private void recordFile(Path file) throws IOException {
    Object key = attributes(file).fileKey();
    data.put(key, Files.readAllBytes(file));
    recordMode(file, key);
  }

  private void recordDirectory(Path dir) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        BasicFileAttributes a = attributes(child);
        Kind kind = a.isDirectory() ? Kind.DIRECTORY : a.isSymbolicLink() ? Kind.LINK : Kind.FILE;
        String target = kind == Kind.LINK ? Files.readSymbolicLink(child).toString() : null;
        entries.put(child.getFileName().toString(), new Entry(kind, a.fileKey(), target));
        recordMode(child, a.fileKey());
      }
    }
    directories.put(attributes(dir).fileKey(), entries);
  }

  private void recordMode(Path p, Object key) throws IOException {
    if (!Files.isSymbolicLink(p) && delegate.supportedFileAttributeViews().contains("posix")) {
      modes.put(key, Files.readAttributes(p, PosixFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).permissions());
    }
  }

  private void restore(Object dirKey, Path into, Set<Object> path) throws IOException {
    if (!path.add(dirKey)) {
      return; // a directory renamed into itself across two unsynced directories: cut the loop
    }
    for (Map.Entry<String, Entry> e : directories.getOrDefault(dirKey, Map.of()).entrySet()) {
      Entry entry = e.getValue();
      Path target = into.resolve(e.getKey());
      switch (entry.kind()) {
        case DIRECTORY -> {
          if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(target); // the in-memory root has its working directory already
          }
          restore(entry.key(), target, path);
        }
        case FILE -> Files.write(target, data.getOrDefault(entry.key(), new byte[0]));
        case LINK -> Files.createSymbolicLink(target, target.getFileSystem()
            .getPath(entry.target()));
      }
      Set<PosixFilePermission> mode = modes.get(entry.key());
      if (mode != null && entry.kind() != Kind.LINK) {
        Files.setPosixFilePermissions(target, mode);
      }
    }
    path.remove(dirKey);
  }

  private long used() throws IOException {
    long total = 0;
    Set<Object> seen = new HashSet<>();
    try (Stream<Path> all = Files.walk(root())) {
      for (Path p : (Iterable<Path>) all::iterator) {
        BasicFileAttributes a;
        try {
          a = attributes(p);
        } catch (java.nio.file.NoSuchFileException gone) {
          continue;
        }
        if (a.isRegularFile() && seen.add(a.fileKey())) {
          total += a.size();
        }
      }
    } catch (java.io.UncheckedIOException e) {
      return total; // the tree changed while it was walked: close enough for a free-space figure
    }
    return total;
  }
}
