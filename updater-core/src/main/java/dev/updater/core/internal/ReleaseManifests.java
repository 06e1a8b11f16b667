package dev.updater.core.internal;

import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.ManifestJson;
import dev.updater.core.internal.format.ManifestPages;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.Artifact;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.Stager;
import dev.updater.core.spi.TreeLimits;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-file manifests of an install: fetches the one a release's signed entry names (checked
 * for size and SHA-256 like an artifact, then parsed strictly) together with its pages when it is
 * paged (format 2, {@link ManifestPages}), and keeps the manifest of each installed release in
 * {@code .updater/manifests/<version>.json} (a paged one as its root, its pages in {@code
 * .updater/manifests/pages/}), so that the next install can compare against the live release
 * without reading its files, and fetch only the pages it does not hold. Not API.
 *
 * <p>Used under the update lock; not thread-safe.
 */
public final class ReleaseManifests {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseManifests.class);
  /** How many manifest pages are fetched at once. */
  private static final int PAGE_FETCH_THREADS = 4;
  private static final String STAMPS = ".stamps";

  /**
   * A fetched manifest: the verified bytes of the file the index names (a whole manifest or a
   * root), the bytes of its pages by SHA-256 (none for a whole one), what they say, the caps it
   * was read with, the entries of each page by SHA-256 (for {@link #load}, whose kept manifest
   * shares most of its pages), whether its objects are stored compressed (format 3), and the
   * reader of the packs its root lists.
   */
  record Fetched(byte[] bytes, Map<String, byte[]> pages, FileManifest manifest,
      ManifestJson.Limits limits, Map<String, List<FileManifest.Entry>> parsedPages,
      boolean compressed, PackReader packs) {}

  private final Layout layout;
  private final Path dir;
  private final ManifestPageStore pages;

  ReleaseManifests(Layout layout) {
    this.layout = layout;
    this.dir = layout.state().resolve("manifests");
    this.pages = new ManifestPageStore(dir.resolve("pages"), PAGE_FETCH_THREADS);
  }

  /**
   * The bounds of {@code stager}'s trees, which a manifest must respect.
   *
   * @throws IllegalArgumentException when the stager does not declare exact trees
   */
  public static ManifestJson.Limits limits(Stager stager) {
    return limits(stager.exactTree().orElseThrow(() -> new IllegalArgumentException(
        "the stager " + stager + " does not write exact trees, so no manifest describes them")));
  }

  /** {@code limits} as the manifest reader takes them. */
  static ManifestJson.Limits limits(TreeLimits limits) {
    return new ManifestJson.Limits(limits.maxEntries(), limits.maxTotalBytes(), limits.maxDepth(),
        limits.maxPathLength());
  }

  /**
   * Downloads and checks the manifest {@code release} names, if it names one: read into memory,
   * at most one byte past its listed size, and checked for size and SHA-256 before it is parsed
   * (it is small, and kept only once the release is installed). The pages of a
   * paged manifest that this install keeps are read and verified; the others are fetched through
   * {@link ReleaseSource#openObject}, several at a time, or read from the packs its root lists
   * (those of releases newer than {@code live}), and kept.
   *
   * @return empty when the release has no manifest, one of a newer format than this version
   *     reads, or a paged one whose pages cannot all be had (the source serves no objects, or a
   *     page is missing or not the listed bytes): the release is then installed from its archive
   *     without a per-file check (logged)
   * @throws VerificationException when the manifest is too large, does not match the size and
   *     SHA-256 in the signed index, or is not a valid manifest (also when its pages, verified
   *     against the root, assemble into an invalid one)
   * @throws IOException when it cannot be fetched
   */
  Optional<Fetched> fetch(ReleaseSource source, Release release, ManifestJson.Limits limits,
      Optional<Version> live) throws IOException {
    if (release.manifest().isEmpty()) {
      return Optional.empty();
    }
    Artifact ref = release.manifest().get();
    if (ref.size() > ManifestJson.MAX_MANIFEST_BYTES) {
      throw new VerificationException("the manifest of " + release.version() + " is " + ref.size()
          + " bytes, more than the " + ManifestJson.MAX_MANIFEST_BYTES + " accepted");
    }
    byte[] bytes = download(source, ref);
    Optional<ManifestJson.Document> document = refusing(release,
        () -> ManifestJson.parse(bytes, limits));
    if (document.isEmpty()) {
      LOG.warn("The manifest of {} has a newer format than this updater reads; installing from "
          + "the archive without a per-file check", release.version());
      return Optional.empty();
    }
    if (document.get() instanceof ManifestJson.Whole whole) {
      return Optional.of(new Fetched(bytes, Map.of(), whole.manifest(), limits, Map.of(),
          false, PackReader.NONE));
    }
    ManifestJson.Paged root = (ManifestJson.Paged) document.get();
    PackReader packs = root.packs().isEmpty() ? PackReader.NONE
        : new PackReader(source, release, root.packs(), live);
    ManifestPageStore.Pages got;
    try {
      got = pages.pages(root, source, release, packs);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot have the manifest pages of {} ({}); installing from the archive without "
          + "a per-file check", release.version(), Failures.describe(e));
      return Optional.empty();
    }
    LOG.info("The manifest of {} has {} page(s): {} kept here, {} fetched ({} bytes)",
        release.version(), root.pages().size(), root.pages().size() - got.fetched(),
        got.fetched(), got.fetchedBytes());
    Map<String, List<FileManifest.Entry>> parsed = new HashMap<>();
    FileManifest manifest = refusing(release,
        () -> ManifestPages.assemble(root, got.bytes(), limits, parsed));
    return Optional.of(new Fetched(bytes, got.bytes(), manifest, limits, parsed,
        root.compressed(), packs));
  }

  /** The bytes of {@code ref}, checked against its size and SHA-256. */
  private static byte[] download(ReleaseSource source, Artifact ref) throws IOException {
    byte[] bytes;
    try (InputStream in = source.open(ref, 0)) {
      bytes = in.readNBytes(Math.toIntExact(ref.size() + 1));
    }
    Downloader.check(ref, bytes.length, ManifestPages.sha256(bytes), "");
    return bytes;
  }

  private interface Check<T> {
    T get() throws VerificationException;
  }

  /** Runs {@code check}, naming the release in the message of a refusal. */
  private static <T> T refusing(Release release, Check<T> check) throws VerificationException {
    try {
      return check.get();
    } catch (VerificationException e) {
      throw new VerificationException("the manifest of " + release.version() + " is refused: "
          + e.getMessage(), e);
    }
  }

  /**
   * Keeps {@code fetched} as the manifest of the installed {@code version} (a paged one with its
   * pages) with the {@code stamps} of its files as they were checked, and forgets those of
   * releases no longer on disk and the pages no kept manifest lists. A failure is logged: the
   * next install then uses its archive, or fetches the pages again.
   */
  void keep(Version version, Fetched fetched, Map<String, FileStamps.Stamp> stamps) {
    try {
      Downloader.createPrivateDirectory(dir);
      for (Map.Entry<String, byte[]> page : fetched.pages().entrySet()) {
        pages.keep(page.getKey(), page.getValue());
      }
      // Not forced, like the pages: stamps lost or cut short by a power cut are ignored (the
      // files are hashed instead), and so is a root (the next install downloads the archive).
      AtomicFiles.writeUnforced(stampsFile(version), FileStamps.encode(stamps));
      AtomicFiles.writeUnforced(file(version), fetched.bytes());
      Set<String> referenced = new HashSet<>();
      try (DirectoryStream<Path> kept = Files.newDirectoryStream(dir, "*.json")) {
        for (Path p : kept) {
          String name = p.getFileName().toString();
          String v = name.substring(0, name.length() - ".json".length());
          if (!Files.isDirectory(layout.releases().resolve(v), LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
            Files.deleteIfExists(dir.resolve(v + STAMPS));
          } else {
            referenced.addAll(pageNames(p, fetched.limits()));
          }
        }
      }
      pages.retain(referenced);
    } catch (IOException e) {
      LOG.warn("Could not keep the manifest of {} in {}: {}; the next update will download "
          + "the whole archive", version, dir, e.toString());
    }
  }

  /** The pages the kept manifest {@code file} lists (none for a whole or unreadable one). */
  private static Set<String> pageNames(Path file, ManifestJson.Limits limits) {
    Set<String> names = new HashSet<>();
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (ManifestJson.parse(bytes, limits).orElse(null) instanceof ManifestJson.Paged root) {
        root.pages().forEach(p -> names.add(p.sha256()));
      }
    } catch (IOException e) {
      LOG.warn("Ignoring the kept manifest {}: {}", file, e.getMessage());
    }
    return names;
  }

  /** Forgets the manifest of {@code version} (its release directory is being replaced). */
  void forget(Version version) {
    try {
      Files.deleteIfExists(file(version));
      Files.deleteIfExists(stampsFile(version));
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", file(version), e.toString());
    }
  }

  /**
   * The manifest kept for the installed {@code version}, if there is a readable one. The pages of
   * a paged one are read from this install, verified, and fetched from {@code source} for {@code
   * release} (the release being installed) when one is missing or not the listed bytes; those
   * {@code fetched} (the release's manifest) parsed already are not parsed again.
   */
  Optional<FileManifest> load(Version version, ReleaseSource source, Release release,
      Fetched fetched) throws InterruptedIOException {
    ManifestJson.Limits limits = fetched.limits();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file(version));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("Ignoring the kept manifest of {}: {}", version, e.toString());
      return Optional.empty();
    }
    try {
      Optional<ManifestJson.Document> document = ManifestJson.parse(bytes, limits);
      if (document.isEmpty() || document.get() instanceof ManifestJson.Whole) {
        return document.map(d -> ((ManifestJson.Whole) d).manifest());
      }
      ManifestJson.Paged root = (ManifestJson.Paged) document.get();
      Map<String, List<FileManifest.Entry>> parsed = new HashMap<>(fetched.parsedPages());
      return Optional.of(ManifestPages.assemble(root, pages.pages(root, source, release,
          PackReader.NONE).bytes(), limits, parsed));
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring the kept manifest of {}: {}", version, Failures.describe(e));
      return Optional.empty();
    }
  }

  /**
   * The stamps of the files of the installed {@code version} as they were checked, if a whole
   * record of them is kept.
   */
  Optional<Map<String, FileStamps.Stamp>> stamps(Version version) {
    try {
      return FileStamps.decode(Files.readAllBytes(stampsFile(version)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("Ignoring the kept file stamps of {}: {}", version, e.toString());
      return Optional.empty();
    }
  }

  private Path file(Version version) {
    return dir.resolve(version + ".json");
  }

  private Path stampsFile(Version version) {
    return dir.resolve(version + STAMPS);
  }
}
