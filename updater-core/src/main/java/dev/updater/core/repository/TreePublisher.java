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
import dev.updater.core.internal.format.Packs;
import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.internal.io.WorkerPools;
import dev.updater.core.stage.ArchiveStager;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The publisher's side of per-file manifests: extracts an archive with the archive stager's own
 * rules (so the manifest describes exactly the tree an install stages, and an archive the stager
 * would refuse is refused here), stores each regular file once by its SHA-256, compressed, in
 * {@code objects/<aa>/<sha256>.zlib}, splits each file into content-defined chunks ({@link
 * Chunking}) stored the same way, and writes the manifest paged in format 3 ({@link
 * ManifestPages}): each file's entry lists its chunks, each page is stored as an object like a
 * file, the objects the release introduces are packed ({@link PackPublisher}), and the root that
 * lists pages and packs is {@code releases/<version>/manifest.json}. Every file is written
 * through {@link RepositoryFiles}.
 *
 * <p>Stateless and thread-safe for different repositories.
 */
final class TreePublisher {
  /** The name of the manifest file beside the artifacts of a release. */
  static final String MANIFEST_NAME = "manifest.json";

  /** A paged manifest as written: its root's entry for the index and its page counts. */
  record WrittenManifest(Artifact manifest, int pages, int newPages) {}

  /**
   * How many objects are stored, and then forced to disk, at once: the file system commits
   * several waiting forces together.
   */
  private static final int STORE_THREADS = 8;

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
      new SafeExtractor(stager.exactTree().orElseThrow()).extract(archive, artifactName, tree);
      FileManifest scanned = FileManifest.scan(tree);
      List<Entry> entries = new ArrayList<>();
      List<Future<Stored>> stored = new ArrayList<>();
      ExecutorService pool = WorkerPools.fixed("updater-publish", STORE_THREADS);
      try {
        for (Entry e : scanned.entries()) {
          if (e.type() == Type.FILE) {
            stored.add(pool.submit(() -> store(repo, tree, e)));
          } else {
            entries.add(e);
          }
        }
        int newObjects = 0;
        long newBytes = 0;
        List<Path> written = new ArrayList<>();
        for (Future<Stored> f : stored) {
          Stored s = f.get();
          entries.add(s.entry());
          written.addAll(s.written());
          if (s.isNew()) {
            newObjects++;
            newBytes += s.entry().size();
          }
        }
        forceAll(pool, written);
        FileManifest manifest = new FileManifest(entries);
        WrittenManifest paged = writeManifest(repo, version, manifest);
        return new RepositoryWriter.PublishedTree(paged.manifest(), stored.size(), newObjects,
            newBytes, paged.pages(), paged.newPages());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while storing the objects of " + version);
      } catch (ExecutionException e) {
        throw WorkerPools.failure(e, "storing an object of " + version);
      } finally {
        WorkerPools.stopAndWait(pool);
      }
    } finally {
      FileTrees.deleteRecursively(tmp);
    }
  }

  /** A file's entry with its chunks, whether its whole object was new, and the files written. */
  private record Stored(Entry entry, boolean isNew, List<Path> written) {}

  /**
   * Stores the file {@code e} of {@code tree}: its whole object and each of its chunks, each
   * compressed unless a good copy is there; none forced yet.
   */
  private static Stored store(Path repo, Path tree, Entry e) throws IOException {
    Path file = RepositoryFiles.resolve(tree, e.path());
    List<Path> written = new ArrayList<>();
    Path whole = RepositoryFiles.storeCompressed(repo, e.sha256(), e.size(),
        RepositoryFiles.copyOf(file));
    if (whole != null) {
      written.add(whole);
    }
    List<Chunking.Chunk> chunks = Chunking.split(file);
    long offset = 0;
    for (Chunking.Chunk c : chunks) {
      Path chunk = RepositoryFiles.storeCompressed(repo, c.sha256(), c.size(),
          RepositoryFiles.rangeOf(file, offset, c.size()));
      if (chunk != null) {
        written.add(chunk);
      }
      offset += c.size();
    }
    return new Stored(e.withChunks(chunks), whole != null, written);
  }

  /**
   * Forces the new objects to disk on the pool's threads (the file system commits several
   * waiting forces together), before the manifest that names them is written.
   */
  private static void forceAll(ExecutorService pool, List<Path> written)
      throws InterruptedException, ExecutionException, IOException {
    int slices = STORE_THREADS;
    List<Future<Void>> forced = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      List<Path> slice = new ArrayList<>();
      for (int j = i; j < written.size(); j += slices) {
        slice.add(written.get(j));
      }
      forced.add(pool.submit(() -> {
        RepositoryFiles.force(slice);
        return null;
      }));
    }
    for (Future<Void> f : forced) {
      f.get();
    }
  }

  /**
   * Writes {@code manifest} as the paged manifest of {@code version}: each page into {@code
   * objects/} unless it is there already, the release's pack ({@link PackPublisher}), then the
   * root as {@code releases/<version>/manifest.json}, listing the pages and the packs.
   */
  static WrittenManifest writeManifest(Path repo, Version version, FileManifest manifest)
      throws IOException {
    ManifestPages.Written written = ManifestPages.write(manifest);
    int newPages = 0;
    for (ManifestPages.Page page : written.pages()) {
      Path stored = RepositoryFiles.storeCompressed(repo, page.ref().sha256(),
          page.bytes().length, out -> out.write(page.bytes()));
      if (stored != null) {
        RepositoryFiles.force(List.of(stored));
        newPages++;
      }
    }
    List<Packs.PackRef> packs = PackPublisher.write(repo, version, manifest, written.pages());
    byte[] root = ManifestPages.writeRoot(written.pages().stream().map(ManifestPages.Page::ref)
        .toList(), ManifestPages.FORMAT, packs);
    String location = manifestLocation(version);
    RepositoryFiles.write(RepositoryFiles.resolve(repo, location), root);
    return new WrittenManifest(new Artifact(MANIFEST_NAME, root.length,
        HexFormat.of().formatHex(Downloader.sha256().digest(root)), location),
        written.pages().size(), newPages);
  }
}
