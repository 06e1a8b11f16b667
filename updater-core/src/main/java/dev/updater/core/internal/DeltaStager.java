package dev.updater.core.internal;

import dev.updater.core.internal.archive.Modes;
import dev.updater.core.internal.archive.SafeExtractor;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.io.WorkerPools;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stages a release tree from its manifest instead of its archive: a file whose content the live
 * release already has (same SHA-256, under any path) is hard-linked from it, or copied where a
 * hard link is impossible, where its mode differs, or when asked to copy ({@link Reuse#COPY}: a
 * staging hook may write into the tree); only the other files are fetched from the source's
 * objects, a few at a time, each checked for size and SHA-256 while it streams in, or rebuilt
 * from their chunks ({@link ChunkRebuilder}) when the manifest lists them. Not API.
 *
 * <p>Files of the live release are only ever read or linked, never opened for writing or
 * re-moded: a hard link shares the live file's inode, so anything written to it would change the
 * live release. Any failure is thrown, and the caller discards the staging directory and installs
 * from the archive instead.
 *
 * <p>One instance per install; not thread-safe (it runs its own small pool).
 */
public final class DeltaStager {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaStager.class);
  /** Chunks are small: more are fetched at once than whole files, to keep the link busy. */
  private static final int CHUNK_FETCH_THREADS = 8;
  private static final int COPY_BUFFER = 64 * 1024;

  /** How a file whose content the live release already has is written. */
  enum Reuse {
    /** Hard-linked from the live release where possible. */
    LINK,
    /** Always copied: a staging hook may write into the tree. */
    COPY
  }

  /** Receives the bytes fetched so far and the total to fetch, on the staging thread. */
  interface ProgressSink {
    void progress(long done, long total);
  }

  /**
   * What a delta stage did: the files verified as written (path to SHA-256), the files
   * hard-linked from the live release (path to the file key of the live file, whose data was
   * forced to disk when that release was installed), and the counts for the log.
   */
  record Result(Map<String, String> digests, Map<String, Object> linkedFiles, int copied,
      int fetched, long fetchedBytes) {
    /** How many files were hard-linked. */
    int linked() {
      return linkedFiles.size();
    }
  }

  /** One file to write from the live release: linked when {@code link}, else copied. */
  private record Job(Entry entry, LiveTree.LiveFile live, boolean link) {}

  private final Release release;
  private final FileManifest manifest;
  private final Path liveDir;
  private final int threads;
  private final ObjectFetcher objects;
  private final ChunkRebuilder chunks;
  private final List<Job> reuse = new ArrayList<>();
  private final Map<String, List<Entry>> fetch = new LinkedHashMap<>();
  private final List<Entry> rebuild = new ArrayList<>();
  private long fetchBytes;
  private long wholeBytes;

  /** Told of each file written and checked, on the staging thread. */
  interface Written {
    void written(Entry e) throws IOException;
  }

  /**
   * Plans the stage of {@code manifest} against the live release in {@code liveDir}, described by
   * {@code liveManifest} (the manifest it was verified against when it was installed) and the
   * {@code stamps} its files had then ({@link LiveTree}). Reads the live tree's metadata only
   * (its files' contents too where no stamps were kept). With {@code compressed} (a format-3
   * manifest), objects are fetched compressed, and a changed file that lists chunks is rebuilt
   * from them when the live release holds at least a quarter of its bytes. Objects that {@code
   * packs} hold are read from them.
   */
  DeltaStager(ReleaseSource source, Release release, FileManifest manifest, Path liveDir,
      FileManifest liveManifest, Optional<Map<String, FileStamps.Stamp>> stamps, Reuse reuseAs,
      int threads, boolean compressed, PackReader packs) throws IOException {
    this.release = release;
    this.manifest = manifest;
    this.liveDir = liveDir;
    this.threads = threads;
    this.objects = new ObjectFetcher(source, release, compressed, packs);
    LiveTree live = LiveTree.scan(liveDir, liveManifest, stamps, manifest, threads);
    this.chunks = new ChunkRebuilder(objects, compressed ? live.chunks() : Map.of(),
        Math.max(threads, CHUNK_FETCH_THREADS));
    Set<String> counted = new HashSet<>();
    for (Entry e : manifest.entries()) {
      if (e.type() != Type.FILE) {
        continue;
      }
      LiveTree.LiveFile held = live.get(e.sha256());
      if (held != null) {
        boolean sameMode = held.entry().mode() == e.mode() && held.mode() == e.mode();
        reuse.add(new Job(e, held, sameMode && reuseAs == Reuse.LINK));
      } else {
        if (!fetch.containsKey(e.sha256())) {
          plan(e, compressed, counted);
        }
        fetch.computeIfAbsent(e.sha256(), k -> new ArrayList<>()).add(e);
      }
    }
  }

  /** Plans the fetch of a content the live release lacks: rebuilt from chunks, or whole. */
  private void plan(Entry e, boolean compressed, Set<String> counted) {
    if (compressed && ChunkRebuilder.rebuildable(e)) {
      long missing = chunks.missingBytes(e, new HashSet<>(counted));
      if (missing <= e.size() - e.size() / 4) {
        fetchBytes += chunks.missingBytes(e, counted);
        rebuild.add(e);
        return;
      }
    }
    fetchBytes += e.size();
    wholeBytes += e.size();
  }

  /** The bytes the objects to fetch hold. */
  long bytesToFetch() {
    return fetchBytes;
  }

  /**
   * The bytes the stage writes: every file fetched whole or rebuilt from chunks (at its full size,
   * however few chunks are fetched for it), each copy of one, and each unchanged file copied
   * rather than linked. Links take no space.
   */
  long bytesToWrite() {
    long bytes = 0;
    for (List<Entry> same : fetch.values()) {
      for (Entry e : same) {
        bytes += e.size();
      }
    }
    for (Job job : reuse) {
      bytes += job.link ? 0 : job.entry.size();
    }
    return bytes;
  }

  /**
   * Writes the tree into {@code target}, an existing empty directory, telling {@code space} of
   * every write of a fetched, rebuilt or copied file before it happens.
   *
   * @throws dev.updater.core.UpdateException {@code INSUFFICIENT_SPACE} when {@code space} stops
   *     a write: the disk filled since the install's gate counted its bytes
   * @throws VerificationException when an object has another size or SHA-256 than listed
   * @throws java.nio.file.NoSuchFileException when the source lacks an object
   * @throws InterruptedIOException when the thread is interrupted
   * @throws IOException when reading or writing fails
   */
  Result stage(Path target, ProgressSink sink, FreeSpace.Watch space) throws IOException {
    SafeExtractor.checkTarget(target);
    boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
    for (Entry e : manifest.entries()) {
      if (e.type() == Type.DIRECTORY) {
        Path dir = resolve(target, e.path());
        Files.createDirectory(dir);
        setMode(dir, e.mode(), posix);
      }
    }
    Map<String, String> digests = new ConcurrentHashMap<>();
    Map<String, Object> linked = new ConcurrentHashMap<>();
    writeReused(target, posix, digests, linked, space);
    FaultPoints.hit("mid-delta"); // a crash test kills here with the live files linked
    fetchAll(target, posix, digests, sink, space);
    ChunkRebuilder.Counts rebuilt = chunks.rebuild(rebuild, target, e -> {
      setMode(resolve(target, e.path()), e.mode(), posix);
      digests.put(e.path(), e.sha256());
    }, sink, wholeBytes, fetchBytes, space);
    for (List<Entry> same : fetch.values()) {
      Path first = resolve(target, same.get(0).path());
      for (Entry e : same.subList(1, same.size())) {
        Path path = resolve(target, e.path());
        copy(first, path, space);
        setMode(path, e.mode(), posix);
        digests.put(e.path(), e.sha256());
      }
    }
    ManifestLinks.create(target, manifest, release.version());
    Result result = new Result(digests, linked, reuse.size() - linked.size(), fetch.size(),
        fetchBytes);
    LOG.info("Delta-staged {}: {} file(s) linked, {} copied from {}, {} file(s) fetched whole, "
        + "{} rebuilt from chunks ({} bytes reused, {} fetched), {} fetched whole after a failed "
        + "rebuild", release.version(), result.linked(), result.copied(), liveDir,
        fetch.size() - rebuild.size(), rebuilt.rebuilt(), rebuilt.reusedBytes(),
        rebuilt.fetchedBytes(), rebuilt.wholeAfterFailure());
    return result;
  }

  /**
   * Links or copies the files the live release holds into {@code target}, on several threads
   * (each link is a metadata write the file system can do beside the others).
   */
  private void writeReused(Path target, boolean posix, Map<String, String> digests,
      Map<String, Object> linked, FreeSpace.Watch space) throws IOException {
    AtomicBoolean links = new AtomicBoolean(true);
    WorkerPools.forEach("updater-delta-link", threads, reuse, (i, job) -> {
      Path path = resolve(target, job.entry.path());
      boolean madeLink = false;
      if (job.link && links.get()) {
        try {
          Files.createLink(path, job.live.path());
          madeLink = true;
        } catch (UnsupportedOperationException | FileSystemException e) {
          if (links.getAndSet(false)) {
            LOG.info("Cannot hard-link from the live release ({}); copying unchanged files "
                + "instead", e.toString());
          }
        }
      }
      if (madeLink) {
        linked.put(job.entry.path(), job.live.fileKey());
      } else {
        copy(job.live.path(), path, space);
        setMode(path, job.entry.mode(), posix);
      }
      digests.put(job.entry.path(), job.entry.sha256());
    });
  }

  private void fetchAll(Path target, boolean posix, Map<String, String> digests,
      ProgressSink sink, FreeSpace.Watch space) throws IOException {
    sink.progress(0, fetchBytes);
    Set<Entry> rebuilt = new HashSet<>(rebuild);
    List<Entry> whole = fetch.values().stream().map(same -> same.get(0))
        .filter(e -> !rebuilt.contains(e)).toList();
    objects.expect(whole, chunks.wants(rebuild)); // read from packs, if any
    if (whole.isEmpty()) {
      return;
    }
    ExecutorService pool = WorkerPools.fixed("updater-delta-fetch",
        Math.min(threads, whole.size()));
    CompletionService<Entry> completion = new ExecutorCompletionService<>(pool);
    try {
      for (Entry e : whole) {
        completion.submit(() -> {
          Path path = resolve(target, e.path());
          objects.fetchFile(e, path, space);
          setMode(path, e.mode(), posix);
          return e;
        });
      }
      long done = 0;
      for (int i = 0; i < whole.size(); i++) {
        Entry e = completion.take().get();
        digests.put(e.path(), e.sha256());
        done += e.size();
        sink.progress(done, fetchBytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching the files of "
          + release.version());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpdateException stopped) {
        throw stopped; // the free-space watch stopped a write: no fallback to the archive
      }
      throw WorkerPools.failure(e, "fetching a file of " + release.version());
    } finally {
      WorkerPools.stopAndWait(pool); // no fetch may still write into the tree about to be deleted
    }
  }

  /** Copies {@code from} to the new file {@code to}, telling {@code space} of each write. */
  private static void copy(Path from, Path to, FreeSpace.Watch space) throws IOException {
    byte[] buf = new byte[COPY_BUFFER];
    try (InputStream in = Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS);
        OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        space.wrote(n);
        out.write(buf, 0, n);
      }
    }
  }

  private static void setMode(Path path, int mode, boolean posix) throws IOException {
    if (posix) {
      Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(Modes.permissions(mode));
    }
  }

  /** Resolves a manifest path segment by segment. */
  public static Path resolve(Path root, String path) {
    Path p = root;
    for (String segment : path.split("/")) {
      p = p.resolve(segment);
    }
    return p;
  }
}
