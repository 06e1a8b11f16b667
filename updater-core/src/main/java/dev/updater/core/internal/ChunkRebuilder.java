package dev.updater.core.internal;

import dev.updater.core.internal.format.Chunking.Chunk;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.io.WorkerPools;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds changed files from their chunks: each chunk the live release holds (inside any of its
 * files, found by the chunk's SHA-256 in the live manifest) is copied from there, the others are
 * fetched, a window of them ahead on a few threads, checked for size and SHA-256. Every rebuilt
 * file is checked against the SHA-256 of the signed manifest; a file that cannot be rebuilt (a
 * chunk missing or wrong, a live file changed since it was installed) is fetched whole instead,
 * and a failure of that is thrown (the caller then installs from the archive). The bytes on disk
 * are exactly the published ones or the install does not use them. Not API.
 *
 * <p>One instance per install; not thread-safe (it runs its own small pool).
 */
final class ChunkRebuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkRebuilder.class);
  /** A chunk larger than this is never held in memory: its file is fetched whole. */
  static final long MAX_CHUNK_IN_MEMORY = 4L * 1024 * 1024;

  /** Where a chunk lies in a file of the live release. */
  record LiveChunk(Path file, long offset) {}

  /** What a rebuild did, for the log. */
  record Counts(int rebuilt, int wholeAfterFailure, long reusedBytes, long fetchedBytes) {}

  /** One chunk to write, in file order, and its fetch when the live release lacks it. */
  private record Piece(Entry file, Chunk chunk, LiveChunk live, Future<byte[]> fetch,
      boolean last) {}

  private final ObjectFetcher objects;
  private final Map<String, LiveChunk> live;
  private final int threads;

  ChunkRebuilder(ObjectFetcher objects, Map<String, LiveChunk> live, int threads) {
    this.objects = objects;
    this.live = live;
    this.threads = threads;
  }

  /** True when {@code e} can be rebuilt from chunks: it lists some, none too large to hold. */
  static boolean rebuildable(Entry e) {
    return !e.chunks().isEmpty()
        && e.chunks().stream().allMatch(c -> c.size() <= MAX_CHUNK_IN_MEMORY);
  }

  /** The bytes of {@code e}'s chunks that the live release lacks and {@code counted} does not. */
  long missingBytes(Entry e, Set<String> counted) {
    long bytes = 0;
    for (Chunk c : e.chunks()) {
      if (!live.containsKey(c.sha256()) && counted.add(c.sha256())) {
        bytes += c.size();
      }
    }
    return bytes;
  }

  /** The chunks of {@code files} the live release lacks, once per fetch, in fetch order. */
  List<PackReader.Want> wants(List<Entry> files) {
    List<PackReader.Want> wants = new ArrayList<>();
    for (Entry e : files) {
      for (Chunk c : e.chunks()) {
        if (!live.containsKey(c.sha256())) {
          wants.add(new PackReader.Want(c.sha256(), c.size()));
        }
      }
    }
    return wants;
  }

  /**
   * Writes each of {@code files} as a new file under {@code target}, in order, telling {@code
   * done} of each one written and checked, {@code progress} of the bytes fetched, and {@code
   * space} of each write before it happens (it stops the rebuild when the disk fills).
   */
  Counts rebuild(List<Entry> files, Path target, DeltaStager.Written done,
      DeltaStager.ProgressSink progress, long progressBase, long progressTotal,
      FreeSpace.Watch space) throws IOException {
    ExecutorService pool = WorkerPools.fixed("updater-delta-chunks", threads);
    Map<Path, FileChannel> channels = new HashMap<>();
    int rebuilt = 0;
    int whole = 0;
    long reused = 0;
    long fetched = 0;
    Rebuild current = null;
    try {
      ArrayDeque<Piece> window = new ArrayDeque<>();
      PieceSource pieces = new PieceSource(files);
      int ahead = threads * 8;
      while (pieces.fill(window, ahead, pool) || !window.isEmpty()) {
        Piece p = window.poll();
        if (current == null) {
          current = new Rebuild(p.file(), DeltaStager.resolve(target, p.file().path()), space);
        }
        if (current.failure == null) {
          try {
            byte[] bytes = p.fetch() == null ? readLive(p, channels) : p.fetch().get();
            current.write(bytes);
            if (p.fetch() == null) {
              reused += bytes.length;
            } else {
              fetched += bytes.length;
              progress.progress(progressBase + fetched, progressTotal);
            }
          } catch (ExecutionException e) {
            current.failure = e.getCause();
          } catch (IOException e) {
            current.failure = e;
          }
        }
        if (p.last()) {
          if (current.finish()) {
            rebuilt++;
          } else {
            whole++;
            objects.fetchFile(p.file(), current.path, space);
          }
          done.written(p.file());
          current = null;
        }
      }
      return new Counts(rebuilt, whole, reused, fetched);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while rebuilding the files of "
          + objects.release().version());
    } finally {
      WorkerPools.stopAndWait(pool);
      closeAll(channels.values());
      if (current != null) {
        current.abandon(); // stopped mid-file: its descriptor would keep the space in use
      }
    }
  }

  /** The pieces of the files in order, fetches submitted as the window moves on. */
  private final class PieceSource {
    private final List<Entry> files;
    private int file;
    private int chunk;

    PieceSource(List<Entry> files) {
      this.files = files;
    }

    /** Tops {@code window} up to {@code ahead} pieces; true when it added any. */
    boolean fill(ArrayDeque<Piece> window, int ahead, ExecutorService pool) {
      boolean added = false;
      while (window.size() < ahead && file < files.size()) {
        Entry e = files.get(file);
        Chunk c = e.chunks().get(chunk);
        LiveChunk at = live.get(c.sha256());
        Future<byte[]> fetch = at == null ? pool.submit(() -> objects.fetchChunk(c, e.path()))
            : null;
        boolean last = ++chunk == e.chunks().size();
        window.add(new Piece(e, c, at, fetch, last));
        if (last) {
          file++;
          chunk = 0;
        }
        added = true;
      }
      return added;
    }
  }

  /** One file being written: its stream, its running hash, and the first failure. */
  private final class Rebuild {
    private final Entry entry;
    private final Path path;
    private final FreeSpace.Watch space;
    private final MessageDigest digest = Downloader.sha256();
    private OutputStream out;
    private long written;
    private Throwable failure;

    Rebuild(Entry entry, Path path, FreeSpace.Watch space) {
      this.entry = entry;
      this.path = path;
      this.space = space;
    }

    void write(byte[] bytes) throws IOException {
      if (out == null) {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      }
      digest.update(bytes);
      space.wrote(bytes.length);
      out.write(bytes);
      written += bytes.length;
    }

    /** Closes the file after a failure that stops the rebuild; the caller deletes it. */
    void abandon() {
      if (out != null) {
        try {
          out.close();
        } catch (IOException ignored) {
          // the file is deleted with the staging directory
        }
      }
    }

    /** Closes the file; true when it is the listed bytes, else deletes it and logs why not. */
    boolean finish() throws IOException {
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure == null) {
        String sha = HexFormat.of().formatHex(digest.digest());
        if (written == entry.size() && sha.equals(entry.sha256())) {
          return true;
        }
        failure = new VerificationException("the file rebuilt from chunks is " + written
            + " bytes hashing to " + sha + ", not the listed " + entry.size() + " bytes, "
            + entry.sha256());
      }
      LOG.warn("Cannot rebuild '{}' of {} from chunks ({}); fetching it whole", entry.path(),
          objects.release().version(), failure.toString());
      Files.deleteIfExists(path);
      return false;
    }
  }

  /** The bytes of a chunk the live release holds, read from its file. */
  private static byte[] readLive(Piece p, Map<Path, FileChannel> channels) throws IOException {
    LiveChunk at = p.live();
    FileChannel channel = channels.get(at.file());
    if (channel == null) {
      if (channels.size() >= 16) {
        closeAll(channels.values());
        channels.clear();
      }
      channel = FileChannel.open(at.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      channels.put(at.file(), channel);
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) p.chunk().size());
    long position = at.offset();
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException(at.file() + " of the live release ended before byte "
            + (at.offset() + p.chunk().size()));
      }
    }
    return buffer.array();
  }

  private static void closeAll(Collection<FileChannel> channels) {
    for (FileChannel c : new ArrayList<>(channels)) {
      try {
        c.close();
      } catch (IOException ignored) {
        // read only: nothing is lost
      }
    }
  }
}
