package dev.updater.core.internal.format;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads one small file of a repository by its relative path, for {@link IndexReader}: the
 * signature files and key lists beside an index. Not API; each source implements it over its own
 * transport.
 */
@FunctionalInterface
public interface RepositoryFetch {

  /**
   * The bytes of {@code relativePath} (such as {@code keys/2.json}), or empty when the repository
   * has no such file (a directory without it, an HTTP 404 or 410).
   *
   * @throws IOException when the file exists but is larger than {@code cap} bytes or cannot be
   *     read (a {@link dev.updater.core.spi.VerificationException} for one too large)
   */
  Optional<byte[]> fetch(String relativePath, int cap) throws IOException;
}
