package dev.updater.core.internal;

import dev.updater.core.Release;
import dev.updater.core.internal.format.Chunking;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.ObjectStreams;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Fetches the objects of one release's tree from its source, whole files and chunks of files,
 * compressed or not as the release's manifest says ({@link ObjectStreams}), each checked for size
 * and SHA-256 while it streams in. Not API.
 *
 * <p>Thread-safe: called from the fetching threads of one install.
 */
final class ObjectFetcher {
  private static final int BUFFER = 64 * 1024;

  private final ReleaseSource source;
  private final Release release;
  private final boolean compressed;

  ObjectFetcher(ReleaseSource source, Release release, boolean compressed) {
    this.source = source;
    this.release = release;
    this.compressed = compressed;
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
    try (InputStream in = ObjectStreams.open(source, release, e.sha256(), e.size(), compressed);
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
    try (InputStream in = ObjectStreams.open(source, release, c.sha256(), c.size(), compressed)) {
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
