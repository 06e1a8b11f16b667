package dev.updater.core.spi;

import dev.updater.core.Artifact;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a verified artifact into a release tree.
 *
 * <p>Called at most once per install, with a fresh, empty directory that the pipeline created and
 * owns, after the artifact's size and SHA-256 were checked. On failure the stager may leave partial
 * content behind: the pipeline deletes the whole directory and the live release is untouched. A
 * stager must never write outside {@code target}.
 *
 * <h2>The checks a stager's trees get</h2>
 * A release may publish a signed per-file manifest of its artifact's tree (path, type, mode, size,
 * SHA-256 and link target of every entry). The pipeline uses it only for a stager that declares,
 * through {@link #exactTree()}, that every tree it writes is the artifact's own tree, file for
 * file. For such a stager, and only for it:
 * <ul>
 *   <li>the manifest is fetched, checked against the signed index, and refused when it breaks the
 *       declared {@link TreeLimits};
 *   <li>the staged tree is compared with the manifest before it is published (the closed-world
 *       check): an extra, missing or different entry refuses the install with {@link
 *       RejectedArchiveException}, the staged tree is deleted and the live release is untouched;
 *   <li>a later install may build the tree from the live release and the changed files alone (a
 *       delta install), without downloading the artifact and without calling this stager.
 * </ul>
 * A stager that does not declare it (the default) is called as it is and gets none of these checks:
 * its tree may rightly differ from the artifact's (a stager that unpacks a nested archive, strips a
 * top directory or builds the release), and no manifest could describe it. Such a stager is
 * trusted to check what it writes itself.
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

  /**
   * Stages like {@link #stage(Path, Artifact, Path)} and tells {@code files} of each regular file
   * as soon as it is written and closed, so that the pipeline reads it back (for the manifest
   * check) and forces it to disk while the next ones are written. This is the method the pipeline
   * calls. A file told of must not be written again; one told of twice is read again later.
   *
   * <p>The default stages and tells of nothing: the pipeline then reads every file after staging,
   * which gives the same checks and takes a little longer.
   *
   * @throws RejectedArchiveException when the archive is unsafe or corrupt
   * @throws IOException when reading or writing fails, or {@code files} fails
   */
  default void stage(Path file, Artifact artifact, Path target, FileListener files)
      throws IOException {
    stage(file, artifact, target);
  }

  /**
   * Declares that every tree this stager writes is exactly the artifact's tree, within the
   * returned limits: the same files, directories and symbolic links, with the artifact's bytes,
   * link targets and modes (executable bits kept; setuid, setgid, sticky and group/other write
   * bits dropped), nothing added and nothing left out. Such a stager's trees get the per-file
   * manifest checks and delta installs described above. Empty by default.
   */
  default Optional<TreeLimits> exactTree() {
    return Optional.empty();
  }

  /**
   * Told of each regular file a stager has written and closed.
   *
   * <pre>{@code
   * files.written("bin/app", target.resolve("bin/app"));
   * }</pre>
   *
   * <p>Called from the staging thread only.
   */
  @FunctionalInterface
  interface FileListener {
    /** A listener that does nothing. */
    FileListener NONE = (name, file) -> { };

    /**
     * The regular file {@code name} (relative to the target, {@code /}-separated, as the manifest
     * names it) is complete at {@code file}.
     *
     * @throws IOException to stop the staging (the failure of a file told of earlier)
     */
    void written(String name, Path file) throws IOException;

    /**
     * {@code bytes} more bytes of the regular file {@code name} are about to be written. A stager
     * that calls this before each write (as the default stager does) lets the pipeline stop a
     * staging that would fill the disk or inflate the archive past the allowed ratio before the
     * bytes are written; one that does not is watched file by file, through {@link #written}.
     * {@code declaredSize} is the size the archive declares for the whole file (tar headers
     * declare it, zip entries usually do), or {@code -1} when it declares none. The first call
     * for a file may have {@code bytes} 0, to announce its declared size. Default: nothing.
     *
     * @throws IOException to stop the staging before the write
     */
    default void writing(String name, long bytes, long declaredSize) throws IOException {}
  }
}
