package dev.updater.core.spi;

import dev.updater.core.Artifact;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a verified artifact into a release tree.
 *
 * <p>Called once per install with a fresh, empty directory that the pipeline created and owns.
 * On failure the stager may leave partial content behind: the pipeline deletes the whole
 * directory. A stager must never write outside {@code target}.
 *
 * <p>Implementations must be thread-safe or stateless.
 *
 * <pre>{@code
 * Stager stager = ArchiveStager.builder().maxEntries(50_000).build();
 * }</pre>
 */
public interface Stager {

  /**
   * Extracts {@code file}, whose bytes match {@code artifact}, into {@code target}.
   *
   * @throws RejectedArchiveException when the archive is unsafe or corrupt
   * @throws IOException when reading or writing fails
   */
  void stage(Path file, Artifact artifact, Path target) throws IOException;
}
