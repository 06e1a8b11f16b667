package dev.updater.core.internal.format;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the objects a manifest names, as their uncompressed bytes: through {@link
 * ReleaseSource#openObject} for a manifest of format 1 or 2 (stored as they are), and for format 3
 * as the file {@code objects/<aa>/<sha256>.zlib} at the repository's root through {@link
 * ReleaseSource#open}, inflated while it is read ({@link ZlibObjects}). The caller reads at most
 * {@code size + 1} bytes and checks the size and the SHA-256 itself. Not API.
 *
 * <p>Stateless and thread-safe.
 */
public final class ObjectStreams {
  private ObjectStreams() {}

  /**
   * The uncompressed bytes of the object {@code sha256} of {@code size} bytes, for {@code
   * release}.
   *
   * @throws java.nio.file.NoSuchFileException when the repository has no such object
   * @throws IOException when it cannot be read
   */
  public static InputStream open(ReleaseSource source, Release release, String sha256, long size,
      boolean compressed) throws IOException {
    if (!compressed) {
      return source.openObject(release, sha256, size);
    }
    return ZlibObjects.inflating(source.open(new Artifact(sha256,
        ZlibObjects.maxCompressedSize(size), sha256, ObjectPaths.compressed(sha256)), 0));
  }
}
