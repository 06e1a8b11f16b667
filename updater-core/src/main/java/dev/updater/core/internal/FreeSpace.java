package dev.updater.core.internal;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The free space an install may use. The file systems that hold the live release, its shared data
 * and the install's state (the <em>live</em> file systems) keep a reserve: the larger of the
 * configured minimum and a fraction of the file system's size, so the running application can
 * still write while an update is staged. Before anything is written, {@link #require} refuses an
 * install whose bytes plus the reserve do not fit; while bytes are written, a {@link Watch} stops
 * the write before a live file system falls under its reserve. Not API.
 *
 * <p>Thread-safe: reads its configuration only; a {@link Watch} may be shared by the threads
 * that write one install's files.
 */
final class FreeSpace {
  /** How many bytes a watch lets through between two looks at the free space. */
  static final long CHECK_EVERY = 4L * 1024 * 1024;

  /** Bytes an install will write into the file system holding {@code where}, and what they are. */
  record Need(Path where, long bytes, String what) {}

  private final UpdaterConfig config;
  private final Layout layout;

  FreeSpace(UpdaterConfig config) {
    this.config = config;
    this.layout = config.layout();
  }

  /**
   * Refuses the install of {@code version} unless each file system has room for what {@code
   * needs} will write into it, plus the reserve on a live file system.
   *
   * @throws UpdateException {@code INSUFFICIENT_SPACE} saying how much is needed, where and what
   *     for; {@code IO_ERROR} when a file system cannot be inspected
   */
  void require(Version version, Step step, List<Need> needs) {
    try {
      Map<FileStore, List<Need>> byStore = new LinkedHashMap<>();
      for (Need need : needs) {
        byStore.computeIfAbsent(store(need.where()), s -> new ArrayList<>()).add(need);
      }
      List<FileStore> live = liveStores();
      for (Map.Entry<FileStore, List<Need>> e : byStore.entrySet()) {
        FileStore store = e.getKey();
        long reserve = live.contains(store) ? reserve(store) : 0;
        long total = reserve;
        StringBuilder parts = new StringBuilder();
        for (Need need : e.getValue()) {
          total = saturatedAdd(total, need.bytes());
          parts.append(megabytes(need.bytes())).append(' ').append(need.what()).append(" + ");
        }
        long usable = store.getUsableSpace();
        if (usable < total) {
          throw new UpdateException(Reason.INSUFFICIENT_SPACE, step, "the install of " + version
              + " needs " + megabytes(total) + " free on the file system of "
              + e.getValue().get(0).where() + " (" + parts + megabytes(reserve)
              + " kept in reserve for the running application) but only " + megabytes(usable)
              + " is available; nothing was downloaded or written. Free some space, or lower the"
              + " reserve with Updater.Builder.freeSpace and freeSpaceReserve", null);
        }
      }
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, step, "cannot read the free space of "
          + layout.home() + ": " + Failures.describe(e), e);
    }
  }

  /**
   * A watch over writes into the file system holding {@code target}, for {@code version}'s
   * {@code step}, which will write about {@code expected} bytes ({@link Long#MAX_VALUE} when
   * unknown): it never asks for room for more than that.
   */
  Watch watch(Version version, Step step, Path target, long expected) {
    try {
      FileStore store = store(target);
      long reserve = liveStores().contains(store) ? reserve(store) : 0;
      return new Watch(store, reserve, version, step, target, expected);
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, step, "cannot read the free space of " + target
          + ": " + Failures.describe(e), e);
    }
  }

  /** The reserve kept free on {@code store} when it holds the live release or its data. */
  long reserve(FileStore store) throws IOException {
    double fraction = config.freeSpaceReserve() * store.getTotalSpace();
    return Math.max(config.minFreeBytes(), (long) Math.min(Long.MAX_VALUE, fraction));
  }

  private List<FileStore> liveStores() throws IOException {
    List<FileStore> stores = new ArrayList<>();
    for (Path p : List.of(layout.home(), layout.releases(), layout.shared(), layout.state())) {
      FileStore s = store(p);
      if (!stores.contains(s)) {
        stores.add(s);
      }
    }
    return stores;
  }

  /** The file store of {@code path}, or of its nearest existing ancestor. */
  static FileStore store(Path path) throws IOException {
    Path p = path.toAbsolutePath();
    while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IOException(path + " has no existing ancestor");
    }
    return Files.getFileStore(p);
  }

  static String megabytes(long bytes) {
    return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /**
   * Watches a stream of writes into one file system: {@link #ahead} before a write of a known
   * size, {@link #wrote} as bytes go out. Looks at the free space every {@link #CHECK_EVERY} bytes
   * and stops the write (before it happens) when the file system would fall under its reserve
   * before the next look. Thread-safe: the threads that fetch a delta install's files share one.
   */
  static final class Watch {
    private final FileStore store;
    private final long reserve;
    private final Version version;
    private final Step step;
    private final Path target;
    private final long expected;
    private long written;
    private long unchecked = Long.MAX_VALUE; // look at once on the first write

    Watch(FileStore store, long reserve, Version version, Step step, Path target, long expected) {
      this.store = store;
      this.reserve = reserve;
      this.version = version;
      this.step = step;
      this.target = target;
      this.expected = expected;
    }

    /** {@code bytes} are about to be written: refuses them unless they fit above the reserve. */
    synchronized void ahead(long bytes) throws IOException {
      if (bytes > 0) {
        check(bytes);
      }
    }

    /** {@code bytes} are about to be written; looks at the free space every few megabytes. */
    synchronized void wrote(long bytes) throws IOException {
      if (unchecked >= CHECK_EVERY) {
        // room until the next look, but never more than is left to write
        check(Math.max(bytes, Math.min(CHECK_EVERY + bytes, expected - written)));
        unchecked = 0;
      }
      unchecked += bytes;
      written += bytes;
    }

    private void check(long next) throws IOException {
      long usable = store.getUsableSpace();
      if (usable - next < reserve) {
        throw new UpdateException(Reason.INSUFFICIENT_SPACE, step, step + " of " + version
            + " was stopped: writing " + megabytes(next) + " more into " + target + " would leave"
            + " less than the " + megabytes(reserve) + " kept free for the running application ("
            + megabytes(usable) + " is free); what was written was removed and the live release"
            + " is untouched. Free some space and try again", null);
      }
    }
  }
}
