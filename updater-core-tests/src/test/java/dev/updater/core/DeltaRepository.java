package dev.updater.core;

import static dev.updater.testkit.Digests.sha256;

import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.ManifestJson;
import dev.updater.core.internal.format.ManifestPages;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.internal.format.ZlibObjects;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.testkit.RawArchives;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A signed update repository on the real disk with per-file manifests and {@code objects/}, as
 * {@code updater publish} writes it (through the same {@link RepositoryWriter}): paged manifests
 * (format 3) whose pages are objects too, every object stored compressed. A test may edit a
 * manifest before it is signed into the
 * index (to make it disagree with the archive), publish one as a whole format-1 manifest (as older
 * publishers did), or change files after signing (to tamper with them).
 *
 * <pre>{@code
 * DeltaRepository repo = new DeltaRepository(dir);
 * Release r = repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0"));
 * }</pre>
 *
 * <p>Not thread-safe; test use only.
 */
final class DeltaRepository {
  private static final ManifestJson.Limits LIMITS = new ManifestJson.Limits(
      ArchiveStager.DEFAULT_MAX_ENTRIES, ArchiveStager.DEFAULT_MAX_TOTAL_BYTES,
      ArchiveStager.DEFAULT_MAX_DEPTH, ArchiveStager.DEFAULT_MAX_PATH_LENGTH);
  private static final String MANIFEST_NAME = "manifest.json";

  final Path root;
  final SigningKey key = SigningKey.generate();
  private final List<Release> releases = new ArrayList<>();
  private long serial;

