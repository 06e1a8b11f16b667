package dev.updater.core.repository;

import dev.updater.core.internal.DeltaStager;
import dev.updater.core.internal.Downloader;
import dev.updater.core.internal.ReleaseManifests;
import dev.updater.core.internal.archive.SafeExtractor;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.ManifestJson;
import dev.updater.core.internal.format.ManifestPages;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.Artifact;
import dev.updater.core.Version;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The publisher's side of per-file manifests: extracts an archive with the archive stager's own
 * rules (so the manifest describes exactly the tree an install stages, and an archive the stager
 * would refuse is refused here), stores each regular file once by its SHA-256 in {@code
 * objects/<aa>/<sha256>}, and writes the manifest paged (format 2, {@link ManifestPages}): each
 * page stored as an object like a file, and the root that lists them as {@code
 * releases/<version>/manifest.json}. Every file is written atomically and readable by everyone (a
 * web server serves it). Not API: the CLI's {@code publish} and tests call it.
 *
 * <pre>{@code
 * Artifact manifest = TreePublisher.publish(repo, archive, "app-1.2.0.tar.gz", version,
 *     ArchiveStager.defaults());
 * release = release.withManifest(manifest);
 * }</pre>
 *
 * <p>Stateless and thread-safe for different repositories.
 */
public final class TreePublisher {
  /** The name of the manifest file beside the artifacts of a release. */
  public static final String MANIFEST_NAME = "manifest.json";

  /**
   * What a publication wrote: the manifest's entry for the index, the number of regular files,
   * the file objects that were not in the repository yet and their bytes, and the manifest's
   * pages and how many of them were new.
   */
  public record Published(Artifact manifest, int files, int newObjects, long newObjectBytes,
      int pages, int newPages) {}

  /**
   * A paged manifest as written: its root's entry for the index, how many pages it has, and how
   * many of them were not in {@code objects/} yet (the others are shared with earlier releases).
   */
  public record WrittenManifest(Artifact manifest, int pages, int newPages) {}

  private TreePublisher() {}

  /**
   * Publishes the tree of {@code archive} into the repository at {@code repo}.
   *
   * @return the manifest's artifact entry (relative location, size, SHA-256) for the index
   * @throws dev.updater.core.spi.RejectedArchiveException when the stager would refuse the archive
   * @throws IOException when the archive cannot be read, the temporary directory's file system
   *     has no POSIX modes, or the repository cannot be written
   */
  public static Published publish(Path repo, Path archive, String artifactName, Version version,
      ArchiveStager stager) throws IOException {
    Path tmp = Files.createTempDirectory("updater-publish-");
    try {
      Path tree = Files.createDirectory(tmp.resolve("tree"));
      new SafeExtractor(stager.maxEntries(), stager.maxTotalBytes(), stager.maxDepth(),
          stager.maxPathLength()).extract(archive, artifactName, tree);
      FileManifest manifest = FileManifest.scan(tree);
      int newObjects = 0;
      long newBytes = 0;
      for (Entry e : manifest.entries()) {
        if (e.type() == Type.FILE && storeObject(repo, e.sha256(), e.size(),
            copyOf(DeltaStager.resolve(tree, e.path())))) {
          newObjects++;
          newBytes += e.size();
        }
      }
      WrittenManifest written = writeManifest(repo, version, manifest);
      int files = (int) manifest.entries().stream().filter(x -> x.type() == Type.FILE).count();
      return new Published(written.manifest(), files, newObjects, newBytes, written.pages(),
          written.newPages());
    } finally {
      FileTrees.deleteRecursively(tmp);
    }
  }

  /**
   * Writes {@code manifest} as the paged manifest of {@code version}: each page into {@code
   * objects/} unless it is there already, then the root as {@code
   * releases/<version>/manifest.json}.
   *
   * @return the root's entry for the index, and the page counts
   * @throws IOException when the repository cannot be written
   */
  public static WrittenManifest writeManifest(Path repo, Version version, FileManifest manifest)
      throws IOException {
    ManifestPages.Written written = ManifestPages.write(manifest);
    int newPages = 0;
    for (ManifestPages.Page page : written.pages()) {
      if (storeObject(repo, page.ref().sha256(), page.bytes().length,
          out -> out.write(page.bytes()))) {
        newPages++;
      }
    }
    byte[] root = written.root();
    String location = "releases/" + version + "/" + MANIFEST_NAME;
    Path file = DeltaStager.resolve(repo, location);
    Files.createDirectories(file.getParent());
    writeAtomically(file, out -> out.write(root));
    return new WrittenManifest(new Artifact(MANIFEST_NAME, root.length, sha256(root), location),
        written.pages().size(), newPages);
  }

  /**
   * Stores the object {@code sha256}, {@code size} bytes that {@code body} writes, unless a good
   * copy is there (the size and the SHA-256 of its bytes match); true when it wrote one.
   */
  private static boolean storeObject(Path repo, String sha256, long size, Body body)
      throws IOException {
    Path object = DeltaStager.resolve(repo, ObjectPaths.relative(sha256));
    if (Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS) && Files.size(object) == size
        && FileManifest.sha256(object).equals(sha256)) {
      return false;
    }
    Files.createDirectories(object.getParent());
    writeAtomically(object, body);
    return true;
  }

  /** The bytes of the regular file {@code file}, not following a link. */
  private static Body copyOf(Path file) {
    return out -> {
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        in.transferTo(out);
      }
    };
  }

  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private static void writeAtomically(Path target, Body body) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        body.writeTo(out);
        out.flush();
        channel.force(true);
      }
      if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      AtomicFiles.moveAtomically(tmp, target);
      AtomicFiles.syncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(Downloader.sha256().digest(bytes));
  }

  /**
   * The manifest of a published release, as read back from {@code repo} with the default caps, a
   * paged one assembled from its pages in {@code objects/} (for tools and tests).
   *
   * @return empty when the release has no manifest, or one of a newer format
   * @throws dev.updater.core.spi.VerificationException when it is not a valid manifest
   * @throws java.nio.file.NoSuchFileException when a page is missing
   */
  public static Optional<FileManifest> read(Path repo, Version version) throws IOException {
    Path file = DeltaStager.resolve(repo, "releases/" + version + "/" + MANIFEST_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    ManifestJson.Limits limits = ReleaseManifests.limits(ArchiveStager.defaults());
    Optional<ManifestJson.Document> document =
        ManifestJson.parse(Files.readAllBytes(file), limits);
    if (document.isEmpty() || document.get() instanceof ManifestJson.Whole) {
      return document.map(d -> ((ManifestJson.Whole) d).manifest());
    }
    ManifestJson.Paged root = (ManifestJson.Paged) document.get();
    Map<String, byte[]> pages = new HashMap<>();
    for (ManifestPages.PageRef ref : root.pages()) {
      pages.put(ref.sha256(),
          Files.readAllBytes(DeltaStager.resolve(repo, ObjectPaths.relative(ref.sha256()))));
    }
    return Optional.of(ManifestPages.assemble(root, pages, limits));
  }
}
