package dev.updater.cli;

import dev.updater.core.Artifact;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.stage.ArchiveStager;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The per-file part of {@code updater publish}: {@link RepositoryWriter#putTree} extracts the
 * primary artifact with the archive stager's rules, stores each of its files once by SHA-256 under
 * {@code objects/}, and writes the paged manifest, whose size and SHA-256 go into the signed
 * index. Installs then fetch only the pages and files that changed (see docs/repository.md).
 */
final class ManifestPublishing {
  private ManifestPublishing() {}

  /**
   * Publishes the tree of {@code archive} (the primary artifact) and prints what was written.
   *
   * @return the manifest's entry for the index
   * @throws CliException when the stager refuses the archive or the repository cannot be written
   */
  static Artifact publish(RepositoryWriter writer, Version version, Path archive, Env env)
      throws CliException {
    RepositoryWriter.PublishedTree published;
    try {
      published = writer.putTree(version, archive, ArchiveStager.defaults());
    } catch (RejectedArchiveException e) {
      throw CliException.refused("the artifact " + archive + " would be refused by every install: "
          + e.getMessage() + ". Fix the archive, or pass --no-manifest to publish it without a "
          + "per-file manifest (installs then refuse it just the same)");
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot write the per-file manifest and objects of "
          + archive.getFileName() + " into " + writer.root() + ": " + e + "; check that the "
          + "repository is writable, or pass --no-manifest", e);
    }
    env.out().println("  " + published.manifest().location() + "  " + published.files()
        + " files, " + published.newObjects() + " new object(s) in objects/ ("
        + published.newObjectBytes() + " bytes), " + published.newPages() + " of "
        + published.pages() + " manifest page(s) new");
    return published.manifest();
  }
}
