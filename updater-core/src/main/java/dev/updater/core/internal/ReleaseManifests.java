package dev.updater.core.internal;

import dev.updater.core.ArchiveStager;
import dev.updater.core.Artifact;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-file manifests of an install: fetches the one a release's signed entry names (checked
 * for size and SHA-256 like an artifact, then parsed strictly), and keeps the manifest of each
 * installed release in {@code .updater/manifests/<version>.json}, so that the next install can
 * compare against the live release without reading its files. Not API.
 *
 * <p>Used under the update lock; not thread-safe.
 */
final class ReleaseManifests {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseManifests.class);

  /** A fetched manifest: its verified bytes and what they say. */
  record Fetched(byte[] bytes, FileManifest manifest) {}

  private final Layout layout;
  private final Path dir;

  ReleaseManifests(Layout layout) {
    this.layout = layout;
    this.dir = layout.state().resolve("manifests");
  }

  /** The caps of {@code stager}'s archives, which a manifest must respect. */
  static ManifestJson.Limits limits(ArchiveStager stager) {
    return new ManifestJson.Limits(stager.maxEntries(), stager.maxTotalBytes(), stager.maxDepth(),
        stager.maxPathLength());
  }

  /**
   * Downloads and checks the manifest {@code release} names, if it names one.
   *
   * @return empty when the release has no manifest, or one of a newer format than this version
   *     reads (logged)
   * @throws VerificationException when the manifest is too large, does not match the size and
   *     SHA-256 in the signed index, or is not a valid manifest
   * @throws IOException when it cannot be fetched
   */
  Optional<Fetched> fetch(ReleaseSource source, Release release, Downloader downloader,
      ManifestJson.Limits limits) throws IOException {
    if (release.manifest().isEmpty()) {
      return Optional.empty();
    }
    Artifact ref = release.manifest().get();
    if (ref.size() > ManifestJson.MAX_MANIFEST_BYTES) {
      throw new VerificationException("the manifest of " + release.version() + " is " + ref.size()
          + " bytes, more than the " + ManifestJson.MAX_MANIFEST_BYTES + " accepted");
    }
    Downloader.Fetched fetched = downloader.download(source, ref, (done, total) -> { });
    Path file = downloader.verify(fetched, ref);
    byte[] bytes = Files.readAllBytes(file);
    Optional<FileManifest> manifest;
    try {
      manifest = ManifestJson.read(bytes, limits);
    } catch (VerificationException e) {
      throw new VerificationException("the manifest of " + release.version() + " is refused: "
          + e.getMessage(), e);
    }
    if (manifest.isEmpty()) {
      LOG.warn("The manifest of {} has a newer format than this updater reads; installing from "
          + "the archive without a per-file check", release.version());
      return Optional.empty();
    }
    return Optional.of(new Fetched(bytes, manifest.get()));
  }

  /**
   * Keeps {@code bytes} as the manifest of the installed {@code version}, and forgets those of
   * releases no longer on disk. A failure is logged: the next install then uses its archive.
   */
  void keep(Version version, byte[] bytes) {
    try {
      Downloader.createPrivateDirectory(dir);
      AtomicFiles.write(file(version), bytes);
      try (DirectoryStream<Path> kept = Files.newDirectoryStream(dir, "*.json")) {
        for (Path p : kept) {
          String name = p.getFileName().toString();
          String v = name.substring(0, name.length() - ".json".length());
          if (!Files.isDirectory(layout.releases().resolve(v), LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not keep the manifest of {} in {}: {}; the next update will download "
          + "the whole archive", version, dir, e.toString());
    }
  }

  /** Forgets the manifest of {@code version} (its release directory is being replaced). */
  void forget(Version version) {
    try {
      Files.deleteIfExists(file(version));
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", file(version), e.toString());
    }
  }

  /** The manifest kept for the installed {@code version}, if there is a readable one. */
  Optional<FileManifest> load(Version version, ManifestJson.Limits limits) {
    try {
      return ManifestJson.read(Files.readAllBytes(file(version)), limits);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("Ignoring the kept manifest of {}: {}", version, e.getMessage());
      return Optional.empty();
    }
  }

  private Path file(Version version) {
    return dir.resolve(version + ".json");
  }
}
