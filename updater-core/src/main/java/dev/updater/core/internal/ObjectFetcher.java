package dev.updater.core.internal;

import dev.updater.core.Release;
import dev.updater.core.internal.format.Chunking;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.ObjectStreams;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Fetches the objects of one release's tree from its source, whole files and chunks of files,
 * compressed or not as the release's manifest says ({@link ObjectStreams}), each checked for size
 * and SHA-256 while it streams in. The objects announced with {@link #expect} are taken from the
 * packs of the release when they hold them ({@link PackReader}: a few range requests for many
 * objects), the others fetched one request each. Not API.
 *
 * <p>Thread-safe: called from the fetching threads of one install.
 */
final class ObjectFetcher {
  private static final int BUFFER = 64 * 1024;
  /** The most bytes of objects whose ranges are planned together (all may be held at once). */
  static final long MAX_PLANNED_TOGETHER = 64L * 1024 * 1024;

  private final ReleaseSource source;
  private final Release release;
  private final boolean compressed;
  private final PackReader packs;
  private volatile PackReader.Batch files;
  private volatile PackReader.Batch chunks;

  ObjectFetcher(ReleaseSource source, Release release, boolean compressed, PackReader packs) {
    this.source = source;
    this.release = release;
    this.compressed = compressed;
    this.packs = packs;
  }

  /**
   * Announces the objects about to be fetched: the files {@code whole} and the chunks {@code
   * chunkWants} (each once per fetch), so that those the packs hold are read from them: reads
   * the pack indexes it needs, and plans the ranges. When they hold more than {@link
   * #MAX_PLANNED_TOGETHER} bytes, the ranges of files and chunks are planned apart, so that the
   * chunks (taken later, a window at a time) are not all held in memory while the files are
   * fetched; together they take the fewest requests.
   */
  void expect(List<Entry> whole, List<PackReader.Want> chunkWants) throws InterruptedIOException {
    if (!compressed || whole.size() + chunkWants.size() == 0) {
      return;
    }
    List<PackReader.Want> fileWants = new ArrayList<>();
    whole.forEach(e -> fileWants.add(new PackReader.Want(e.sha256(), e.size())));
    long bytes = 0;
    for (PackReader.Want w : fileWants) {
      bytes += w.size();
    }
    for (PackReader.Want w : chunkWants) {
      bytes += w.size();
    }
    if (bytes <= MAX_PLANNED_TOGETHER) {
      List<PackReader.Want> all = new ArrayList<>(fileWants);
      all.addAll(chunkWants);
      files = packs.batch(all);
      chunks = files;
    } else {
      List<PackReader.Batch> batches = packs.batches(List.of(fileWants, chunkWants));
      files = batches.get(0);
      chunks = batches.get(1);
    }
  }

  /** The object {@code sha256} from {@code batch} when a pack holds it, else on its own. */
  private InputStream open(PackReader.Batch batch, String sha256, long size) throws IOException {
    Optional<byte[]> packed = batch == null ? Optional.empty() : batch.take(sha256);
    if (packed.isPresent()) {
      return new ByteArrayInputStream(packed.get());
    }
    return ObjectStreams.open(source, release, sha256, size, compressed);
  }

  /** The release the objects belong to. */
  Release release() {
    return release;
  }

  /**
   * Streams the object of the file {@code e} into the new file {@code path}, hashing as it
   * writes, stopping past the listed size; tells {@code space} of each write before it happens.
   *
   * @throws VerificationException when the object has another size or SHA-256 than listed
   * @throws java.nio.file.NoSuchFileException when the source lacks the object
   * @throws dev.updater.core.UpdateException {@code INSUFFICIENT_SPACE} when {@code space} stops
   *     the write
   */
  void fetchFile(Entry e, Path path, FreeSpace.Watch space) throws IOException {
    MessageDigest digest = Downloader.sha256();
    byte[] buf = new byte[BUFFER];
    long written = 0;
    try (InputStream in = open(files, e.sha256(), e.size());
        OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        if (written + n > e.size()) {
          throw new VerificationException("the object for '" + e.path() + "' of "
              + release.version() + " is longer than the " + e.size() + " bytes listed");
        }
        digest.update(buf, 0, n);
        space.wrote(n);
        out.write(buf, 0, n);
        written += n;
      }
    }
    if (written != e.size()) {
      throw new VerificationException("the object for '" + e.path() + "' of " + release.version()
          + " ended after " + written + " of the " + e.size() + " bytes listed");
    }
    String sha = HexFormat.of().formatHex(digest.digest());
    if (!sha.equals(e.sha256())) {
      throw new VerificationException("the object for '" + e.path() + "' of " + release.version()
          + " hashes to " + sha + ", not the listed " + e.sha256());
    }
  }

  /**
   * The bytes of the chunk {@code c} of the file at {@code path}, checked for size and SHA-256.
   *
   * @throws VerificationException when they are not the listed ones
   * @throws java.nio.file.NoSuchFileException when the source lacks the chunk
   */
  byte[] fetchChunk(Chunking.Chunk c, String path) throws IOException {
    byte[] bytes;
    try (InputStream in = open(chunks, c.sha256(), c.size())) {
      bytes = in.readNBytes(Math.toIntExact(c.size() + 1));
    }
    if (bytes.length != c.size()) {
      throw new VerificationException("the chunk " + c.sha256() + " of '" + path + "' of "
          + release.version() + " is " + bytes.length + " bytes, not the " + c.size() + " listed");
    }
    String sha = HexFormat.of().formatHex(Downloader.sha256().digest(bytes));
    if (!sha.equals(c.sha256())) {
      throw new VerificationException("the chunk " + c.sha256() + " of '" + path + "' of "
          + release.version() + " hashes to " + sha);
    }
    return bytes;
  }
}