  DeltaRepository(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  /** The release published as {@code version}. */
  Release readRelease(String version) {
    return releases.stream().filter(r -> r.version().toString().equals(version)).findFirst()
        .orElseThrow();
  }

  /** The keys that verify this repository's index. */
  TrustedKeys trust() {
    return TrustedKeys.parse(key.publicKeyText());
  }

  /** A signed directory source over this repository. */
  DirectoryReleaseSource directorySource() {
    return DirectoryReleaseSource.of(root, trust());
  }

  /** Publishes {@code app-<version>.tar.gz} built by {@code tree}, with its manifest. */
  Release publish(String version, Consumer<RawArchives.Tar> tree) throws IOException {
    return publish(version, tree, UnaryOperator.identity());
  }

  /**
   * Publishes like {@link #publish(String, Consumer)}, but signs the manifest as {@code edit}
   * changed it (so it disagrees with the archive).
   */
  Release publish(String version, Consumer<RawArchives.Tar> tree,
      UnaryOperator<List<FileManifest.Entry>> edit) throws IOException {
    RawArchives.Tar tar = RawArchives.tar();
    tree.accept(tar);
    String name = "app-" + version + ".tar.gz";
    Path archive = tar.writeTarGz(Files.createDirectories(root.resolve("releases/" + version))
        .resolve(name));
    byte[] bytes = Files.readAllBytes(archive);
    Artifact artifact = new Artifact(name, bytes.length, sha256(bytes),
        "releases/" + version + "/" + name);
    Artifact manifest = RepositoryWriter.unsigned(root).putTree(Version.parse(version), archive,
        ArchiveStager.defaults()).manifest();
    FileManifest published = readManifest(version);
    List<FileManifest.Entry> edited = edit.apply(new ArrayList<>(published.entries()));
    if (!edited.equals(published.entries())) {
      ManifestPages.Written written = ManifestPages.write(new FileManifest(edited));
      for (ManifestPages.Page page : written.pages()) {
        writePage(page.ref(), page.bytes());
      }
      manifest = writeManifest(version, written.root());
    }
    Release release = Release.of(Version.parse(version), "stable", artifact).withManifest(manifest);
    releases.removeIf(r -> r.version().equals(release.version()));
    releases.add(release);
    writeIndex();
    return release;
  }

  /**
   * Publishes like {@link #publish(String, Consumer)}, but with the whole format-1 manifest that
   * publishers wrote before manifests were paged.
   */
  Release publishWhole(String version, Consumer<RawArchives.Tar> tree) throws IOException {
    Release paged = publish(version, tree);
    FileManifest manifest = readManifest(version);
    writePlainObjects(manifest);
    Release whole = paged.withManifest(writeManifest(version, ManifestJson.write(manifest)));
    replace(whole);
    return whole;
  }

  /**
   * Publishes like {@link #publish(String, Consumer)}, but in the previous paged format (2) that
   * publishers wrote before objects were compressed and files chunked: pages and file objects
   * stored as they are in {@code objects/<aa>/<sha256>}, and no compressed object left for the
   * release.
   */
  Release publishPrevious(String version, Consumer<RawArchives.Tar> tree) throws IOException {
    Release current = publish(version, tree);
    FileManifest manifest = readManifest(version);
    writePlainObjects(manifest);
    ManifestPages.Written written = ManifestPages.write(manifest, ManifestPages.PAGED_FORMAT);
    for (ManifestPages.Page page : written.pages()) {
      Path file = root.resolve(ObjectPaths.relative(page.ref().sha256()));
      Files.createDirectories(file.getParent());
      Files.write(file, page.bytes());
    }
    try (Stream<Path> files = Files.walk(root.resolve("objects"))) {
      for (Path p : files.filter(p -> p.toString().endsWith(ZlibObjects.SUFFIX)).toList()) {
        Files.delete(p);
      }
    }
    Release previous = current.withManifest(writeManifest(version, written.root()));
    replace(previous);
    return previous;
  }

  /** Stores the file objects of {@code manifest} uncompressed too, as formats 1 and 2 name them. */
  private void writePlainObjects(FileManifest manifest) throws IOException {
    for (FileManifest.Entry e : manifest.entries()) {
      Path compressed = root.resolve(ObjectPaths.compressed(e.sha256().isEmpty() ? "0".repeat(64)
          : e.sha256()));
      if (e.type() == FileManifest.Type.FILE && Files.exists(compressed)) {
        Files.write(root.resolve(ObjectPaths.relative(e.sha256())),
            inflate(Files.readAllBytes(compressed)));
      }
    }
  }

  /** The URL path of the uncompressed object holding {@code content} (formats 1 and 2). */
  String plainObjectUrl(String content) {
    return "/" + ObjectPaths.relative(sha256(content.getBytes(StandardCharsets.UTF_8)));
  }

  /** The paged manifest of {@code version} as published, assembled from its pages. */
  FileManifest readManifest(String version) throws IOException {
    ManifestJson.Paged paged = (ManifestJson.Paged) ManifestJson.parse(
        Files.readAllBytes(manifestFile(version)), LIMITS).orElseThrow();
    Map<String, byte[]> pages = new HashMap<>();
    for (ManifestPages.PageRef page : paged.pages()) {
      pages.put(page.sha256(), paged.compressed() ? pageBytes(page)
          : Files.readAllBytes(root.resolve(ObjectPaths.relative(page.sha256()))));
    }
    return ManifestPages.assemble(paged, pages, LIMITS);
  }

  /** The uncompressed bytes of a page as stored. */
  byte[] pageBytes(ManifestPages.PageRef page) throws IOException {
    return inflate(Files.readAllBytes(pageFile(page)));
  }

  /** Stores {@code bytes}, compressed, as the object of {@code page}. */
  void writePage(ManifestPages.PageRef page, byte[] bytes) throws IOException {
    Path file = pageFile(page);
    Files.createDirectories(file.getParent());
    Files.write(file, compress(bytes));
  }

  /** Replaces the stored object of {@code content} with {@code replacement}, compressed. */
  void writeObject(String content, String replacement) throws IOException {
    Files.write(object(content), compress(replacement.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code bytes} compressed as the repository stores objects. */
  static byte[] compress(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = ZlibObjects.compressingInto(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }

  /** The uncompressed bytes of a stored object. */
  static byte[] inflate(byte[] stored) throws IOException {
    try (InputStream in = ZlibObjects.inflating(new ByteArrayInputStream(stored))) {
      return in.readAllBytes();
    }
  }

  /** The pages the manifest of {@code version} lists, in order (none for a whole manifest). */
  List<ManifestPages.PageRef> pages(String version) throws IOException {
    Optional<ManifestJson.Document> document = ManifestJson.parse(
        Files.readAllBytes(manifestFile(version)),
        LIMITS);
    return document.orElseThrow() instanceof ManifestJson.Paged paged ? paged.pages() : List.of();
  }

  /** Deletes every pack, as a repository a publisher wrote before packs (or a lost one). */
  void deletePacks() throws IOException {
    Path packs = root.resolve("packs");
    if (Files.isDirectory(packs)) {
      try (Stream<Path> files = Files.list(packs)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The pack files of the repository. */
  List<Path> packFiles() throws IOException {
    Path packs = root.resolve("packs");
    if (!Files.isDirectory(packs)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(packs)) {
      return files.sorted().toList();
    }
  }

  /** The URL path of a page. */
  static String pageUrl(ManifestPages.PageRef page) {
    return "/" + ObjectPaths.compressed(page.sha256());
  }

  /** The object file of a page. */
  Path pageFile(ManifestPages.PageRef page) {
    return root.resolve(ObjectPaths.compressed(page.sha256()));
  }

  /** Replaces the manifest file of {@code version} with {@code bytes}; returns its new entry. */
  Artifact writeManifest(String version, byte[] bytes) throws IOException {
    Path file = manifestFile(version);
    Files.write(file, bytes);
    return new Artifact(MANIFEST_NAME, bytes.length, sha256(bytes),
        "releases/" + version + "/" + MANIFEST_NAME);
  }

  /** Re-signs the index with {@code release} in place of the published one of its version. */
  void replace(Release release) throws IOException {
    releases.replaceAll(r -> r.version().equals(release.version()) ? release : r);
    writeIndex();
  }

  Path manifestFile(String version) {
    return root.resolve("releases/" + version + "/" + MANIFEST_NAME);
  }

  /** The object file holding {@code content}. */
  Path object(String content) {
    return root.resolve(ObjectPaths.compressed(sha256(content.getBytes(StandardCharsets.UTF_8))));
  }

  /** The URL path of the object holding {@code content}. */
  String objectUrl(String content) {
    return "/" + ObjectPaths.compressed(sha256(content.getBytes(StandardCharsets.UTF_8)));
  }

  /** The URL path of every file object in the repository (not the manifest pages). */
  List<String> objectUrls() throws IOException {
    Set<String> pages = new HashSet<>();
    for (Release r : releases) {
      for (ManifestPages.PageRef page : pages(r.version().toString())) {
        pages.add(pageUrl(page));
      }
    }
    try (Stream<Path> files = Files.walk(root.resolve("objects"))) {
      return files.filter(Files::isRegularFile)
          .map(p -> "/" + root.relativize(p).toString().replace('\\', '/'))
          .filter(url -> !pages.contains(url))
          .toList();
    }
  }

  /** The URL path of the archive of {@code release}. */
  static String archiveUrl(Release release) {
    return "/" + release.primaryArtifact().location();
  }

  private void writeIndex() throws IOException {
    serial++;
    byte[] bytes = MetadataJson.write(new ReleaseIndex("app", "stable", serial, Optional.empty(),
        releases));
    Path channels = Files.createDirectories(root.resolve("channels"));
    Files.write(channels.resolve("stable.json"), bytes);
    Files.writeString(channels.resolve("stable.json.minisig"), key.sign(bytes, "serial " + serial));
  }
}
