package dev.updater.core.repository;

import dev.updater.core.Artifact;
import dev.updater.core.Version;
import dev.updater.core.internal.Downloader;
import dev.updater.core.internal.archive.SafeExtractor;
import dev.updater.core.internal.format.Chunking;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.internal.format.ManifestPages;
import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.stage.ArchiveStager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The publisher's side of per-file manifests: extracts an archive with the archive stager's own
 * rules (so the manifest describes exactly the tree an install stages, and an archive the stager
 * would refuse is refused here), stores each regular file once by its SHA-256, compressed, in
 * {@code objects/<aa>/<sha256>.zlib}, splits each file into content-defined chunks ({@link
 * Chunking}) stored the same way, and writes the manifest paged in format 3 ({@link
 * ManifestPages}): each file's entry lists its chunks, each page is stored as an object like a
 * file, and the root that lists them as {@code releases/<version>/manifest.json}. Every file is
 * written through {@link RepositoryFiles}.
 *
 * <p>Stateless and thread-safe for different repositories.
 */
final class TreePublisher {
  /** The name of the manifest file beside the artifacts of a release. */
  static final String MANIFEST_NAME = "manifest.json";

  /** A paged manifest as written: its root's entry for the index and its page counts. */
  record WrittenManifest(Artifact manifest, int pages, int newPages) {}

  private TreePublisher() {}

  /** The repository-relative location of the manifest root of {@code version}. */
  static String manifestLocation(Version version) {
    return "releases/" + version + "/" + MANIFEST_NAME;
  }

  /**
   * Publishes the tree of {@code archive} into the repository at {@code repo}.
   *
   * @throws dev.updater.core.spi.RejectedArchiveException when the stager would refuse the archive
   * @throws IOException when the archive cannot be read or the repository cannot be written
   */
  static RepositoryWriter.PublishedTree publish(Path repo, Path archive, String artifactName,
      Version version, ArchiveStager stager) throws IOException {
    Path tmp = Files.createTempDirectory("updater-publish-");
    try {
      Path tree = Files.createDirectory(tmp.resolve("tree"));
      new SafeExtractor(stager.maxEntries(), stager.maxTotalBytes(), stager.maxDepth(),
          stager.maxPathLength()).extract(archive, artifactName, tree);
      FileManifest scanned = FileManifest.scan(tree);
      List<Entry> entries = new ArrayList<>();
      int files = 0;
      int newObjects = 0;
      long newBytes = 0;
      for (Entry e : scanned.entries()) {
        if (e.type() != Type.FILE) {
          entries.add(e);
          continue;
        }
        files++;
        Path file = RepositoryFiles.resolve(tree, e.path());
        if (RepositoryFiles.storeCompressed(repo, e.sha256(), e.size(),
            RepositoryFiles.copyOf(file))) {
          newObjects++;
          newBytes += e.size();
        }
        List<Chunking.Chunk> chunks = Chunking.split(file);
        long offset = 0;
        for (Chunking.Chunk c : chunks) {
          RepositoryFiles.storeCompressed(repo, c.sha256(), c.size(),
              RepositoryFiles.rangeOf(file, offset, c.size()));
          offset += c.size();
        }
        entries.add(e.withChunks(chunks));
      }
      FileManifest manifest = new FileManifest(entries);
      WrittenManifest written = writeManifest(repo, version, manifest);
      return new RepositoryWriter.PublishedTree(written.manifest(), files, newObjects, newBytes,
          written.pages(), written.newPages());
    } finally {
      FileTrees.deleteRecursively(tmp);
    }
  }

  /**
   * Writes {@code manifest} as the paged manifest of {@code version}: each page into {@code
   * objects/} unless it is there already, then the root as {@code
   * releases/<version>/manifest.json}.
   */
  static WrittenManifest writeManifest(Path repo, Version version, FileManifest manifest)
      throws IOException {
    ManifestPages.Written written = ManifestPages.write(manifest);
    int newPages = 0;
    for (ManifestPages.Page page : written.pages()) {
      if (RepositoryFiles.storeCompressed(repo, page.ref().sha256(), page.bytes().length,
          out -> out.write(page.bytes()))) {
        newPages++;
      }
    }
    byte[] root = written.root();
    String location = manifestLocation(version);
    RepositoryFiles.write(RepositoryFiles.resolve(repo, location), root);
    return new WrittenManifest(new Artifact(MANIFEST_NAME, root.length,
        HexFormat.of().formatHex(Downloader.sha256().digest(root)), location),
        written.pages().size(), newPages);
  }
}
